import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DisputeStatus, LicenceRefundRow, LicenceRow, LicenceStatus, ManifestLineRow, OfferKind } from './licensing-rows';

type Row = Record<string, unknown>;

const big = (v: unknown): bigint => BigInt(v as string);

const LICENCE_COLUMNS = `l.*, o.name AS offer_name, org.name AS organisation_name`;
const LICENCE_FROM = `licences l JOIN offers o ON o.id = l.offer_id JOIN organisations org ON org.id = l.organisation_id`;

const toLicence = (r: Row): LicenceRow => ({
  id: r.id as string,
  offerId: r.offer_id as string,
  offerName: r.offer_name as string,
  organisationId: r.organisation_id as string,
  organisationName: r.organisation_name as string,
  purchasedBy: (r.purchased_by as string | null) ?? null,
  tier: (r.tier as string | null) ?? null,
  status: r.status as LicenceStatus,
  kind: r.kind as OfferKind,
  uses: r.uses as string[],
  commercial: r.commercial as boolean,
  currency: r.currency as string,
  priceMinor: big(r.price_minor),
  termDays: (r.term_days as number | null) ?? null,
  adminFeeBps: r.admin_fee_bps as number,
  distributionKey: r.distribution_key as 'usage' | 'equal',
  usageUnit: r.usage_unit as string,
  startsAt: (r.starts_at as Date | null) ?? null,
  endsAt: (r.ends_at as Date | null) ?? null,
  cancelledAt: (r.cancelled_at as Date | null) ?? null,
  revokedAt: (r.revoked_at as Date | null) ?? null,
  amountPaidMinor: big(r.amount_paid_minor),
  amountRefundedMinor: big(r.amount_refunded_minor),
  disputeLostMinor: big(r.dispute_lost_minor),
  lastRefundedAt: (r.last_refunded_at as Date | null) ?? null,
  disputeStatus: r.dispute_status as DisputeStatus,
  stripeDisputeId: (r.stripe_dispute_id as string | null) ?? null,
  stripeCheckoutSessionId: (r.stripe_checkout_session_id as string | null) ?? null,
  stripePaymentIntentId: (r.stripe_payment_intent_id as string | null) ?? null,
  stripeChargeId: (r.stripe_charge_id as string | null) ?? null,
  manifestSha256: (r.manifest_sha256 as string | null) ?? null,
  manifestSignature: (r.manifest_signature as string | null) ?? null,
  manifestKeyId: (r.manifest_key_id as string | null) ?? null,
  workCount: (r.work_count as number | null) ?? null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

export interface NewLicence {
  offerId: string;
  organisationId: string;
  purchasedBy: string;
  tier: string | null;
  kind: OfferKind;
  uses: string[];
  commercial: boolean;
  currency: string;
  priceMinor: bigint;
  termDays: number | null;
  adminFeeBps: number;
  distributionKey: string;
  usageUnit: string;
}

export interface LicenceListFilter {
  organisationId?: string;
  status?: LicenceStatus;
  limit: number;
  offset: number;
}

/**
 * Licences and their manifests. Other areas (usage, royalties) read licences through
 * `findById`, `findCoveringPeriod` and `manifestBatch` only.
 */
@Injectable()
export class LicenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  private m(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  async insert(em: EntityManager, l: NewLicence): Promise<string> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO licences (offer_id, organisation_id, purchased_by, tier, kind, uses, commercial, currency, price_minor, term_days,
                             admin_fee_bps, distribution_key, usage_unit, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now(), now()) RETURNING id`,
      [l.offerId, l.organisationId, l.purchasedBy, l.tier, l.kind, l.uses, l.commercial, l.currency, l.priceMinor.toString(), l.termDays, l.adminFeeBps, l.distributionKey, l.usageUnit],
    );
    return rows[0].id;
  }

  async findById(id: string, em?: EntityManager): Promise<LicenceRow | null> {
    const rows: Row[] = await this.m(em).query(`SELECT ${LICENCE_COLUMNS} FROM ${LICENCE_FROM} WHERE l.id = $1`, [id]);
    return rows[0] ? toLicence(rows[0]) : null;
  }

  /** Locks the licence row for the rest of the transaction (webhook application, refunds). */
  async lockById(em: EntityManager, id: string): Promise<LicenceRow | null> {
    await em.query(`SELECT 1 FROM licences WHERE id = $1 FOR UPDATE`, [id]);
    return this.findById(id, em);
  }

  async findIdByChargeId(chargeId: string, em?: EntityManager): Promise<string | null> {
    const rows: { id: string }[] = await this.m(em).query(`SELECT id FROM licences WHERE stripe_charge_id = $1`, [chargeId]);
    return rows[0]?.id ?? null;
  }

  async findIdByCheckoutSession(sessionId: string, em?: EntityManager): Promise<string | null> {
    const rows: { id: string }[] = await this.m(em).query(`SELECT id FROM licences WHERE stripe_checkout_session_id = $1`, [sessionId]);
    return rows[0]?.id ?? null;
  }

  async list(f: LicenceListFilter, em?: EntityManager): Promise<LicenceRow[]> {
    const rows: Row[] = await this.m(em).query(
      `SELECT ${LICENCE_COLUMNS} FROM ${LICENCE_FROM}
        WHERE ($1::uuid IS NULL OR l.organisation_id = $1) AND ($2::text IS NULL OR l.status = $2)
        ORDER BY l.created_at DESC, l.id DESC LIMIT $3 OFFSET $4`,
      [f.organisationId ?? null, f.status ?? null, f.limit, f.offset],
    );
    return rows.map(toLicence);
  }

  async setCheckoutSession(em: EntityManager, id: string, sessionId: string): Promise<void> {
    await em.query(`UPDATE licences SET stripe_checkout_session_id = $2, updated_at = now() WHERE id = $1`, [id, sessionId]);
  }

  async markPaid(
    em: EntityManager,
    id: string,
    p: { startsAt: Date; endsAt: Date | null; amountPaidMinor: bigint; paymentIntentId: string; chargeId: string },
  ): Promise<void> {
    await em.query(
      `UPDATE licences SET starts_at = $2, ends_at = $3, amount_paid_minor = $4, stripe_payment_intent_id = $5, stripe_charge_id = $6, updated_at = now()
        WHERE id = $1 AND status = 'pending_payment'`,
      [id, p.startsAt, p.endsAt, p.amountPaidMinor.toString(), p.paymentIntentId, p.chargeId],
    );
  }

  async setManifestAndActivate(em: EntityManager, id: string, m: { sha256: string; signature: string; keyId: string; workCount: number }): Promise<void> {
    await em.query(
      `UPDATE licences SET manifest_sha256 = $2, manifest_signature = $3, manifest_key_id = $4, work_count = $5, status = 'active', updated_at = now()
        WHERE id = $1 AND status = 'pending_payment'`,
      [id, m.sha256, m.signature, m.keyId, m.workCount],
    );
  }

  async cancel(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(`UPDATE licences SET status = 'cancelled', cancelled_at = $2, updated_at = now() WHERE id = $1 AND status = 'pending_payment'`, [id, at]);
  }

  /** Adds a refund (or lost dispute) amount; `at` only ever moves last_refunded_at forward. */
  async addRefunded(em: EntityManager, id: string, amount: bigint, at: Date, disputeLost: boolean): Promise<void> {
    await em.query(
      `UPDATE licences SET amount_refunded_minor = amount_refunded_minor + $2,
              dispute_lost_minor = dispute_lost_minor + CASE WHEN $4 THEN $2::bigint ELSE 0 END,
              last_refunded_at = greatest(last_refunded_at, $3), updated_at = now()
        WHERE id = $1`,
      [id, amount.toString(), at, disputeLost],
    );
  }

  async revoke(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(`UPDATE licences SET status = 'revoked', revoked_at = $2, updated_at = now() WHERE id = $1 AND status = 'active'`, [id, at]);
  }

  async setDispute(em: EntityManager, id: string, disputeId: string, status: DisputeStatus): Promise<void> {
    await em.query(`UPDATE licences SET stripe_dispute_id = $2, dispute_status = $3, updated_at = now() WHERE id = $1`, [id, disputeId, status]);
  }

  // ---- Manifest -------------------------------------------------------------------------

  /** Set-based: INSERT … SELECT from the catalogue's eligibility query (never a per-work loop). */
  async insertManifestLines(em: EntityManager, licenceId: string, eligible: { sql: string; params: unknown[] }): Promise<number> {
    const n = eligible.params.length;
    const rows: { n: number }[] = await em.query(
      `WITH inserted AS (
         INSERT INTO licence_manifest_lines (licence_id, work_id, content_hash, consent_record_id)
         SELECT $${n + 1}::uuid, e.work_id, e.content_hash, e.consent_record_id FROM (${eligible.sql}) e
         RETURNING 1)
       SELECT count(*)::int AS n FROM inserted`,
      [...eligible.params, licenceId],
    );
    return rows[0].n;
  }

  /** One keyset page of the manifest, ordered by work ID (the canonical order). */
  async manifestBatch(licenceId: string, afterWorkId: string | null, limit: number, em?: EntityManager): Promise<ManifestLineRow[]> {
    const rows: { work_id: string; content_hash: string; consent_record_id: string }[] = await this.m(em).query(
      `SELECT work_id, content_hash, consent_record_id FROM licence_manifest_lines
        WHERE licence_id = $1 AND ($2::uuid IS NULL OR work_id > $2) ORDER BY work_id LIMIT $3`,
      [licenceId, afterWorkId, limit],
    );
    return rows.map((r) => ({ workId: r.work_id, contentHash: r.content_hash, consentRecordId: r.consent_record_id }));
  }

  async manifestLine(licenceId: string, workId: string, em?: EntityManager): Promise<ManifestLineRow | null> {
    const rows: { work_id: string; content_hash: string; consent_record_id: string }[] = await this.m(em).query(
      `SELECT work_id, content_hash, consent_record_id FROM licence_manifest_lines WHERE licence_id = $1 AND work_id = $2`,
      [licenceId, workId],
    );
    return rows[0] ? { workId: rows[0].work_id, contentHash: rows[0].content_hash, consentRecordId: rows[0].consent_record_id } : null;
  }

  // ---- Refund requests and downloads ---------------------------------------------------

  async insertRefund(em: EntityManager, r: { licenceId: string; amountMinor: bigint; currency: string; requestedBy: string | null }): Promise<string> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO licence_refunds (licence_id, amount_minor, currency, status, requested_by) VALUES ($1, $2, $3, 'requested', $4) RETURNING id`,
      [r.licenceId, r.amountMinor.toString(), r.currency, r.requestedBy],
    );
    return rows[0].id;
  }

  async markRefundSubmitted(em: EntityManager, id: string, stripeRefundId: string): Promise<void> {
    await em.query(`UPDATE licence_refunds SET status = 'submitted', stripe_refund_id = $2 WHERE id = $1`, [id, stripeRefundId]);
  }

  /** Refunds asked for but not yet recorded from Stripe count against what may still be refunded. */
  async requestedRefundTotal(em: EntityManager, licenceId: string): Promise<bigint> {
    const rows: { total: string }[] = await em.query(`SELECT coalesce(sum(amount_minor), 0)::text AS total FROM licence_refunds WHERE licence_id = $1`, [licenceId]);
    return BigInt(rows[0].total);
  }

  async findRefund(id: string, em?: EntityManager): Promise<LicenceRefundRow | null> {
    const rows: Row[] = await this.m(em).query(`SELECT * FROM licence_refunds WHERE id = $1`, [id]);
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id as string,
      licenceId: r.licence_id as string,
      amountMinor: big(r.amount_minor),
      currency: r.currency as string,
      status: r.status as 'requested' | 'submitted',
      stripeRefundId: (r.stripe_refund_id as string | null) ?? null,
      requestedBy: (r.requested_by as string | null) ?? null,
      createdAt: r.created_at as Date,
    };
  }

  async logDownload(
    em: EntityManager,
    d: { licenceId: string; workId: string; organisationId: string; actorType: 'user' | 'api_key'; actorId: string; at: Date; requestId: string | null },
  ): Promise<void> {
    await em.query(
      `INSERT INTO content_downloads (licence_id, work_id, organisation_id, actor_type, actor_id, downloaded_at, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [d.licenceId, d.workId, d.organisationId, d.actorType, d.actorId, d.at, d.requestId],
    );
  }

  async countDownloads(licenceId: string, em?: EntityManager): Promise<number> {
    const rows: { n: number }[] = await this.m(em).query(`SELECT count(*)::int AS n FROM content_downloads WHERE licence_id = $1`, [licenceId]);
    return rows[0].n;
  }
}
