import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { updatedRows } from './returning';

export interface PayoutAccountRow {
  creatorId: string;
  stripeAccountId: string;
  country: string;
  defaultCurrency: string;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
  requirements: string[];
  stripeStateAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

type Row = Record<string, unknown>;
const COLUMNS = `creator_id, stripe_account_id, country, default_currency, payouts_enabled, details_submitted, requirements, stripe_state_at, created_at, updated_at`;
const toAccount = (r: Row): PayoutAccountRow => ({
  creatorId: r.creator_id as string,
  stripeAccountId: r.stripe_account_id as string,
  country: r.country as string,
  defaultCurrency: r.default_currency as string,
  payoutsEnabled: r.payouts_enabled as boolean,
  detailsSubmitted: r.details_submitted as boolean,
  requirements: (r.requirements as string[]) ?? [],
  stripeStateAt: (r.stripe_state_at as Date | null) ?? null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

@Injectable()
export class PayoutAccountRepository {
  constructor(private readonly dataSource: DataSource) {}

  private q(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  async findByCreator(creatorId: string, em?: EntityManager): Promise<PayoutAccountRow | null> {
    const rows: Row[] = await this.q(em).query(`SELECT ${COLUMNS} FROM payout_accounts WHERE creator_id = $1`, [creatorId]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findByStripeId(stripeAccountId: string, em?: EntityManager): Promise<PayoutAccountRow | null> {
    const rows: Row[] = await this.q(em).query(`SELECT ${COLUMNS} FROM payout_accounts WHERE stripe_account_id = $1`, [stripeAccountId]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findByCreators(creatorIds: readonly string[], em?: EntityManager): Promise<PayoutAccountRow[]> {
    if (!creatorIds.length) return [];
    const rows: Row[] = await this.q(em).query(`SELECT ${COLUMNS} FROM payout_accounts WHERE creator_id = ANY($1::uuid[])`, [creatorIds]);
    return rows.map(toAccount);
  }

  /** Inserts the account, or leaves the existing one (two concurrent onboardings of one creator). */
  async insertIfAbsent(
    em: EntityManager,
    a: { creatorId: string; stripeAccountId: string; country: string; defaultCurrency: string; payoutsEnabled: boolean; detailsSubmitted: boolean; requirements: string[]; at: Date },
  ): Promise<PayoutAccountRow> {
    await em.query(
      `INSERT INTO payout_accounts (creator_id, stripe_account_id, country, default_currency, payouts_enabled, details_submitted, requirements, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8) ON CONFLICT (creator_id) DO NOTHING`,
      [a.creatorId, a.stripeAccountId, a.country, a.defaultCurrency, a.payoutsEnabled, a.detailsSubmitted, JSON.stringify(a.requirements), a.at],
    );
    return (await this.findByCreator(a.creatorId, em))!;
  }

  /**
   * Applies Stripe's state from an account.updated event, unless a newer event was already applied.
   * Returns the row when it changed, null when the account is unknown or the event is stale.
   */
  async applyStripeState(
    em: EntityManager,
    s: { stripeAccountId: string; payoutsEnabled: boolean; detailsSubmitted: boolean; requirements: string[]; stateAt: Date; at: Date },
  ): Promise<PayoutAccountRow | null> {
    const rows = updatedRows<Row>(
      await em.query(
      `UPDATE payout_accounts
          SET payouts_enabled = $2, details_submitted = $3, requirements = $4::jsonb, stripe_state_at = $5, updated_at = $6
        WHERE stripe_account_id = $1 AND (stripe_state_at IS NULL OR stripe_state_at <= $5)
        RETURNING ${COLUMNS}`,
      [s.stripeAccountId, s.payoutsEnabled, s.detailsSubmitted, JSON.stringify(s.requirements), s.stateAt, s.at],
    ),
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }
}
