import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CurrencyTotals, LicenceTotalRow, RoyaltyRunRow, RoyaltyRunStatus } from './royalty-rows';

const RUN_COLUMNS = `r.id, r.period, r.status, r.rules_version, r.generation, r.chunks_total, r.totals, r.created_by, r.created_at,
  r.recomputed_by, r.recomputed_at, r.computed_at, r.approved_by, r.approved_at, r.posted_at, r.journal_entry_id,
  r.error_code, r.error_message,
  (SELECT count(*)::int FROM royalty_run_chunks c WHERE c.run_id = r.id AND c.generation = r.generation AND c.status = 'done') AS chunks_done,
  cu.display_name AS created_by_name, ru.display_name AS recomputed_by_name, au.display_name AS approved_by_name`;
/** The run with the display names of who started, re-computed and approved it (one query, outer joins). */
const RUN_FROM = `royalty_runs r
  LEFT JOIN users cu ON cu.id = r.created_by
  LEFT JOIN users ru ON ru.id = r.recomputed_by
  LEFT JOIN users au ON au.id = r.approved_by`;

type RawRun = Record<string, unknown> & { totals: Record<string, Record<string, string>> | null };

function toRun(r: RawRun): RoyaltyRunRow {
  let totals: Record<string, CurrencyTotals> | null = null;
  if (r.totals) {
    totals = {};
    for (const [cur, t] of Object.entries(r.totals)) {
      totals[cur] = { recognised: BigInt(t.recognised), fees: BigInt(t.fees), distributed: BigInt(t.distributed), adjustments: BigInt(t.adjustments) };
    }
  }
  return {
    id: r.id as string,
    period: r.period as string,
    status: r.status as RoyaltyRunStatus,
    rulesVersion: r.rules_version as string,
    generation: r.generation as number,
    chunksTotal: r.chunks_total as number | null,
    chunksDone: r.chunks_done as number,
    totals,
    createdBy: r.created_by as string,
    createdAt: r.created_at as Date,
    recomputedBy: r.recomputed_by as string | null,
    recomputedAt: r.recomputed_at as Date | null,
    computedAt: r.computed_at as Date | null,
    approvedBy: r.approved_by as string | null,
    approvedAt: r.approved_at as Date | null,
    postedAt: r.posted_at as Date | null,
    journalEntryId: r.journal_entry_id as string | null,
    errorCode: r.error_code as string | null,
    errorMessage: r.error_message as string | null,
    createdByName: (r.created_by_name as string | null) ?? null,
    recomputedByName: (r.recomputed_by_name as string | null) ?? null,
    approvedByName: (r.approved_by_name as string | null) ?? null,
  };
}

/** One planned chunk: a whole licence, or (`parts` set) a licence's rule 4 step (`part` 0) or one of its ranges of works. */
export interface ChunkPlan {
  key: string;
  licenceId: string;
  part?: number | null;
  parts?: number | null;
}

export type ChunkRow = ChunkPlan & { status: string };

const CHUNK_COLUMNS = 'chunk_key, licence_id, status, part, parts';
interface RawChunk {
  chunk_key: string;
  licence_id: string;
  status: string;
  part: number | null;
  parts: number | null;
}
const toChunk = (r: RawChunk): ChunkRow => ({ key: r.chunk_key, licenceId: r.licence_id, status: r.status, part: r.part, parts: r.parts });

/** Royalty runs, their chunks and per-(period, licence) figures. */
@Injectable()
export class RoyaltyRunRepository {
  constructor(private readonly dataSource: DataSource) {}

