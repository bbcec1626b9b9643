import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AcceptedUnitsRow } from './usage-rows';

/**
 * What other areas (royalties) read of usage. Accepted units of licence L in period p =
 * Σ units over the reports of (L, p) that are `processed` and not superseded (docs/data-model.md).
 */
@Injectable()
export class UsageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Accepted units per (licence, work) in the period, optionally for some licences only; set-based. */
  async acceptedUnits(em: EntityManager | undefined, q: { period: string; licenceIds?: string[] }): Promise<AcceptedUnitsRow[]> {
    const rows: { licence_id: string; work_id: string; units: string }[] = await (em ?? this.dataSource.manager).query(
      `SELECT a.licence_id, a.work_id, sum(a.units)::text AS units
         FROM usage_aggregates a
         JOIN usage_reports r ON r.id = a.report_id
        WHERE a.period = $1 AND r.period = $1 AND r.status = 'processed' AND r.superseded_by_id IS NULL
          AND ($2::uuid[] IS NULL OR a.licence_id = ANY($2::uuid[]))
        GROUP BY a.licence_id, a.work_id
        ORDER BY a.licence_id, a.work_id`,
      [q.period, q.licenceIds ?? null],
    );
    return rows.map((r) => ({ licenceId: r.licence_id, workId: r.work_id, units: BigInt(r.units) }));
  }

  /** The licences that have any accepted units in the period (the others fall back to `equal`). */
  async licencesWithUsage(em: EntityManager | undefined, q: { period: string; licenceIds?: string[] }): Promise<string[]> {
    const rows: { licence_id: string }[] = await (em ?? this.dataSource.manager).query(
      `SELECT DISTINCT r.licence_id
         FROM usage_reports r
        WHERE r.period = $1 AND r.status = 'processed' AND r.superseded_by_id IS NULL AND r.accepted_count > 0
          AND ($2::uuid[] IS NULL OR r.licence_id = ANY($2::uuid[]))
        ORDER BY 1`,
      [q.period, q.licenceIds ?? null],
    );
    return rows.map((r) => r.licence_id);
  }

  /**
   * (licence, period) pairs whose accepted units changed after `since` (business time): a report
   * of the pair was processed, or one was superseded, after it. For re-computing approved periods.
   */
  async changedSince(em: EntityManager | undefined, since: Date, until?: Date): Promise<{ licenceId: string; period: string; late: boolean }[]> {
    const rows: { licence_id: string; period: string; late: boolean }[] = await (em ?? this.dataSource.manager).query(
      `SELECT licence_id, period, bool_or(late) AS late FROM usage_reports
        WHERE status = 'processed'
          AND ((processed_at > $1 AND ($2::timestamptz IS NULL OR processed_at <= $2))
            OR (superseded_at > $1 AND ($2::timestamptz IS NULL OR superseded_at <= $2)))
        GROUP BY licence_id, period ORDER BY period, licence_id`,
      [since, until ?? null],
    );
    return rows.map((r) => ({ licenceId: r.licence_id, period: r.period, late: r.late }));
  }
}
