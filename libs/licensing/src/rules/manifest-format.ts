/**
 * The canonical manifest: one NDJSON line per work, ordered by work ID, keys in this fixed order.
 * The manifest's SHA-256 is over the UTF-8 bytes of these lines concatenated (each ends in "\n").
 * The CSV rendering is a convenience; the hash and signature always refer to the NDJSON form.
 */
export interface ManifestLine {
  workId: string;
  contentHash: string;
  consentRecordId: string;
}

export function ndjsonLine(l: ManifestLine): string {
  return `{"workId":${JSON.stringify(l.workId)},"contentHash":${JSON.stringify(l.contentHash)},"consentRecordId":${JSON.stringify(l.consentRecordId)}}\n`;
}

export const CSV_HEADER = 'work_id,content_hash,consent_record_id\n';

/** IDs and hex hashes never need quoting; anything else is quoted defensively. */
export function csvLine(l: ManifestLine): string {
  return [l.workId, l.contentHash, l.consentRecordId].map(csvField).join(',') + '\n';
}

function csvField(v: string): string {
  return /^[A-Za-z0-9-]*$/.test(v) ? v : `"${v.replace(/"/g, '""')}"`;
}

/** What the platform signs: stable facts of the licence, including the manifest's hash. */
export interface SignedCertificateFields {
  licenceId: string;
  organisationId: string;
  offerId: string;
  kind: string;
  uses: string[];
  commercial: boolean;
  startsAt: string;
  endsAt: string | null;
  workCount: number;
  manifestSha256: string;
}

/** Canonical JSON (sorted keys, no spaces) of the signed fields, prefixed with a version tag. */
export function signedPayload(f: SignedCertificateFields): string {
  const sorted = Object.keys(f)
    .sort()
    .reduce<Record<string, unknown>>((acc, k) => ((acc[k] = (f as unknown as Record<string, unknown>)[k]), acc), { v: 'fairshare-licence-certificate/1' });
  return JSON.stringify(sorted, Object.keys(sorted).sort());
}
