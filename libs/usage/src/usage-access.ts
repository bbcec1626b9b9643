import { Conflict, Forbidden, NotFound } from '@fairshare/domain';
import type { LicenceForUsage, UsageReportRow } from '@fairshare/persistence';
import { Principal, principalHasRole } from '@fairshare/platform';

/** The organisation a licensee (user or API key) acts for. */
export function organisationOf(p: Principal): string {
  if (!p.organisationId) throw new Forbidden('ORGANISATION_REQUIRED', 'Only members of a licensee organisation can send usage reports.');
  return p.organisationId;
}

/** A licence the caller's organisation holds and that has (or had) a term: reports may be sent for it. */
export function assertReportableLicence(p: Principal, licence: LicenceForUsage | null): LicenceForUsage {
  if (!licence) throw new NotFound('LICENCE_NOT_FOUND', 'No such licence.');
  if (licence.organisationId !== organisationOf(p)) throw new Forbidden('LICENCE_NOT_YOURS', 'This licence belongs to another organisation.');
  if (licence.status !== 'active' && licence.status !== 'revoked') {
    throw new Conflict('LICENCE_NOT_ACTIVE', `The licence is ${licence.status.replace('_', ' ')}: usage can be reported only for a paid licence.`);
  }
  return licence;
}

/** Finance and admins read every report; licensees only their organisation's. */
export function assertCanRead(p: Principal, report: UsageReportRow | null): UsageReportRow {
  if (!report) throw new NotFound('USAGE_REPORT_NOT_FOUND', 'No such usage report.');
  if (principalHasRole(p, 'finance', 'admin') && p.kind === 'user') return report;
  if (report.organisationId !== p.organisationId) throw new Forbidden('LICENCE_NOT_YOURS', 'This report is for a licence of another organisation.');
  return report;
}
