import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConsentFlags, consentFromRow } from './catalogue-rows';

export interface ConsentRecord {
  id: string;
  workId: string;
  actorId: string | null;
  /** Who made the change: their creator profile's name, else their account's; null for the system. */
  actorName: string | null;
  createdAt: Date;
  consent: ConsentFlags;
  previousId: string | null;
  previous: ConsentFlags | null;
  bulkId: string | null;
}

/** Which works of a catalogue a bulk consent change applies to (all when empty). */
export interface WorkSelection {
  mediaType?: string;
  language?: string;
  tag?: string;
  workIds?: string[];
}

const flagsParams = (c: ConsentFlags) => [c.train, c.fineTune, c.retrieval, c.evaluation, c.commercial, c.collective, c.excludedOrganisationIds];

@Injectable()
export class ConsentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends a consent record for a work (locked by the caller) and makes it the work's current
   * consent, in the caller's transaction.
   */
  async append(em: EntityManager, r: { workId: string; actorId: string | null; at: Date; consent: ConsentFlags }): Promise<ConsentRecord> {
    const rows: { id: string }[] = await em.query(
      `WITH ins AS (
         INSERT INTO consent_records (work_id, actor_id, created_at, allow_train, allow_fine_tune, allow_retrieval,
                                      allow_evaluation, allow_commercial, allow_collective, excluded_organisation_ids, previous_id)
         SELECT w.id, $2::uuid, $3::timestamptz, $4::boolean, $5::boolean, $6::boolean, $7::boolean, $8::boolean, $9::boolean, $10::uuid[], w.consent_record_id
           FROM works w WHERE w.id = $1
         RETURNING id, work_id),
       upd AS (
         UPDATE works w SET consent_record_id = ins.id, allow_train = $4, allow_fine_tune = $5, allow_retrieval = $6,
                allow_evaluation = $7, allow_commercial = $8, allow_collective = $9, excluded_organisation_ids = $10, updated_at = $3
           FROM ins WHERE w.id = ins.work_id RETURNING ins.id)
       SELECT id FROM upd`,
      [r.workId, r.actorId, r.at, ...flagsParams(r.consent)],
    );
    return (await this.findById(rows[0].id, em))!;
  }

  /**
   * One record per selected work of the catalogue, sharing `bulkId`, and the works' current
   * consent updated: two statements whatever the number of works. Answers how many.
   */
  async appendBulk(
    em: EntityManager,
    r: { catalogueId: string; selection: WorkSelection; actorId: string | null; at: Date; consent: ConsentFlags; bulkId: string },
  ): Promise<number> {
    const s = r.selection;
    const rows: { n: string }[] = await em.query(
      `WITH target AS (
         SELECT w.id, w.consent_record_id FROM works w
          WHERE w.catalogue_id = $1 AND w.status <> 'rejected'
            AND ($12::text IS NULL OR w.media_type = $12) AND ($13::text IS NULL OR lower(w.language) = lower($13))
            AND ($14::text IS NULL OR w.tags @> ARRAY[$14::text]) AND ($15::uuid[] IS NULL OR w.id = ANY($15::uuid[]))
          ORDER BY w.id FOR UPDATE),
       ins AS (
         INSERT INTO consent_records (work_id, actor_id, created_at, allow_train, allow_fine_tune, allow_retrieval,
                                      allow_evaluation, allow_commercial, allow_collective, excluded_organisation_ids, previous_id, bulk_id)
         SELECT t.id, $2::uuid, $3::timestamptz, $4::boolean, $5::boolean, $6::boolean, $7::boolean, $8::boolean, $9::boolean, $10::uuid[],
                t.consent_record_id, $11::uuid FROM target t
         RETURNING id, work_id),
       upd AS (
         UPDATE works w SET consent_record_id = ins.id, allow_train = $4, allow_fine_tune = $5, allow_retrieval = $6,
                allow_evaluation = $7, allow_commercial = $8, allow_collective = $9, excluded_organisation_ids = $10, updated_at = $3
           FROM ins WHERE w.id = ins.work_id RETURNING 1)
       SELECT count(*) AS n FROM upd`,
      [r.catalogueId, r.actorId, r.at, ...flagsParams(r.consent), r.bulkId, s.mediaType ?? null, s.language ?? null, s.tag ?? null, s.workIds ?? null],
    );
    return Number(rows[0].n);
  }

  /** Of these organisation IDs, those that do not exist. */
  async unknownOrganisations(ids: readonly string[], em?: EntityManager): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await (em ?? this.dataSource.manager).query(
      `SELECT x.id FROM unnest($1::uuid[]) AS x(id) WHERE NOT EXISTS (SELECT 1 FROM organisations o WHERE o.id = x.id)`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  async findById(id: string, em?: EntityManager): Promise<ConsentRecord | null> {
    const rows: Record<string, unknown>[] = await (em ?? this.dataSource.manager).query(`${HISTORY_SELECT} WHERE c.id = $1`, [id]);
    return rows[0] ? recordFromRow(rows[0]) : null;
  }

  /** Every consent record of a work, oldest first, each with the state it replaced. */
  async history(workId: string, em?: EntityManager): Promise<ConsentRecord[]> {
    const rows: Record<string, unknown>[] = await (em ?? this.dataSource.manager).query(
      `${HISTORY_SELECT} WHERE c.work_id = $1 ORDER BY c.created_at, c.id`,
      [workId],
    );
    // previous_id chains the records: order by the chain, not only by time (equal timestamps).
    const records = rows.map(recordFromRow);
    const byPrev = new Map(records.map((r) => [r.previousId, r]));
    const chain: ConsentRecord[] = [];
    for (let r = byPrev.get(null); r; r = byPrev.get(r.id)) chain.push(r);
    return chain.length === records.length ? chain : records;
  }
}

const HISTORY_SELECT = `SELECT c.id, c.work_id, c.actor_id, c.created_at, c.previous_id, c.bulk_id,
       c.allow_train, c.allow_fine_tune, c.allow_retrieval, c.allow_evaluation, c.allow_commercial, c.allow_collective,
       c.excluded_organisation_ids,
       p.allow_train AS p_allow_train, p.allow_fine_tune AS p_allow_fine_tune, p.allow_retrieval AS p_allow_retrieval,
       p.allow_evaluation AS p_allow_evaluation, p.allow_commercial AS p_allow_commercial,
       p.allow_collective AS p_allow_collective, p.excluded_organisation_ids AS p_excluded_organisation_ids,
       coalesce(ac.display_name, au.display_name) AS actor_name
  FROM consent_records c LEFT JOIN consent_records p ON p.id = c.previous_id
  LEFT JOIN users au ON au.id = c.actor_id LEFT JOIN creators ac ON ac.id = c.actor_id`;

function recordFromRow(r: Record<string, unknown>): ConsentRecord {
  const prev = Object.fromEntries(Object.entries(r).filter(([k]) => k.startsWith('p_')).map(([k, v]) => [k.slice(2), v]));
  return {
    id: r.id as string,
    workId: r.work_id as string,
    actorId: (r.actor_id as string | null) ?? null,
    actorName: (r.actor_name as string | null) ?? null,
    createdAt: r.created_at as Date,
    consent: consentFromRow(r),
    previousId: (r.previous_id as string | null) ?? null,
    previous: r.previous_id ? consentFromRow(prev) : null,
    bulkId: (r.bulk_id as string | null) ?? null,
  };
}
