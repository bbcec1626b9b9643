import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { LicenceTotalRow, RoyaltyLineRow } from './royalty-rows';

export interface HolderPostingRow {
  holderKey: string;
  holderKind: 'creator' | 'invitation';
  /** For an invitation already accepted: the creator who accepted it. */
  acceptedBy: string | null;
  currency: string;
  amount: bigint;
}

/** A creator with lines in a run (their own or through invitations they accepted), with sums per currency. */
export interface RunCreatorRow {
  creatorId: string;
  name: string;
  lineCount: number;
  totals: { currency: string; amount: bigint }[];
}

export interface StatementSummaryRow {
  runId: string;
  period: string;
  status: string;
  postedAt: Date | null;
  currency: string;
  amount: bigint;
  adjustments: bigint;
  lineCount: number;
}

const LINE_COLUMNS = `l.run_id, l.period, l.original_period, l.licence_id, l.work_id, l.holder_key, l.holder_kind, l.currency,
  l.units::text AS units, l.amount::text AS amount, l.consent_record_id, l.is_adjustment,
  w.title AS work_title, org.name AS organisation_name, coalesce(hc.display_name, hu.display_name, hi.email) AS holder_name`;
/** Lines with what people read instead of IDs: the work's title, the licensee, the holder's name (outer joins, one query). */
const LINE_FROM = `royalty_lines l
  LEFT JOIN works w ON w.id = l.work_id
  LEFT JOIN licences lic ON lic.id = l.licence_id
  LEFT JOIN organisations org ON org.id = lic.organisation_id
  LEFT JOIN holder_invitations hi ON l.holder_kind = 'invitation' AND hi.id = l.holder_key
  LEFT JOIN creators hc ON hc.id = CASE WHEN l.holder_kind = 'invitation' THEN hi.accepted_by ELSE l.holder_key END
  LEFT JOIN users hu ON hu.id = CASE WHEN l.holder_kind = 'invitation' THEN hi.accepted_by ELSE l.holder_key END`;

function toLine(r: Record<string, unknown>): RoyaltyLineRow {
  return {
    runId: r.run_id as string,
    period: r.period as string,
    originalPeriod: r.original_period as string,
    licenceId: r.licence_id as string,
    workId: r.work_id as string,
    holderKey: r.holder_key as string,
    holderKind: r.holder_kind as 'creator' | 'invitation',
    currency: (r.currency as string).trim(),
    units: BigInt(r.units as string),
    amount: BigInt(r.amount as string),
    consentRecordId: r.consent_record_id as string,
    isAdjustment: r.is_adjustment as boolean,
    workTitle: (r.work_title as string | null) ?? null,
    organisationName: (r.organisation_name as string | null) ?? null,
    holderName: (r.holder_name as string | null) ?? null,
  };
}

/** Reads of statement lines and the aggregates an approval posts. */
@Injectable()
export class RoyaltyStatementRepository {
  constructor(private readonly dataSource: DataSource) {}

