import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { LicenceStatus, OfferKind } from './licensing-rows';

type Row = Record<string, unknown>;

/** A licence as the public transparency register shows it (prices only when configured). */
export interface RegisterLicenceRow {
  licenceId: string;
  organisationName: string;
  offerId: string;
  offerName: string;
  kind: OfferKind;
  uses: string[];
  commercial: boolean;
  status: LicenceStatus;
  startsAt: Date;
  endsAt: Date | null;
  revokedAt: Date | null;
  workCount: number;
  currency: string;
  priceMinor: bigint;
}

export interface RegisterStatsRow {
  licencesGranted: number;
  licencesActive: number;
  organisations: number;
  worksLicensed: number;
  byKind: { kind: string; licences: number }[];
}

/** Licences that were granted (active now or revoked later): pending and cancelled are not shown. */
const GRANTED = `l.status IN ('active','revoked')`;

const REGISTER_COLUMNS = `l.id AS licence_id, org.name AS organisation_name, o.id AS offer_id, o.name AS offer_name, l.kind, l.uses, l.commercial,
  l.status, l.starts_at, l.ends_at, l.revoked_at, l.work_count, l.currency, l.price_minor`;

const toRow = (r: Row): RegisterLicenceRow => ({
  licenceId: r.licence_id as string,
  organisationName: r.organisation_name as string,
  offerId: r.offer_id as string,
  offerName: r.offer_name as string,
  kind: r.kind as OfferKind,
  uses: r.uses as string[],
  commercial: r.commercial as boolean,
  status: r.status as LicenceStatus,
  startsAt: r.starts_at as Date,
  endsAt: (r.ends_at as Date | null) ?? null,
  revokedAt: (r.revoked_at as Date | null) ?? null,
  workCount: (r.work_count as number | null) ?? 0,
  currency: r.currency as string,
  priceMinor: BigInt(r.price_minor as string),
});

@Injectable()
export class RegisterRepository {
  constructor(private readonly dataSource: DataSource) {}

  private m(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  async licences(page: { limit: number; offset: number }, em?: EntityManager): Promise<{ rows: RegisterLicenceRow[]; total: number }> {
    const rows: Row[] = await this.m(em).query(
      `SELECT ${REGISTER_COLUMNS}, count(*) OVER ()::int AS total
         FROM licences l JOIN offers o ON o.id = l.offer_id JOIN organisations org ON org.id = l.organisation_id
        WHERE ${GRANTED} ORDER BY l.starts_at DESC, l.id DESC LIMIT $1 OFFSET $2`,
      [page.limit, page.offset],
    );
    return { rows: rows.map(toRow), total: (rows[0]?.total as number | undefined) ?? 0 };
  }

  /** Every granted licence whose manifest holds the work, newest first. */
  async licencesOfWork(workId: string, em?: EntityManager): Promise<(RegisterLicenceRow & { consentRecordId: string; contentHash: string })[]> {
    const rows: Row[] = await this.m(em).query(
      `SELECT ${REGISTER_COLUMNS}, ml.consent_record_id, ml.content_hash
         FROM licence_manifest_lines ml JOIN licences l ON l.id = ml.licence_id
         JOIN offers o ON o.id = l.offer_id JOIN organisations org ON org.id = l.organisation_id
        WHERE ml.work_id = $1 AND ${GRANTED} ORDER BY l.starts_at DESC, l.id DESC`,
      [workId],
    );
    return rows.map((r) => ({ ...toRow(r), consentRecordId: r.consent_record_id as string, contentHash: r.content_hash as string }));
  }

  async stats(at: Date, em?: EntityManager): Promise<RegisterStatsRow> {
    const rows: Row[] = await this.m(em).query(
      `SELECT count(*)::int AS granted,
              count(*) FILTER (WHERE l.status = 'active' AND (l.ends_at IS NULL OR l.ends_at > $1))::int AS active,
              count(DISTINCT l.organisation_id)::int AS organisations,
              (SELECT count(DISTINCT ml.work_id)::int FROM licence_manifest_lines ml JOIN licences l2 ON l2.id = ml.licence_id
                WHERE l2.status IN ('active','revoked')) AS works
         FROM licences l WHERE ${GRANTED}`,
      [at],
    );
    const byKind: { kind: string; licences: number }[] = await this.m(em).query(
      `SELECT l.kind, count(*)::int AS licences FROM licences l WHERE ${GRANTED} GROUP BY l.kind ORDER BY l.kind`,
    );
    const r = rows[0];
    return {
      licencesGranted: r.granted as number,
      licencesActive: r.active as number,
      organisations: r.organisations as number,
      worksLicensed: r.works as number,
      byKind,
    };
  }
}
