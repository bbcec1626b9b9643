import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { updatedRows } from './returning';
import type { PayoutItemStatus } from './payout-item.entity';

export interface PayoutItemRow {
  id: string;
  runId: string;
  creatorId: string;
  currency: string;
  /** Owed at preview (positive), or the negative balance for NEGATIVE_BALANCE. */
  amount: bigint;
  paidAmount: bigint | null;
  reversedAmount: bigint;
  status: PayoutItemStatus;
  reason: string | null;
  stripeTransferId: string | null;
  stripeKeySeq: number;
  attempts: number;
  lastError: { code: string; message: string } | null;
  paidAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** The creator's display name, when read with it (listByRun). */
  creatorName?: string | null;
}

export interface NewPayoutItem {
  creatorId: string;
  amount: bigint;
  status: 'included' | 'carried_forward';
  reason: string | null;
}

type Row = Record<string, unknown>;
const COLUMNS = `id, run_id, creator_id, currency, amount, paid_amount, reversed_amount, status, reason, stripe_transfer_id, stripe_key_seq, attempts, last_error, paid_at, created_at, updated_at`;
const toItem = (r: Row): PayoutItemRow => ({
  id: r.id as string,
  runId: r.run_id as string,
  creatorId: r.creator_id as string,
  currency: r.currency as string,
  amount: BigInt(r.amount as string),
  paidAmount: r.paid_amount == null ? null : BigInt(r.paid_amount as string),
  reversedAmount: BigInt(r.reversed_amount as string),
  status: r.status as PayoutItemStatus,
  reason: (r.reason as string | null) ?? null,
  stripeTransferId: (r.stripe_transfer_id as string | null) ?? null,
  stripeKeySeq: Number(r.stripe_key_seq),
  attempts: Number(r.attempts),
  lastError: (r.last_error as PayoutItemRow['lastError']) ?? null,
  paidAt: (r.paid_at as Date | null) ?? null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
  ...('creator_name' in r ? { creatorName: (r.creator_name as string | null) ?? null } : {}),
});
/** COLUMNS of the item aliased `i`, with the creator's display name (profile name, else account name). */
const NAMED = `${COLUMNS.split(', ').map((c) => `i.${c}`).join(', ')}, coalesce(c.display_name, u.display_name) AS creator_name`;
const NAMED_FROM = `payout_items i LEFT JOIN creators c ON c.id = i.creator_id LEFT JOIN users u ON u.id = i.creator_id`;

@Injectable()
export class PayoutItemRepository {
  constructor(private readonly dataSource: DataSource) {}

