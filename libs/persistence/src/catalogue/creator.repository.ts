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
}