  private m(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  /** Creates the run, or returns null when the period already has one. */
  async insert(em: EntityManager, r: { period: string; createdBy: string; at: Date; rulesVersion: string }): Promise<string | null> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO royalty_runs (period, created_by, created_at, rules_version) VALUES ($1, $2, $3, $4)
       ON CONFLICT (period) DO NOTHING RETURNING id`,
      [r.period, r.createdBy, r.at, r.rulesVersion],
    );
    return rows[0]?.id ?? null;
  }

  async findById(id: string, em?: EntityManager): Promise<RoyaltyRunRow | null> {
    const rows: RawRun[] = await this.m(em).query(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.id = $1`, [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async findByPeriod(period: string, em?: EntityManager): Promise<RoyaltyRunRow | null> {
    const rows: RawRun[] = await this.m(em).query(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.period = $1`, [period]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  /** Locks the run row until the transaction ends (FOR UPDATE), or shares it (chunks, FOR SHARE). */
  async lock(em: EntityManager, id: string, mode: 'update' | 'share' = 'update'): Promise<RoyaltyRunRow | null> {
    const rows: RawRun[] = await em.query(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.id = $1 FOR ${mode === 'update' ? 'UPDATE' : 'SHARE'} OF r`, [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async list(q: { limit: number; before?: string }, em?: EntityManager): Promise<RoyaltyRunRow[]> {
    const rows: RawRun[] = await this.m(em).query(
      `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE ($1::text IS NULL OR r.period < $1) ORDER BY r.period DESC LIMIT $2`,
      [q.before ?? null, q.limit],
    );
    return rows.map(toRun);
  }

  /** Runs that are neither posted nor failed (at most one at a time). */
  async open(em?: EntityManager): Promise<RoyaltyRunRow[]> {
    const rows: RawRun[] = await this.m(em).query(`SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.status NOT IN ('posted','failed') ORDER BY r.period`);
    return rows.map(toRun);
  }

  /** Periods of posted runs, oldest first. */
  async postedPeriods(em?: EntityManager): Promise<string[]> {
    const rows: { period: string }[] = await this.m(em).query(`SELECT period FROM royalty_runs WHERE status = 'posted' ORDER BY period`);
    return rows.map((r) => r.period);
  }

  /** A later period that already has a run (any status). */
  async latestPeriod(em?: EntityManager): Promise<string | null> {
    const rows: { period: string | null }[] = await this.m(em).query(`SELECT max(period) AS period FROM royalty_runs`);
    return rows[0]?.period ?? null;
  }

  /** Starts a new generation: the run's previous preview (lines, figures, chunks) is dropped. */
  async resetForCompute(em: EntityManager, id: string, r: { by?: string; at: Date; recompute: boolean }): Promise<number> {
    await em.query(`DELETE FROM royalty_lines WHERE run_id = $1`, [id]);
    await em.query(`DELETE FROM royalty_licence_totals WHERE run_id = $1`, [id]);
    await em.query(`DELETE FROM royalty_run_chunks WHERE run_id = $1`, [id]);
    await em.query(`DELETE FROM royalty_work_amounts WHERE run_id = $1`, [id]);
    const rows: { generation: number }[] = await em.query(
      `UPDATE royalty_runs SET status = 'queued', generation = generation + CASE WHEN $2 THEN 1 ELSE 0 END,
              recomputed_by = CASE WHEN $2 THEN $3::uuid ELSE recomputed_by END,
              recomputed_at = CASE WHEN $2 THEN $4::timestamptz ELSE recomputed_at END,
              chunks_total = NULL, totals = NULL, computed_at = NULL, computing_started_at = NULL, error_code = NULL, error_message = NULL
        WHERE id = $1 RETURNING generation`,
      [id, r.recompute, r.by ?? null, r.at],
    );
    return rows[0].generation;
  }

  /**
   * Records the plan (idempotent): pending chunks (a whole licence, or a licence's rule 4 step
   * and its ranges of works: `part` 0 and 1..parts), status computing.
   */
  async plan(em: EntityManager, id: string, generation: number, chunks: ChunkPlan[], at: Date): Promise<void> {
    if (chunks.length) {
      await em.query(
        `INSERT INTO royalty_run_chunks (run_id, generation, chunk_key, licence_id, part, parts)
         SELECT $1, $2, k, l, p, n FROM unnest($3::text[], $4::uuid[], $5::smallint[], $6::smallint[]) AS t(k, l, p, n)
         ON CONFLICT DO NOTHING`,
        [id, generation, chunks.map((c) => c.key), chunks.map((c) => c.licenceId), chunks.map((c) => c.part ?? null), chunks.map((c) => c.parts ?? null)],
      );
    }
    await em.query(
      `UPDATE royalty_runs SET status = 'computing', chunks_total = $3, computing_started_at = coalesce(computing_started_at, $4)
        WHERE id = $1 AND generation = $2 AND status IN ('queued','computing')`,
      [id, generation, chunks.length, at],
    );
  }

  async chunks(id: string, generation: number, em?: EntityManager): Promise<ChunkRow[]> {
    const rows: RawChunk[] = await this.m(em).query(
      `SELECT ${CHUNK_COLUMNS} FROM royalty_run_chunks WHERE run_id = $1 AND generation = $2 ORDER BY chunk_key`,
      [id, generation],
    );
    return rows.map(toChunk);
  }

  /** One chunk row, unlocked (what kind of step it is). */
  async findChunk(id: string, generation: number, key: string): Promise<ChunkRow | null> {
    return this.selectChunk(this.dataSource.manager, id, generation, key, '');
  }

  /** Locks one chunk row (a duplicate execution of the same chunk waits here); `share` for a step another one needs done. */
  async lockChunk(em: EntityManager, id: string, generation: number, key: string, mode: 'update' | 'share' = 'update'): Promise<ChunkRow | null> {
    return this.selectChunk(em, id, generation, key, mode === 'update' ? 'FOR UPDATE' : 'FOR SHARE');
  }

  private async selectChunk(em: EntityManager, id: string, generation: number, key: string, lock: '' | 'FOR UPDATE' | 'FOR SHARE'): Promise<ChunkRow | null> {
    const rows: RawChunk[] = await em.query(
      `SELECT ${CHUNK_COLUMNS} FROM royalty_run_chunks WHERE run_id = $1 AND generation = $2 AND chunk_key = $3 ${lock}`,
      [id, generation, key],
    );
    return rows[0] ? toChunk(rows[0]) : null;
  }

  async completeChunk(em: EntityManager, id: string, generation: number, key: string, lineCount: number, at: Date): Promise<void> {
    await em.query(
      `UPDATE royalty_run_chunks SET status = 'done', line_count = $4, completed_at = $5 WHERE run_id = $1 AND generation = $2 AND chunk_key = $3`,
      [id, generation, key, lineCount, at],
    );
  }

  /** Removes what a chunk wrote (defensive: a chunk is normally written once, in one transaction). */
  async clearChunkOutput(em: EntityManager, id: string, licenceId: string): Promise<void> {
    await em.query(`DELETE FROM royalty_lines WHERE run_id = $1 AND licence_id = $2`, [id, licenceId]);
    await em.query(`DELETE FROM royalty_licence_totals WHERE run_id = $1 AND licence_id = $2`, [id, licenceId]);
  }

  async insertLicenceTotals(em: EntityManager, rows: (LicenceTotalRow & { inputsDigest: string })[]): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `INSERT INTO royalty_licence_totals (run_id, period, original_period, licence_id, currency, recognised, fee, is_adjustment, inputs_digest)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::bigint[], $7::bigint[], $8::boolean[], $9::text[])`,
      [
        rows.map((r) => r.runId),
        rows.map((r) => r.period),
        rows.map((r) => r.originalPeriod),
        rows.map((r) => r.licenceId),
        rows.map((r) => r.currency),
        rows.map((r) => r.recognised.toString()),
        rows.map((r) => r.fee.toString()),
        rows.map((r) => r.isAdjustment),
        rows.map((r) => r.inputsDigest),
      ],
    );
  }

  /** Totals per currency from the run's figures and lines (set-based). */
  async computeTotals(em: EntityManager, id: string): Promise<Record<string, CurrencyTotals>> {
    const rows: { currency: string; recognised: string; fees: string; distributed: string; adjustments: string }[] = await em.query(
      `WITH t AS (
         SELECT currency, sum(recognised) FILTER (WHERE NOT is_adjustment) AS recognised, sum(fee) FILTER (WHERE NOT is_adjustment) AS fees
           FROM royalty_licence_totals WHERE run_id = $1 GROUP BY currency),
       l AS (
         SELECT currency, sum(amount) FILTER (WHERE NOT is_adjustment) AS distributed, sum(amount) FILTER (WHERE is_adjustment) AS adjustments
           FROM royalty_lines WHERE run_id = $1 GROUP BY currency)
       SELECT coalesce(t.currency, l.currency) AS currency,
              coalesce(t.recognised, 0)::text AS recognised, coalesce(t.fees, 0)::text AS fees,
              coalesce(l.distributed, 0)::text AS distributed, coalesce(l.adjustments, 0)::text AS adjustments
         FROM t FULL JOIN l ON l.currency = t.currency ORDER BY 1`,
      [id],
    );
    const out: Record<string, CurrencyTotals> = {};
    for (const r of rows) out[r.currency.trim()] = { recognised: BigInt(r.recognised), fees: BigInt(r.fees), distributed: BigInt(r.distributed), adjustments: BigInt(r.adjustments) };
    return out;
  }

  /** Adjustment figures (recognised, fee) per currency, for reporting. */
  async adjustmentFigures(id: string, em?: EntityManager): Promise<Record<string, { recognised: bigint; fees: bigint }>> {
    const rows: { currency: string; recognised: string; fees: string }[] = await this.m(em).query(
      `SELECT currency, sum(recognised)::text AS recognised, sum(fee)::text AS fees FROM royalty_licence_totals WHERE run_id = $1 AND is_adjustment GROUP BY currency`,
      [id],
    );
    return Object.fromEntries(rows.map((r) => [r.currency.trim(), { recognised: BigInt(r.recognised), fees: BigInt(r.fees) }]));
  }

  async markComputed(em: EntityManager, id: string, generation: number, totals: Record<string, CurrencyTotals>, at: Date): Promise<boolean> {
    const json = Object.fromEntries(
      Object.entries(totals).map(([c, t]) => [c, { recognised: String(t.recognised), fees: String(t.fees), distributed: String(t.distributed), adjustments: String(t.adjustments) }]),
    );
    const rows: unknown[] = await em.query(
      `UPDATE royalty_runs SET status = 'computed', totals = $3, computed_at = $4 WHERE id = $1 AND generation = $2 AND status = 'computing' RETURNING id`,
      [id, generation, JSON.stringify(json), at],
    );
    return rows.length > 0;
  }

  async markFailed(em: EntityManager, id: string, generation: number, code: string, message: string): Promise<void> {
    await em.query(
      `UPDATE royalty_runs SET status = 'failed', error_code = $3, error_message = $4 WHERE id = $1 AND generation = $2 AND status IN ('queued','computing')`,
      [id, generation, code, message.slice(0, 2000)],
    );
  }

  async markPosted(em: EntityManager, id: string, p: { approvedBy: string; at: Date; journalEntryId: string | null }): Promise<void> {
    await em.query(
      `UPDATE royalty_runs SET status = 'posted', approved_by = $2, approved_at = $3, posted_at = $3, journal_entry_id = $4 WHERE id = $1 AND status = 'computed'`,
      [id, p.approvedBy, p.at, p.journalEntryId],
    );
  }
}
