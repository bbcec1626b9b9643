import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { OfferKind, OfferRow } from './licensing-rows';

type Row = Record<string, unknown>;

/** What a new offer is made of: the offer's own columns, without what the database assigns. */
export type NewOffer = Omit<OfferRow, 'id' | 'active' | 'createdAt' | 'workCount'>;

const OFFER_COLUMNS = `o.id, o.kind, o.name, o.description, o.uses, o.commercial, o.currency, o.price_minor, o.term_days,
  o.admin_fee_bps, o.distribution_key, o.usage_unit, o.active, o.created_by, o.created_at,
  (SELECT coalesce(json_agg(json_build_object('code', t.code, 'label', t.label, 'priceMinor', t.price_minor::text) ORDER BY t.position), '[]'::json)
     FROM offer_tiers t WHERE t.offer_id = o.id) AS tiers,
  CASE WHEN o.kind = 'dataset' THEN (SELECT count(*)::int FROM offer_works w WHERE w.offer_id = o.id) END AS work_count`;

const toOffer = (r: Row): OfferRow => ({
  id: r.id as string,
  kind: r.kind as OfferKind,
  name: r.name as string,
  description: r.description as string,
  uses: r.uses as string[],
  commercial: r.commercial as boolean,
  currency: r.currency as string,
  priceMinor: BigInt(r.price_minor as string),
  termDays: (r.term_days as number | null) ?? null,
  adminFeeBps: r.admin_fee_bps as number,
  distributionKey: r.distribution_key as 'usage' | 'equal',
  usageUnit: r.usage_unit as string,
  active: r.active as boolean,
  createdBy: r.created_by as string,
  createdAt: r.created_at as Date,
  tiers: (r.tiers as { code: string; label: string; priceMinor: string }[]).map((t) => ({ ...t, priceMinor: BigInt(t.priceMinor) })),
  workCount: (r.work_count as number | null) ?? null,
});

/** Offers, their tariff tiers and (dataset offers) their fixed works. */
@Injectable()
export class OfferRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(em: EntityManager, o: NewOffer): Promise<string> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO offers (kind, name, description, uses, commercial, currency, price_minor, term_days, admin_fee_bps, distribution_key, usage_unit, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [o.kind, o.name, o.description, o.uses, o.commercial, o.currency, o.priceMinor.toString(), o.termDays, o.adminFeeBps, o.distributionKey, o.usageUnit, o.createdBy],
    );
    const id = rows[0].id;
    if (o.tiers.length > 0) {
      await em.query(
        `INSERT INTO offer_tiers (offer_id, code, label, price_minor, position)
         SELECT $1, t.code, t.label, t.price_minor::bigint, t.position - 1
           FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(code, label, price_minor, position)`,
        [id, o.tiers.map((t) => t.code), o.tiers.map((t) => t.label), o.tiers.map((t) => t.priceMinor.toString())],
      );
    }
    return id;
  }

  /** Set-based: the dataset offer's works, one statement however many. */
  async insertWorks(em: EntityManager, offerId: string, workIds: string[]): Promise<void> {
    await em.query(`INSERT INTO offer_works (offer_id, work_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [offerId, workIds]);
  }

  async findById(id: string, em?: EntityManager): Promise<OfferRow | null> {
    const rows: Row[] = await (em ?? this.dataSource.manager).query(`SELECT ${OFFER_COLUMNS} FROM offers o WHERE o.id = $1`, [id]);
    return rows[0] ? toOffer(rows[0]) : null;
  }

  /** Newest first, keyset by (created_at, id). */
  async list(opts: { activeOnly: boolean; limit: number; offset: number }, em?: EntityManager): Promise<OfferRow[]> {
    const rows: Row[] = await (em ?? this.dataSource.manager).query(
      `SELECT ${OFFER_COLUMNS} FROM offers o WHERE ($1::boolean IS FALSE OR o.active)
        ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3`,
      [opts.activeOnly, opts.limit, opts.offset],
    );
    return rows.map(toOffer);
  }

  async setActive(em: EntityManager, id: string, active: boolean): Promise<void> {
    await em.query(`UPDATE offers SET active = $2 WHERE id = $1`, [id, active]);
  }

  /** The dataset offer's work IDs (bounded by the offer's size, fixed at creation). */
  async workIds(offerId: string, em?: EntityManager): Promise<string[]> {
    const rows: { work_id: string }[] = await (em ?? this.dataSource.manager).query(
      `SELECT work_id FROM offer_works WHERE offer_id = $1 ORDER BY work_id`,
      [offerId],
    );
    return rows.map((r) => r.work_id);
  }
}
