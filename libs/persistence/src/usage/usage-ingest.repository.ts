import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { UsageCommitCounts } from './usage-rows';

const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
/** How many distinct model IDs a report keeps (for transparency; not used in royalties). */
const MODEL_IDS_KEPT = 100;

export const aggregatePartition = (period: string): string => {
  if (!PERIOD.test(period)) throw new Error(`invalid period ${period}`);
  return `usage_aggregates_${period.replace('-', '_')}`;
};

/** The set-based half of the ingestion: validating staged lines and writing their outcome. */
@Injectable()
export class UsageIngestRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates the period's partition of usage_aggregates if it is missing, in a short transaction of
   * its own (creating a partition locks the parent table: not something to hold during a long
   * commit). Serialised by an advisory lock so concurrent reports of a new period do not collide.
   */
  async ensurePartition(period: string): Promise<void> {
    const name = aggregatePartition(period);
    const exists: { r: string | null }[] = await this.dataSource.query(`SELECT to_regclass($1)::text AS r`, [name]);
    if (exists[0]?.r) return;
    await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('usage_aggregates.partition'))`);
      await em.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF usage_aggregates FOR VALUES IN ('${period}')`);
    });
  }

  /**
   * Whether the period already has an approved royalty run (the report is then `late`). The
   * royalty area owns `royalty_runs`; until its migration exists, no period is approved.
   */
  async periodHasApprovedRun(em: EntityManager, period: string): Promise<boolean> {
    const t: { r: string | null }[] = await em.query(`SELECT to_regclass('royalty_runs')::text AS r`);
    if (!t[0]?.r) return false;
    const rows: { x: boolean }[] = await em.query(
      `SELECT EXISTS (SELECT 1 FROM royalty_runs WHERE period = $1 AND status IN ('approved','posted')) AS x`,
      [period],
    );
    return rows[0].x;
  }

  /**
   * Validates the run's staged lines against the licence's manifest, uses and term, and writes
   * the rejections and the accepted units (summed per work) in the caller's transaction: two
   * set-based statements over the staged rows. Precedence of codes: the parser's
   * (MALFORMED_LINE, INVALID_UNITS), UNKNOWN_WORK, WORK_NOT_LICENSED, USE_NOT_LICENSED,
   * PERIOD_OUTSIDE_TERM. Returns counts; `lines` is the caller's (the parser's) and must equal
   * accepted + rejected, or this throws (and the transaction rolls back).
   */
  async classifyAndWrite(
    em: EntityManager,
    r: { reportId: string; runId: string; licenceId: string; period: string; uses: string[]; outsideTerm: boolean; lines: number; modelIds: string[] },
  ): Promise<UsageCommitCounts> {
    // Fresh statistics for the freshly loaded rows, so the planner hashes instead of looping.
    await em.query(`ANALYZE usage_staging`);
    // Enough memory for the joins and the per-work sums to stay in memory (4 MB spills to disk).
    await em.query(`SET LOCAL work_mem = '128MB'`);
    const resolved = `
      WITH manifest_by_hash AS (
        SELECT DISTINCT ON (content_hash) content_hash, work_id
          FROM licence_manifest_lines WHERE licence_id = $3 ORDER BY content_hash, work_id
      )
      SELECT st.line_no, st.error_code, st.error_message, st.units, st.use, st.work_id AS given_work_id, st.content_hash,
             coalesce(mw.work_id, mh.work_id) AS work_id
        FROM usage_staging st
        LEFT JOIN licence_manifest_lines mw ON st.work_id IS NOT NULL AND mw.licence_id = $3 AND mw.work_id = st.work_id
        LEFT JOIN manifest_by_hash mh ON st.content_hash IS NOT NULL AND mh.content_hash = st.content_hash
       WHERE st.run_id = $2`;
    const [agg]: { works: string; accepted: string; units: string }[] = await em.query(
      `WITH ins AS (
         INSERT INTO usage_aggregates (period, report_id, licence_id, work_id, units, line_count)
         SELECT $4, $1, $3, s.work_id, sum(s.units), count(*)
           FROM (${resolved}) s
          WHERE s.error_code IS NULL AND s.work_id IS NOT NULL AND (s.use IS NULL OR s.use = ANY($5::text[])) AND NOT $6::boolean
          GROUP BY s.work_id
         RETURNING units, line_count
       )
       SELECT count(*)::text AS works, coalesce(sum(line_count), 0)::text AS accepted, coalesce(sum(units), 0)::text AS units FROM ins`,
      [r.reportId, r.runId, r.licenceId, r.period, r.uses, r.outsideTerm],
    );
    const [rej]: { rejected: string }[] = await em.query(
      `WITH ins AS (
         INSERT INTO usage_rejections (report_id, line_no, code, message)
         SELECT $1, c.line_no, c.code, CASE c.code
             WHEN 'UNKNOWN_WORK' THEN 'No work ' || coalesce('with ID ' || c.given_work_id::text, 'with content hash ' || c.content_hash) || ' is known to Fairshare.'
             WHEN 'WORK_NOT_LICENSED' THEN 'Work ' || coalesce(c.given_work_id::text, 'with content hash ' || c.content_hash) || ' is not in the licence''s manifest.'
             WHEN 'USE_NOT_LICENSED' THEN 'Use "' || left(c.use, 64) || '" is not one of the licence''s uses (' || array_to_string($5::text[], ', ') || ').'
             WHEN 'PERIOD_OUTSIDE_TERM' THEN 'Period ' || $4 || ' does not overlap the licence''s term.'
             ELSE coalesce(c.error_message, c.code)
           END
           FROM (
             SELECT s.*, CASE
                 WHEN s.error_code IS NOT NULL THEN s.error_code
                 WHEN s.work_id IS NULL AND s.given_work_id IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM works w WHERE w.id = s.given_work_id) THEN 'UNKNOWN_WORK'
                 WHEN s.work_id IS NULL AND s.content_hash IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM works w WHERE w.content_hash = s.content_hash) THEN 'UNKNOWN_WORK'
                 WHEN s.work_id IS NULL THEN 'WORK_NOT_LICENSED'
                 WHEN s.use IS NOT NULL AND NOT (s.use = ANY($5::text[])) THEN 'USE_NOT_LICENSED'
                 WHEN $6::boolean THEN 'PERIOD_OUTSIDE_TERM'
               END AS code
               FROM (${resolved}) s
              WHERE s.error_code IS NOT NULL OR s.work_id IS NULL OR (s.use IS NOT NULL AND NOT (s.use = ANY($5::text[]))) OR $6::boolean
           ) c
         RETURNING 1
       )
       SELECT count(*)::text AS rejected FROM ins`,
      [r.reportId, r.runId, r.licenceId, r.period, r.uses, r.outsideTerm],
    );
    const counts: UsageCommitCounts = {
      lines: BigInt(r.lines),
      rejected: BigInt(rej.rejected),
      accepted: BigInt(agg.accepted),
      acceptedUnits: BigInt(agg.units),
      works: BigInt(agg.works),
      modelIds: r.modelIds.slice(0, MODEL_IDS_KEPT),
    };
    if (counts.accepted + counts.rejected !== counts.lines) {
      throw new Error(`usage report ${r.reportId}: ${counts.accepted} accepted + ${counts.rejected} rejected ≠ ${counts.lines} lines read`);
    }
    return counts;
  }
}
