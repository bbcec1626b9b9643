import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CreatorEntity } from './creator.entity';

export interface CreatorProfileInput {
  displayName: string;
  country: string | null;
  payoutCurrency: string | null;
  bio: string | null;
  links: string[];
}

@Injectable()
export class CreatorRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(CreatorEntity);
  }

  findById(id: string, em?: EntityManager): Promise<CreatorEntity | null> {
    return this.repo(em).findOneBy({ id });
  }

  async upsert(em: EntityManager, id: string, p: CreatorProfileInput): Promise<{ creator: CreatorEntity; created: boolean }> {
    const rows: { inserted: boolean }[] = await em.query(
      `INSERT INTO creators (id, display_name, country, payout_currency, bio, links) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, country = EXCLUDED.country,
         payout_currency = EXCLUDED.payout_currency, bio = EXCLUDED.bio, links = EXCLUDED.links, updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [id, p.displayName, p.country, p.payoutCurrency, p.bio, p.links],
    );
    return { creator: (await this.findById(id, em))!, created: rows[0].inserted };
  }

  /** Creates a bare profile (display name only) if the user has none; true if it did. */
  async ensure(em: EntityManager, id: string, displayName: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO creators (id, display_name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, displayName.slice(0, 120)],
    );
    return rows.length === 1;
  }

  /**
   * Display names of holders in one query: a creator's profile name (else their account name); for
   * an invitation, the name of the creator who accepted it, else the e-mail it was sent to.
   */
  async holderNames(holders: readonly { kind: 'creator' | 'invitation'; id: string }[], em?: EntityManager): Promise<Map<string, string>> {
    if (!holders.length) return new Map();
    const rows: { id: string; name: string | null }[] = await (em ?? this.dataSource.manager).query(
      `SELECT h.id::text AS id, coalesce(c.display_name, u.display_name, CASE WHEN h.kind = 'invitation' THEN i.email END) AS name
         FROM unnest($1::text[], $2::uuid[]) AS h(kind, id)
         LEFT JOIN holder_invitations i ON h.kind = 'invitation' AND i.id = h.id
         LEFT JOIN creators c ON c.id = CASE WHEN h.kind = 'invitation' THEN i.accepted_by ELSE h.id END
         LEFT JOIN users u ON u.id = CASE WHEN h.kind = 'invitation' THEN i.accepted_by ELSE h.id END`,
      [holders.map((h) => h.kind), holders.map((h) => h.id)],
    );
    return new Map(rows.filter((r) => r.name !== null).map((r) => [r.id, r.name as string]));
  }
}
