import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { StripeEventRow, StripeEventStatus } from './licensing-rows';

type Row = Record<string, unknown>;

const toEvent = (r: Row): StripeEventRow => ({
  id: r.id as string,
  type: r.type as string,
  livemode: r.livemode as boolean,
  stripeCreatedAt: r.stripe_created_at as Date,
  payload: r.payload,
  status: r.status as StripeEventStatus,
  attempts: r.attempts as number,
  lastError: (r.last_error as string | null) ?? null,
  receivedAt: r.received_at as Date,
  processedAt: (r.processed_at as Date | null) ?? null,
});

/** The inbox of verified Stripe webhooks, unique by Stripe's event ID. */
@Injectable()
export class StripeEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  private m(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  /** True when this is the first time we see the event; a redelivery changes nothing. */
  async insertIfNew(e: { id: string; type: string; livemode: boolean; createdAt: Date; payload: string; status: StripeEventStatus }, em?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await this.m(em).query(
      `INSERT INTO stripe_events (id, type, livemode, stripe_created_at, payload, status, processed_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, CASE WHEN $6 = 'ignored' THEN now() END)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [e.id, e.type, e.livemode, e.createdAt, e.payload, e.status],
    );
    return rows.length === 1;
  }

  async findById(id: string, em?: EntityManager): Promise<StripeEventRow | null> {
    const rows: Row[] = await this.m(em).query(`SELECT * FROM stripe_events WHERE id = $1`, [id]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  /** Locks the event: two workers never apply the same event at once. */
  async lockById(em: EntityManager, id: string): Promise<StripeEventRow | null> {
    const rows: Row[] = await em.query(`SELECT * FROM stripe_events WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async markDone(em: EntityManager, id: string, status: 'processed' | 'ignored'): Promise<void> {
    await em.query(`UPDATE stripe_events SET status = $2, processed_at = now(), last_error = NULL, attempts = attempts + 1 WHERE id = $1`, [id, status]);
  }

  /** Records a failed attempt outside the failed transaction, so the error is never swallowed. */
  async recordFailure(id: string, error: string, final: boolean): Promise<void> {
    await this.m().query(
      `UPDATE stripe_events SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END
        WHERE id = $1 AND status IN ('received','failed')`,
      [id, error.slice(0, 2000), final],
    );
  }

  /** Events stored `received` longer than `minAgeMs` ago by the database's clock (their job may be lost). */
  async receivedIdsOlderThan(minAgeMs: number, limit: number, em?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await this.m(em).query(
      `SELECT id FROM stripe_events WHERE status = 'received' AND received_at < now() - make_interval(secs => $1::float8 / 1000) ORDER BY received_at LIMIT $2`,
      [minAgeMs, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Events stored but not applied (for re-enqueueing after an outage). */
  async unprocessedIds(limit: number, em?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await this.m(em).query(
      `SELECT id FROM stripe_events WHERE status IN ('received','failed') ORDER BY received_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }
}