  private q(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  /** All items of a run in one statement. */
  async insertMany(em: EntityManager, runId: string, currency: string, items: readonly NewPayoutItem[], at: Date): Promise<void> {
    if (!items.length) return;
    await em.query(
      `INSERT INTO payout_items (run_id, creator_id, currency, amount, status, reason, created_at, updated_at)
       SELECT $1::uuid, c, $2, a, s, r, $7, $7 FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::text[]) AS t(c, a, s, r)`,
      [runId, currency, items.map((i) => i.creatorId), items.map((i) => i.amount.toString()), items.map((i) => i.status), items.map((i) => i.reason), at],
    );
  }

  async find(id: string, em?: EntityManager): Promise<PayoutItemRow | null> {
    const rows: Row[] = await this.q(em).query(`SELECT ${COLUMNS} FROM payout_items WHERE id = $1`, [id]);
    return rows[0] ? toItem(rows[0]) : null;
  }

  async lock(em: EntityManager, id: string): Promise<PayoutItemRow | null> {
    const rows: Row[] = await em.query(`SELECT ${COLUMNS} FROM payout_items WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toItem(rows[0]) : null;
  }

  async findByTransfer(transferId: string, em?: EntityManager): Promise<PayoutItemRow | null> {
    const rows: Row[] = await this.q(em).query(`SELECT ${COLUMNS} FROM payout_items WHERE stripe_transfer_id = $1`, [transferId]);
    return rows[0] ? toItem(rows[0]) : null;
  }

  async findByTransfers(transferIds: readonly string[], em?: EntityManager): Promise<PayoutItemRow[]> {
    if (!transferIds.length) return [];
    const rows: Row[] = await this.q(em).query(`SELECT ${COLUMNS} FROM payout_items WHERE stripe_transfer_id = ANY($1::text[])`, [transferIds]);
    return rows.map(toItem);
  }

  async listByRun(runId: string, em?: EntityManager): Promise<PayoutItemRow[]> {
    const rows: Row[] = await this.q(em).query(`SELECT ${NAMED} FROM ${NAMED_FROM} WHERE i.run_id = $1 ORDER BY i.status, i.creator_id`, [runId]);
    return rows.map(toItem);
  }

  async listByCreator(creatorId: string, page: { limit: number; offset: number }, em?: EntityManager): Promise<PayoutItemRow[]> {
    const rows: Row[] = await this.q(em).query(
      `SELECT ${COLUMNS} FROM payout_items WHERE creator_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [creatorId, page.limit, page.offset],
    );
    return rows.map(toItem);
  }

  /** Items paid (or later reversed) whose transfer happened in [from, to). */
  async listPaidBetween(from: Date, to: Date, em?: EntityManager): Promise<PayoutItemRow[]> {
    const rows: Row[] = await this.q(em).query(
      `SELECT ${COLUMNS} FROM payout_items WHERE paid_at >= $1 AND paid_at < $2 ORDER BY paid_at, id`,
      [from, to],
    );
    return rows.map(toItem);
  }

  async countByStatus(runId: string, em?: EntityManager): Promise<Record<string, number>> {
    const rows: Row[] = await this.q(em).query(`SELECT status, count(*)::int AS n FROM payout_items WHERE run_id = $1 GROUP BY status`, [runId]);
    return Object.fromEntries(rows.map((r) => [r.status as string, Number(r.n)]));
  }

  /** included → pending for every included item of the run; returns the IDs now pending. */
  async markIncludedPending(em: EntityManager, runId: string, at: Date): Promise<void> {
    await em.query(`UPDATE payout_items SET status = 'pending', updated_at = $2 WHERE run_id = $1 AND status = 'included'`, [runId, at]);
  }

  async pendingIds(runId: string, em?: EntityManager): Promise<string[]> {
    const rows: Row[] = await this.q(em).query(`SELECT id FROM payout_items WHERE run_id = $1 AND status IN ('pending','processing') ORDER BY id`, [runId]);
    return rows.map((r) => r.id as string);
  }

  async markProcessing(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(
      `UPDATE payout_items SET status = 'processing', attempts = attempts + 1, updated_at = $2 WHERE id = $1 AND status IN ('pending','processing')`,
      [id, at],
    );
  }

  async markPaid(em: EntityManager, id: string, p: { paidAmount: bigint; transferId: string; at: Date }): Promise<void> {
    await em.query(
      `UPDATE payout_items SET status = 'paid', paid_amount = $2, stripe_transfer_id = $3, paid_at = $4, last_error = NULL, updated_at = $4 WHERE id = $1`,
      [id, p.paidAmount.toString(), p.transferId, p.at],
    );
  }

  async markCarriedForward(em: EntityManager, id: string, reason: string, at: Date): Promise<void> {
    await em.query(`UPDATE payout_items SET status = 'carried_forward', reason = $2, updated_at = $3 WHERE id = $1`, [id, reason, at]);
  }

  async markFailed(em: EntityManager, id: string, error: { code: string; message: string }, at: Date): Promise<boolean> {
    const rows = updatedRows<Row>(
      await em.query(
      `UPDATE payout_items SET status = 'failed', reason = $2, last_error = $3::jsonb, updated_at = $4
        WHERE id = $1 AND status IN ('pending','processing') RETURNING id`,
      [id, error.code, JSON.stringify(error), at],
    ),
    );
    return rows.length === 1;
  }

  /** Records a failed attempt; with `nextKey`, moves to the next Stripe idempotency key (see docs/payouts.md). */
  async recordAttemptError(em: EntityManager, id: string, e: { error: { code: string; message: string }; nextKeyAfter: number | null; at: Date }): Promise<void> {
    await em.query(
      `UPDATE payout_items
          SET last_error = $2::jsonb, updated_at = $4,
              stripe_key_seq = CASE WHEN $3::int IS NOT NULL AND stripe_key_seq = $3::int THEN stripe_key_seq + 1 ELSE stripe_key_seq END
        WHERE id = $1 AND status IN ('pending','processing')`,
      [id, JSON.stringify(e.error), e.nextKeyAfter, e.at],
    );
  }

  async setReversed(em: EntityManager, id: string, reversedAmount: bigint, at: Date): Promise<void> {
    await em.query(
      `UPDATE payout_items SET reversed_amount = $2, status = CASE WHEN $2::bigint >= paid_amount THEN 'reversed' ELSE status END, updated_at = $3 WHERE id = $1`,
      [id, reversedAmount.toString(), at],
    );
  }
}
