import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { WorksImportEntity } from './works-import.entity';

export interface ImportRejection {
  rowNo: number;
  code: string;
  message: string;
}

@Injectable()
export class WorksImportRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(WorksImportEntity);
  }

  findById(id: string, em?: EntityManager): Promise<WorksImportEntity | null> {
    return this.repo(em).findOneBy({ id });
  }

  /** Inserts the import of a file, or answers the existing import of the same file for that catalogue. */
  async insertOrGet(
    em: EntityManager,
    i: { catalogueId: string; createdBy: string; fileSha256: string; storageKey: string; sizeBytes: bigint; at: Date },
  ): Promise<{ imp: WorksImportEntity; created: boolean }> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO works_imports (catalogue_id, created_by, file_sha256, storage_key, size_bytes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT works_imports_file_key DO NOTHING RETURNING id`,
      [i.catalogueId, i.createdBy, i.fileSha256, i.storageKey, i.sizeBytes.toString(), i.at],
    );
    if (rows[0]) return { imp: (await this.findById(rows[0].id, em))!, created: true };
    return { imp: (await this.repo(em).findOneBy({ catalogueId: i.catalogueId, fileSha256: i.fileSha256 }))!, created: false };
  }

  async lock(em: EntityManager, id: string): Promise<WorksImportEntity | null> {
    return this.repo(em).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  async markProcessing(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(`UPDATE works_imports SET status = 'processing', started_at = coalesce(started_at, $2) WHERE id = $1`, [id, at]);
  }

  /** Records a processed batch: its rejections and the new progress, in the batch's transaction. */
  async recordBatch(em: EntityManager, id: string, b: { lastRowNo: number; created: number; rejections: ImportRejection[] }): Promise<void> {
    if (b.rejections.length) {
      await em.query(
        `INSERT INTO works_import_rejections (import_id, row_no, code, message)
         SELECT $1::uuid, r, c, m FROM unnest($2::int[], $3::text[], $4::text[]) AS x(r, c, m) ON CONFLICT DO NOTHING`,
        [id, b.rejections.map((r) => r.rowNo), b.rejections.map((r) => r.code), b.rejections.map((r) => r.message)],
      );
    }
    await em.query(
      `UPDATE works_imports SET rows_processed = $2, rows_created = rows_created + $3, rows_rejected = rows_rejected + $4 WHERE id = $1`,
      [id, b.lastRowNo, b.created, b.rejections.length],
    );
  }

  async finish(em: EntityManager, id: string, r: { status: 'completed' | 'failed'; at: Date; errorCode?: string; errorMessage?: string }): Promise<void> {
    await em.query(
      `UPDATE works_imports SET status = $2, completed_at = $3, error_code = $4, error_message = $5 WHERE id = $1`,
      [id, r.status, r.at, r.errorCode ?? null, r.errorMessage ?? null],
    );
  }

  async rejections(id: string, afterRowNo: number, limit: number, em?: EntityManager): Promise<ImportRejection[]> {
    const rows: { row_no: number; code: string; message: string }[] = await (em ?? this.dataSource.manager).query(
      `SELECT row_no, code, message FROM works_import_rejections WHERE import_id = $1 AND row_no > $2 ORDER BY row_no LIMIT $3`,
      [id, afterRowNo, limit],
    );
    return rows.map((r) => ({ rowNo: r.row_no, code: r.code, message: r.message }));
  }
}
