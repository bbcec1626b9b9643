import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Conflict, NotFound, ValidationFailed } from '@fairshare/domain';
import { LicenceRepository, type LicenceRow } from '@fairshare/persistence';
import { type Principal, principalHasRole } from '@fairshare/platform';
import { ManifestSigner } from './manifest-signer';
import { CSV_HEADER, csvLine, ndjsonLine, signedPayload } from './rules/manifest-format';

const STREAM_BATCH = 5_000;

export type ManifestFormat = 'ndjson' | 'csv';

export interface LicenceCertificate {
  licenceId: string;
  organisation: { id: string; name: string };
  offer: { id: string; name: string; kind: string };
  uses: string[];
  commercial: boolean;
  startsAt: string;
  endsAt: string | null;
  workCount: number;
  manifestSha256: string;
  signatureAlgorithm: 'Ed25519';
  /** The exact bytes (UTF-8) that were signed: canonical JSON of the licence's stable facts. */
  signedPayload: string;
  signature: string;
  publicKeyId: string;
}

/** Reading licences: licensees see their organisation's, finance and admins every one. */
@Injectable()
export class LicenceQueryService {
  constructor(
    private readonly licences: LicenceRepository,
    private readonly signer: ManifestSigner,
  ) {}

  static seesAll(p: Principal): boolean {
    return principalHasRole(p, 'finance', 'admin') && p.kind === 'user';
  }

  async get(principal: Principal, id: string): Promise<LicenceRow> {
    const licence = await this.licences.findById(id);
    // Someone else's licence is "not found": its existence is not disclosed.
    if (!licence || (!LicenceQueryService.seesAll(principal) && licence.organisationId !== principal.organisationId)) {
      throw new NotFound('LICENCE_NOT_FOUND', `No licence ${id}.`);
    }
    return licence;
  }

  list(principal: Principal, q: { status?: LicenceRow['status']; organisationId?: string; limit: number; offset: number }): Promise<LicenceRow[]> {
    if (LicenceQueryService.seesAll(principal)) return this.licences.list(q);
    if (!principal.organisationId) return Promise.resolve([]);
    return this.licences.list({ ...q, organisationId: principal.organisationId });
  }

  async certificate(principal: Principal, id: string): Promise<LicenceCertificate> {
    const l = this.withManifest(await this.get(principal, id));
    return {
      licenceId: l.id,
      organisation: { id: l.organisationId, name: l.organisationName },
      offer: { id: l.offerId, name: l.offerName, kind: l.kind },
      uses: l.uses,
      commercial: l.commercial,
      startsAt: (l.startsAt as Date).toISOString(),
      endsAt: l.endsAt?.toISOString() ?? null,
      workCount: l.workCount as number,
      manifestSha256: l.manifestSha256 as string,
      signatureAlgorithm: 'Ed25519',
      signedPayload: LicenceQueryService.payloadOf(l),
      signature: l.manifestSignature as string,
      publicKeyId: l.manifestKeyId as string,
    };
  }

  /** The manifest as a stream of lines read in keyset batches: memory stays bounded. */
  async manifest(principal: Principal, id: string, format: ManifestFormat): Promise<{ licence: LicenceRow; stream: Readable }> {
    if (format !== 'ndjson' && format !== 'csv') throw new ValidationFailed('MANIFEST_FORMAT_INVALID', 'format is ndjson or csv.');
    const licence = this.withManifest(await this.get(principal, id));
    const repo = this.licences;
    async function* lines(): AsyncGenerator<string> {
      if (format === 'csv') yield CSV_HEADER;
      let after: string | null = null;
      for (;;) {
        const batch = await repo.manifestBatch(licence.id, after, STREAM_BATCH);
        if (batch.length > 0) yield batch.map(format === 'csv' ? csvLine : ndjsonLine).join('');
        if (batch.length < STREAM_BATCH) return;
        after = batch[batch.length - 1].workId;
      }
    }
    return { licence, stream: Readable.from(lines()) };
  }

  publicKey(): { keyId: string; algorithm: 'Ed25519'; publicKeyPem: string } {
    return { keyId: this.signer.keyId, algorithm: 'Ed25519', publicKeyPem: this.signer.publicKeyPem };
  }

  static payloadOf(l: LicenceRow): string {
    return signedPayload({
      licenceId: l.id,
      organisationId: l.organisationId,
      offerId: l.offerId,
      kind: l.kind,
      uses: l.uses,
      commercial: l.commercial,
      startsAt: (l.startsAt as Date).toISOString(),
      endsAt: l.endsAt?.toISOString() ?? null,
      workCount: l.workCount as number,
      manifestSha256: l.manifestSha256 as string,
    });
  }

  private withManifest(l: LicenceRow): LicenceRow {
    if (!l.manifestSha256 || !l.startsAt) throw new Conflict('MANIFEST_NOT_FIXED', 'The manifest is fixed when the payment is confirmed; this licence is not paid.');
    return l;
  }
}
