import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NewWork, Work, WORK_COLUMNS, workFromRow } from './catalogue-rows';
import type { WorkStatus } from './work.entity';

export type OfferUse = 'train' | 'fine_tune' | 'retrieval' | 'evaluation';

export interface EligibilityFilter {
  uses: readonly OfferUse[];
  /** true: only works whose consent allows commercial licensees. */
  commercial: boolean;
  /** true: only works included in the collective licence. */
  collective?: boolean;
  /** Works whose owner excluded this organisation are left out. */
  excludeOrganisationId?: string | null;
  /** Restrict to these works (dataset offers). */
  workIds?: readonly string[];
}

export interface EligibleWork {
  workId: string;
  contentHash: string;
  consentRecordId: string;
}

const USE_COLUMN: Record<OfferUse, string> = {
  train: 'allow_train',
  fine_tune: 'allow_fine_tune',
  retrieval: 'allow_retrieval',
  evaluation: 'allow_evaluation',
};

@Injectable()
export class WorkRepository {
  constructor(private readonly dataSource: DataSource) {}

  private m(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  async findById(id: string, em?: EntityManager): Promise<Work | null> {
    const rows: Record<string, unknown>[] = await this.m(em).query(`SELECT ${WORK_COLUMNS} FROM works w WHERE w.id = $1`, [id]);
    return rows[0] ? workFromRow(rows[0]) : null;
  }

  async lockById(em: EntityManager, id: string): Promise<Work | null> {
    const rows: Record<string, unknown>[] = await em.query(`SELECT ${WORK_COLUMNS} FROM works w WHERE w.id = $1 FOR UPDATE`, [id]);
    return rows[0] ? workFromRow(rows[0]) : null;
  }

  async findByIds(ids: readonly string[], em?: EntityManager): Promise<Work[]> {
    const rows: Record<string, unknown>[] = await this.m(em).query(`SELECT ${WORK_COLUMNS} FROM works w WHERE w.id = ANY($1::uuid[]) ORDER BY w.id`, [ids]);
    return rows.map(workFromRow);
  }

  /**
   * Serialises claims of the same contents (API creation, imports, dispute resolution): the
   * dispute check then sees every committed claim. Locks in a fixed order, so no deadlock.
   */
  async lockHashes(em: EntityManager, hashes: readonly string[]): Promise<void> {
    await em.query(
      `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext(h) AS k FROM unnest($1::text[]) h ORDER BY 1) s`,
      [hashes],
    );
  }

  /** Inserts a work; null if its catalogue already has a work with that content hash. */
  async insert(em: EntityManager, w: NewWork, at: Date): Promise<Work | null> {
    const rows: Record<string, unknown>[] = await em.query(
      `INSERT INTO works AS w (catalogue_id, owner_id, title, media_type, language, identifiers, content_hash, size_bytes,
                         tags, description, source_url, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
       ON CONFLICT ON CONSTRAINT works_catalogue_hash_key DO NOTHING
       RETURNING ${WORK_COLUMNS}`,
      [w.catalogueId, w.ownerId, w.title, w.mediaType, w.language, JSON.stringify(w.identifiers), w.contentHash,
        w.sizeBytes?.toString() ?? null, w.tags, w.description, w.sourceUrl, at],
    );
    return rows[0] ? workFromRow(rows[0]) : null;
  }

  /**
   * Inserts many works in one statement (imports). Works whose hash the catalogue already holds
   * are skipped; answers the created ones with their content hash.
   */
  async insertMany(em: EntityManager, works: readonly NewWork[], at: Date): Promise<{ id: string; contentHash: string }[]> {
    if (works.length === 0) return [];
    const col = <K extends keyof NewWork>(k: K) => works.map((w) => w[k]);
    const rows: { id: string; content_hash: string }[] = await em.query(
      `INSERT INTO works (catalogue_id, owner_id, title, media_type, language, identifiers, content_hash, size_bytes,
                          tags, description, source_url, created_at, updated_at)
       SELECT c, o, t, mt, l, i::jsonb, h, s::bigint, ARRAY(SELECT jsonb_array_elements_text(tg::jsonb)), d, u, $12, $12
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::text[], $11::text[]) AS x(c, o, t, mt, l, i, h, s, tg, d, u)
       ON CONFLICT ON CONSTRAINT works_catalogue_hash_key DO NOTHING
       RETURNING id, content_hash`,
      [
        col('catalogueId'), col('ownerId'), col('title'), col('mediaType'), col('language'),
        works.map((w) => JSON.stringify(w.identifiers)), col('contentHash'), works.map((w) => w.sizeBytes?.toString() ?? null),
        works.map((w) => JSON.stringify(w.tags)), col('description'), col('sourceUrl'), at,
      ],
    );
    return rows.map((r) => ({ id: r.id, contentHash: r.content_hash }));
  }

  /** Of these hashes, those the catalogue already holds. */
  async existingHashes(em: EntityManager, catalogueId: string, hashes: readonly string[]): Promise<Set<string>> {
    const rows: { content_hash: string }[] = await em.query(
      `SELECT content_hash FROM works WHERE catalogue_id = $1 AND content_hash = ANY($2::text[])`,
      [catalogueId, hashes],
    );
    return new Set(rows.map((r) => r.content_hash));
  }

  /**
   * Marks `disputed` every live claim of these hashes that another creator also claims. Call
   * after lockHashes, in the same transaction. Answers the works newly disputed.
   */
  async markDisputes(em: EntityManager, hashes: readonly string[], at: Date): Promise<{ id: string; contentHash: string }[]> {
    const rows: { id: string; content_hash: string }[] = await em.query(
      `WITH upd AS (
         UPDATE works w SET status = 'disputed', updated_at = $2
          WHERE w.content_hash = ANY($1::text[]) AND w.status = 'active'
            AND EXISTS (SELECT 1 FROM works o WHERE o.content_hash = w.content_hash AND o.owner_id <> w.owner_id AND o.status <> 'rejected')
          RETURNING w.id, w.content_hash)
       SELECT id, content_hash FROM upd ORDER BY id`,
      [hashes, at],
    );
    return rows.map((r) => ({ id: r.id, contentHash: r.content_hash }));
  }

  /** Live claims (not rejected) of one content hash, oldest first. */
  async claimsOfHash(em: EntityManager, hash: string): Promise<Work[]> {
    const rows: Record<string, unknown>[] = await em.query(
      `SELECT ${WORK_COLUMNS} FROM works w WHERE w.content_hash = $1 AND w.status <> 'rejected' ORDER BY w.created_at, w.id`,
      [hash],
    );
    return rows.map(workFromRow);
  }

  async setStatus(em: EntityManager, ids: readonly string[], status: WorkStatus, at: Date): Promise<void> {
    await em.query(`UPDATE works SET status = $2, updated_at = $3 WHERE id = ANY($1::uuid[])`, [ids, status, at]);
  }

  async setContent(em: EntityManager, id: string, storageKey: string, sizeBytes: bigint, at: Date): Promise<void> {
    await em.query(`UPDATE works SET storage_key = $2, size_bytes = $3, updated_at = $4 WHERE id = $1`, [id, storageKey, sizeBytes.toString(), at]);
  }

  /** Content hashes with disputed claims, with those claims (admin list), oldest dispute first. */
  async listDisputed(limit: number, em?: EntityManager): Promise<{ contentHash: string; works: (Work & { ownerName: string | null })[] }[]> {
    const rows: Record<string, unknown>[] = await this.m(em).query(
      `WITH h AS (SELECT content_hash, min(updated_at) AS since FROM works WHERE status = 'disputed'
                   GROUP BY content_hash ORDER BY since, content_hash LIMIT $1)
       SELECT ${WORK_COLUMNS}, coalesce(oc.display_name, ou.display_name) AS owner_name
         FROM works w JOIN h ON h.content_hash = w.content_hash
         LEFT JOIN creators oc ON oc.id = w.owner_id LEFT JOIN users ou ON ou.id = w.owner_id
        WHERE w.status <> 'rejected' ORDER BY h.since, w.content_hash, w.created_at, w.id`,
      [limit],
    );
    const out = new Map<string, (Work & { ownerName: string | null })[]>();
    for (const r of rows.map((x) => ({ ...workFromRow(x), ownerName: (x.owner_name as string | null) ?? null }))) out.set(r.contentHash, [...(out.get(r.contentHash) ?? []), r]);
    return [...out].map(([contentHash, works]) => ({ contentHash, works }));
  }

  /** A catalogue's works for machine-readable terms, in keyset batches by ID. */
  async pageOfCatalogue(catalogueId: string, afterId: string | null, limit: number, em?: EntityManager): Promise<Work[]> {
    const rows: Record<string, unknown>[] = await this.m(em).query(
      `SELECT ${WORK_COLUMNS} FROM works w WHERE w.catalogue_id = $1 AND w.status <> 'rejected' AND ($2::uuid IS NULL OR w.id > $2)
        ORDER BY w.id LIMIT $3`,
      [catalogueId, afterId, limit],
    );
    return rows.map(workFromRow);
  }

  /** Every live work with a source URL (TDMRep), in keyset batches by ID. */
  async pageWithSourceUrl(afterId: string | null, limit: number, em?: EntityManager): Promise<Work[]> {
    const rows: Record<string, unknown>[] = await this.m(em).query(
      `SELECT ${WORK_COLUMNS} FROM works w WHERE w.source_url IS NOT NULL AND w.status <> 'rejected' AND ($1::uuid IS NULL OR w.id > $1)
        ORDER BY w.id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(workFromRow);
  }

  /**
   * The SELECT of works a new licence may include (CURRENT consent allows every given use, and
   * commercial / collective if asked; status active; organisation not excluded), as SQL for
   * set-based use (`INSERT … SELECT work_id, content_hash, consent_record_id FROM (<sql>) e`).
   * Parameters are numbered from `firstParam`; ordered by work ID.
   */
  eligibleForOfferQuery(f: EligibilityFilter, firstParam = 1, afterId: string | null = null, limit: number | null = null): { sql: string; params: unknown[] } {
    if (f.uses.length === 0) throw new Error('eligibleForOfferQuery: at least one use is required');
    const p = (i: number) => `$${firstParam + i}`;
    const useClause = [...new Set(f.uses)].map((u) => {
      if (!USE_COLUMN[u]) throw new Error(`unknown use ${u}`);
      return `w.${USE_COLUMN[u]}`;
    }).join(' AND ');
    const sql = `SELECT w.id AS work_id, w.content_hash, w.consent_record_id FROM works w
      WHERE w.status = 'active' AND w.consent_record_id IS NOT NULL AND ${useClause}
        AND (${p(0)}::boolean = false OR w.allow_commercial)
        AND (${p(1)}::boolean = false OR w.allow_collective)
        AND (${p(2)}::uuid IS NULL OR NOT (${p(2)}::uuid = ANY(w.excluded_organisation_ids)))
        AND (${p(3)}::uuid[] IS NULL OR w.id = ANY(${p(3)}::uuid[]))
        AND (${p(4)}::uuid IS NULL OR w.id > ${p(4)}::uuid)
      ORDER BY w.id${limit === null ? '' : ` LIMIT ${Math.floor(limit)}`}`;
    return { sql, params: [f.commercial, f.collective ?? false, f.excludeOrganisationId ?? null, f.workIds ?? null, afterId] };
  }

  /** Works a new licence may include (see eligibleForOfferQuery). For large sets use iterateEligibleForOffer. */
  async findEligibleForOffer(em: EntityManager, f: EligibilityFilter): Promise<EligibleWork[]> {
    const { sql, params } = this.eligibleForOfferQuery(f);
    const rows: { work_id: string; content_hash: string; consent_record_id: string }[] = await em.query(sql, params);
    return rows.map((r) => ({ workId: r.work_id, contentHash: r.content_hash, consentRecordId: r.consent_record_id }));
  }

  /** The same, in keyset batches by work ID (bounded memory for a million works). */
  async *iterateEligibleForOffer(em: EntityManager, f: EligibilityFilter, batchSize = 10000): AsyncGenerator<EligibleWork[]> {
    let after: string | null = null;
    for (;;) {
      const { sql, params } = this.eligibleForOfferQuery(f, 1, after, batchSize);
      const rows: { work_id: string; content_hash: string; consent_record_id: string }[] = await em.query(sql, params);
      if (rows.length === 0) return;
      yield rows.map((r) => ({ workId: r.work_id, contentHash: r.content_hash, consentRecordId: r.consent_record_id }));
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1].work_id;
    }
  }
}