  private m(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  /** The holder keys of a creator: their ID and every invitation they accepted. */
  async holderKeysOf(creatorId: string, em?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await this.m(em).query(`SELECT id FROM holder_invitations WHERE accepted_by = $1 ORDER BY id`, [creatorId]);
    return [creatorId, ...rows.map((r) => r.id)];
  }

  /** Lines of a run, optionally for some holder keys only, in a stable order; keyset-paged. */
  async lines(
    runId: string,
    q: { holderKeys?: string[]; limit: number; after?: { licenceId: string; originalPeriod: string; workId: string; holderKey: string } },
    em?: EntityManager,
  ): Promise<RoyaltyLineRow[]> {
    const a = q.after;
    const rows: Record<string, unknown>[] = await this.m(em).query(
      `SELECT ${LINE_COLUMNS} FROM ${LINE_FROM}
        WHERE l.run_id = $1 AND ($2::uuid[] IS NULL OR l.holder_key = ANY($2::uuid[]))
          AND ($3::uuid IS NULL OR (l.licence_id, l.original_period, l.work_id, l.holder_key) > ($3::uuid, $4::text, $5::uuid, $6::uuid))
        ORDER BY l.licence_id, l.original_period, l.work_id, l.holder_key
        LIMIT $7`,
      [runId, q.holderKeys ?? null, a?.licenceId ?? null, a?.originalPeriod ?? null, a?.workId ?? null, a?.holderKey ?? null, q.limit],
    );
    return rows.map(toLine);
  }

  async licenceTotals(runId: string, em?: EntityManager): Promise<LicenceTotalRow[]> {
    const rows: Record<string, unknown>[] = await this.m(em).query(
      `SELECT run_id, period, original_period, licence_id, currency, recognised::text AS recognised, fee::text AS fee, is_adjustment
         FROM royalty_licence_totals WHERE run_id = $1 ORDER BY licence_id, original_period`,
      [runId],
    );
    return rows.map((r) => ({
      runId: r.run_id as string,
      period: r.period as string,
      originalPeriod: r.original_period as string,
      licenceId: r.licence_id as string,
      currency: (r.currency as string).trim(),
      recognised: BigInt(r.recognised as string),
      fee: BigInt(r.fee as string),
      isAdjustment: r.is_adjustment as boolean,
    }));
  }

  /** Per holder and currency, Σ of the run's lines (zero sums left out), with invitation acceptance. */
  async holderPostings(em: EntityManager, runId: string): Promise<HolderPostingRow[]> {
    const rows: { holder_key: string; holder_kind: 'creator' | 'invitation'; accepted_by: string | null; currency: string; amount: string }[] = await em.query(
      `SELECT s.holder_key, s.holder_kind, i.accepted_by, s.currency, s.amount::text AS amount
         FROM (SELECT holder_key, holder_kind, currency, sum(amount) AS amount FROM royalty_lines WHERE run_id = $1
                GROUP BY holder_key, holder_kind, currency HAVING sum(amount) <> 0) s
         LEFT JOIN holder_invitations i ON s.holder_kind = 'invitation' AND i.id = s.holder_key
        ORDER BY s.holder_key, s.currency`,
      [runId],
    );
    return rows.map((r) => ({ holderKey: r.holder_key, holderKind: r.holder_kind, acceptedBy: r.accepted_by, currency: r.currency.trim(), amount: BigInt(r.amount) }));
  }

  /**
   * Creators with lines in a run whose name contains `text` (case-insensitive), or whose ID or
   * e-mail address is `text` exactly; the first `limit` by name, each with their line count and
   * sums per currency over all their holder keys (their ID and the invitations they accepted).
   * Each candidate's lines are found through the (holder_key, run_id) index, never by a scan of
   * the run.
   */
  async creatorsInRun(runId: string, text: string, limit: number, em?: EntityManager): Promise<RunCreatorRow[]> {
    const pattern = '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
    const rows: { id: string; name: string; currency: string; lines: number; amount: string }[] = await this.m(em).query(
      `WITH matched AS MATERIALIZED (
         -- The text first (one scan of users), then the run's index for those matched only.
         SELECT u.id, coalesce(c.display_name, u.display_name) AS name
           FROM users u LEFT JOIN creators c ON c.id = u.id
          WHERE u.id::text = lower($2) OR lower(u.email) = lower($2) OR coalesce(c.display_name, u.display_name) ILIKE $3
       ),
       found AS (
         SELECT m.id, m.name FROM matched m
          WHERE EXISTS (SELECT 1 FROM royalty_lines l WHERE l.holder_key = m.id AND l.run_id = $1)
             OR EXISTS (SELECT 1 FROM holder_invitations i JOIN royalty_lines l ON l.holder_key = i.id AND l.run_id = $1 WHERE i.accepted_by = m.id)
          ORDER BY m.name, m.id
          LIMIT $4
       )
       SELECT f.id, f.name, l.currency, count(*)::int AS lines, sum(l.amount)::text AS amount
         FROM found f
         CROSS JOIN LATERAL (SELECT f.id AS holder_key UNION ALL SELECT i.id FROM holder_invitations i WHERE i.accepted_by = f.id) k
         JOIN royalty_lines l ON l.holder_key = k.holder_key AND l.run_id = $1
        GROUP BY f.id, f.name, l.currency
        ORDER BY f.name, f.id, l.currency`,
      [runId, text, pattern, limit],
    );
    const out: RunCreatorRow[] = [];
    for (const r of rows) {
      let c = out[out.length - 1];
      if (!c || c.creatorId !== r.id) out.push((c = { creatorId: r.id, name: r.name, lineCount: 0, totals: [] }));
      c.lineCount += r.lines;
      c.totals.push({ currency: r.currency.trim(), amount: BigInt(r.amount) });
    }
    return out;
  }

  /** Invitation holder keys of a run (to lock their unclaimed accounts before posting). */
  async invitationKeys(em: EntityManager, runId: string): Promise<string[]> {
    const rows: { holder_key: string }[] = await em.query(
      `SELECT DISTINCT holder_key FROM royalty_lines WHERE run_id = $1 AND holder_kind = 'invitation' ORDER BY holder_key`,
      [runId],
    );
    return rows.map((r) => r.holder_key);
  }

  /** Runs in which the holder keys have lines, newest first, with their sums per currency. */
  async statements(holderKeys: string[], statuses: string[], em?: EntityManager): Promise<StatementSummaryRow[]> {
    const rows: Record<string, unknown>[] = await this.m(em).query(
      `SELECT r.id, r.period, r.status, r.posted_at, l.currency,
              sum(l.amount) FILTER (WHERE NOT l.is_adjustment)::text AS amount,
              coalesce(sum(l.amount) FILTER (WHERE l.is_adjustment), 0)::text AS adjustments,
              count(*)::int AS line_count
         FROM royalty_lines l JOIN royalty_runs r ON r.id = l.run_id
        WHERE l.holder_key = ANY($1::uuid[]) AND r.status = ANY($2::text[])
        GROUP BY r.id, r.period, r.status, r.posted_at, l.currency
        ORDER BY r.period DESC, l.currency`,
      [holderKeys, statuses],
    );
    return rows.map((r) => ({
      runId: r.id as string,
      period: r.period as string,
      status: r.status as string,
      postedAt: r.posted_at as Date | null,
      currency: (r.currency as string).trim(),
      amount: BigInt((r.amount as string | null) ?? '0'),
      adjustments: BigInt(r.adjustments as string),
      lineCount: r.line_count as number,
    }));
  }
}
