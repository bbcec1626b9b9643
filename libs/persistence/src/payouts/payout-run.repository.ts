import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { updatedRows } from './returning';
import type { PayoutRunStatus } from './payout-run.entity';

export interface PayoutTotal {
  count: number;
  amountMinor: bigint;
}

export interface PayoutRunRow {
  id: string;
  currency: string;
  status: PayoutRunStatus;
  minimumMinor: bigint;
  /** Per reason: `included`, `BELOW_MINIMUM`, `NO_PAYOUT_ACCOUNT`, `NEGATIVE_BALANCE`. */
  totals: Record<string, PayoutTotal>;
  createdBy: string;
  approvedBy: string | null;
  createdAt: Date;
  approvedAt: Date | null;
  finishedAt: Date | null;
  /** Display names of the users above, when read with them (find, list). */
  createdByName?: string | null;
  approvedByName?: string | null;
}

type Row = Record<string, unknown>;
const COLUMNS = `id, currency, status, minimum_minor, totals, created_by, approved_by, created_at, approved_at, finished_at`;
/** The run with its creator's and approver's display names (outer joins: one query). */
const NAMED = `r.id, r.currency, r.status, r.minimum_minor, r.totals, r.created_by, r.approved_by, r.created_at, r.approved_at, r.finished_at,
  cu.display_name AS created_by_name, au.display_name AS approved_by_name`;
const NAMED_FROM = `payout_runs r LEFT JOIN users cu ON cu.id = r.created_by LEFT JOIN users au ON au.id = r.approved_by`;
const toRun = (r: Row): PayoutRunRow => ({
  id: r.id as string,
  currency: r.currency as string,
  status: r.status as PayoutRunStatus,
  minimumMinor: BigInt(r.minimum_minor as string),
  totals: Object.fromEntries(
    Object.entries((r.totals as Record<string, { count: number; amountMinor: string }>) ?? {}).map(([k, v]) => [k, { count: v.count, amountMinor: BigInt(v.amountMinor) }]),
  ),
  createdBy: r.created_by as string,
  approvedBy: (r.approved_by as string | null) ?? null,
  createdAt: r.created_at as Date,
  approvedAt: (r.approved_at as Date | null) ?? null,
  finishedAt: (r.finished_at as Date | null) ?? null,
  ...('created_by_name' in r ? { createdByName: (r.created_by_name as string | null) ?? null, approvedByName: (r.approved_by_name as string | null) ?? null } : {}),
});

@Injectable()
export class PayoutRunRepository {
  constructor(private readonly dataSource: DataSource) {}

  private q(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  async insert(em: EntityManager, r: { currency: string; minimumMinor: bigint; totals: Record<string, PayoutTotal>; createdBy: string; at: Date }): Promise<PayoutRunRow> {
    const totals = Object.fromEntries(Object.entries(r.totals).map(([k, v]) => [k, { count: v.count, amountMinor: v.amountMinor.toString() }]));
    const rows: Row[] = await em.query(
      `INSERT INTO payout_runs (currency, status, minimum_minor, totals, created_by, created_at)
       VALUES ($1, 'preview', $2, $3::jsonb, $4, $5) RETURNING ${COLUMNS}`,
      [r.currency, r.minimumMinor.toString(), JSON.stringify(totals), r.createdBy, r.at],
    );
    return toRun(rows[0]);
  }

  async find(id: string, em?: EntityManager): Promise<PayoutRunRow | null> {
    const rows: Row[] = await this.q(em).query(`SELECT ${NAMED} FROM ${NAMED_FROM} WHERE r.id = $1`, [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  /** Newest first, optionally of one currency or status. */
  async list(filter: { currency?: string; status?: PayoutRunStatus; limit: number; offset: number }, em?: EntityManager): Promise<PayoutRunRow[]> {
    const rows: Row[] = await this.q(em).query(
      `SELECT ${NAMED} FROM ${NAMED_FROM}
        WHERE ($1::text IS NULL OR r.currency = $1) AND ($2::text IS NULL OR r.status = $2)
        ORDER BY r.created_at DESC, r.id DESC LIMIT $3 OFFSET $4`,
      [filter.currency ?? null, filter.status ?? null, filter.limit, filter.offset],
    );
    return rows.map(toRun);
  }

  async lock(em: EntityManager, id: string): Promise<PayoutRunRow | null> {
    const rows: Row[] = await em.query(`SELECT ${COLUMNS} FROM payout_runs WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  /** Another run of this currency that is approved or executing (payouts of a currency go one run at a time). */
  async findActive(em: EntityManager, currency: string, exceptId: string): Promise<PayoutRunRow | null> {
    const rows: Row[] = await em.query(
      `SELECT ${COLUMNS} FROM payout_runs WHERE currency = $1 AND status IN ('approved','executing') AND id <> $2 LIMIT 1`,
      [currency, exceptId],
    );
    return rows[0] ? toRun(rows[0]) : null;
  }

  async approve(em: EntityManager, id: string, approvedBy: string, at: Date): Promise<void> {
    await em.query(`UPDATE payout_runs SET status = 'approved', approved_by = $2, approved_at = $3 WHERE id = $1 AND status = 'preview'`, [id, approvedBy, at]);
  }

  async markExecuting(em: EntityManager, id: string): Promise<void> {
    await em.query(`UPDATE payout_runs SET status = 'executing' WHERE id = $1 AND status = 'approved'`, [id]);
  }

  /**
   * Closes the run once no item is waiting or in flight: `completed`, or `failed` when an item
   * failed. Returns the new status, or null while items remain.
   */
  async finishIfDone(em: EntityManager, id: string, at: Date): Promise<PayoutRunStatus | null> {
    const rows = updatedRows<Row>(
      await em.query(
      `UPDATE payout_runs r
          SET status = CASE WHEN EXISTS (SELECT 1 FROM payout_items i WHERE i.run_id = r.id AND i.status = 'failed') THEN 'failed' ELSE 'completed' END,
              finished_at = $2
        WHERE r.id = $1 AND r.status IN ('approved','executing')
          AND NOT EXISTS (SELECT 1 FROM payout_items i WHERE i.run_id = r.id AND i.status IN ('pending','processing'))
        RETURNING status`,
      [id, at],
    ),
    );
    return rows[0] ? (rows[0].status as PayoutRunStatus) : null;
  }
}
