import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogueEntity } from './catalogue.entity';

export interface CatalogueCounts {
  works: number;
  byMediaType: Record<string, number>;
  byUse: { train: number; fineTune: number; retrieval: number; evaluation: number; commercial: number; collective: number };
  byStatus: Record<string, number>;
}

@Injectable()
export class CatalogueRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(CatalogueEntity);
  }

  findById(id: string, em?: EntityManager): Promise<CatalogueEntity | null> {
    return this.repo(em).findOneBy({ id });
  }

  listByOwner(ownerId: string, em?: EntityManager): Promise<CatalogueEntity[]> {
    return this.repo(em).find({ where: { ownerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async insert(em: EntityManager, c: { ownerId: string; name: string; description: string | null; at: Date }): Promise<CatalogueEntity> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO catalogues (owner_id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
      [c.ownerId, c.name, c.description, c.at],
    );
    return (await this.findById(rows[0].id, em))!;
  }

  async update(em: EntityManager, id: string, c: { name?: string; description?: string | null; at: Date }): Promise<CatalogueEntity> {
    await em.query(
      `UPDATE catalogues SET name = COALESCE($2, name), description = CASE WHEN $3::boolean THEN $4 ELSE description END, updated_at = $5 WHERE id = $1`,
      [id, c.name ?? null, c.description !== undefined, c.description ?? null, c.at],
    );
    return (await this.findById(id, em))!;
  }

  /** Counts per media type, per use and per status; `listedOnly` counts what the public sees. */
  async counts(id: string, listedOnly: boolean, em?: EntityManager): Promise<CatalogueCounts> {
    const m = em ?? this.dataSource.manager;
    const where = `catalogue_id = $1 AND ($2::boolean = false OR listed)`;
    const [totals]: Record<string, string>[] = await m.query(
      `SELECT count(*) AS works, count(*) FILTER (WHERE allow_train AND status = 'active') AS train,
              count(*) FILTER (WHERE allow_fine_tune AND status = 'active') AS fine_tune,
              count(*) FILTER (WHERE allow_retrieval AND status = 'active') AS retrieval,
              count(*) FILTER (WHERE allow_evaluation AND status = 'active') AS evaluation,
              count(*) FILTER (WHERE allow_commercial AND status = 'active') AS commercial,
              count(*) FILTER (WHERE allow_collective AND status = 'active') AS collective
         FROM works WHERE ${where}`,
      [id, listedOnly],
    );
    const media: { k: string; n: string }[] = await m.query(`SELECT media_type AS k, count(*) AS n FROM works WHERE ${where} GROUP BY 1 ORDER BY 1`, [id, listedOnly]);
    const status: { k: string; n: string }[] = await m.query(`SELECT status AS k, count(*) AS n FROM works WHERE ${where} GROUP BY 1 ORDER BY 1`, [id, listedOnly]);
    return {
      works: Number(totals.works),
      byMediaType: Object.fromEntries(media.map((r) => [r.k, Number(r.n)])),
      byUse: {
        train: Number(totals.train),
        fineTune: Number(totals.fine_tune),
        retrieval: Number(totals.retrieval),
        evaluation: Number(totals.evaluation),
        commercial: Number(totals.commercial),
        collective: Number(totals.collective),
      },
      byStatus: Object.fromEntries(status.map((r) => [r.k, Number(r.n)])),
    };
  }
}
