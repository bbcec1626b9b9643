import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OrganisationEntity } from './organisation.entity';

@Injectable()
export class OrganisationRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(OrganisationEntity);
  }

  findById(id: string, em?: EntityManager): Promise<OrganisationEntity | null> {
    return this.repo(em).findOneBy({ id });
  }

  findBySlug(slug: string, em?: EntityManager): Promise<OrganisationEntity | null> {
    return this.repo(em).findOneBy({ slug });
  }

  /** Inserts, or returns the existing organisation of that slug (concurrent sign-ups of one company). */
  async upsertBySlug(em: EntityManager, name: string, slug: string): Promise<{ org: OrganisationEntity; created: boolean }> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO organisations (name, slug) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [name, slug],
    );
    const org = await this.repo(em).findOneByOrFail({ slug });
    return { org, created: rows.length === 1 };
  }
}

@Injectable()
export class OrganisationInviteRepository {
  async insert(em: EntityManager, i: { organisationId: string; createdBy: string; codeHash: string; expiresAt: Date }): Promise<string> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO organisation_invites (organisation_id, created_by, code_hash, expires_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [i.organisationId, i.createdBy, i.codeHash, i.expiresAt],
    );
    return rows[0].id;
  }

  /** Locks an unexpired, unused invite; returns it or null. */
  async lockUsable(em: EntityManager, codeHash: string, at: Date): Promise<{ id: string; organisationId: string } | null> {
    const rows: { id: string; organisation_id: string }[] = await em.query(
      `SELECT id, organisation_id FROM organisation_invites
        WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 FOR UPDATE`,
      [codeHash, at],
    );
    return rows[0] ? { id: rows[0].id, organisationId: rows[0].organisation_id } : null;
  }

  async markUsed(em: EntityManager, id: string, userId: string, at: Date): Promise<void> {
    await em.query(`UPDATE organisation_invites SET used_by = $2, used_at = $3 WHERE id = $1`, [id, userId, at]);
  }
}
