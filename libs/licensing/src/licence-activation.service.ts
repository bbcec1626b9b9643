import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LicenceRepository, type LicenceRow, OfferRepository, WorkRepository } from '@fairshare/persistence';
import { AuditService } from '@fairshare/platform';
import { ManifestSigner } from './manifest-signer';
import { licenceEndsAt } from './rules/licence-term';
import { ndjsonLine, signedPayload } from './rules/manifest-format';

const HASH_BATCH = 10_000;
const SYSTEM = { actorType: 'system' as const, actorId: null };

/**
 * Activation fixes the licence's manifest in the payment's transaction: the works eligible at
 * that moment are copied set-based (INSERT … SELECT from the catalogue's eligibility query), then
 * hashed in keyset batches (bounded memory for a million works) and the certificate is signed.
 */
@Injectable()
export class LicenceActivationService {
  constructor(
    private readonly licences: LicenceRepository,
    private readonly offers: OfferRepository,
    private readonly works: WorkRepository,
    private readonly signer: ManifestSigner,
    private readonly audit: AuditService,
  ) {}

  async activate(em: EntityManager, licence: LicenceRow, payment: { paidAt: Date; amountMinor: bigint; paymentIntentId: string; chargeId: string }): Promise<void> {
    const startsAt = payment.paidAt;
    const endsAt = licenceEndsAt(startsAt, licence.termDays);
    await this.licences.markPaid(em, licence.id, { startsAt, endsAt, amountPaidMinor: payment.amountMinor, paymentIntentId: payment.paymentIntentId, chargeId: payment.chargeId });

    const workIds = licence.kind === 'dataset' ? await this.offers.workIds(licence.offerId, em) : undefined;
    const eligible = this.works.eligibleForOfferQuery({
      uses: licence.uses as Parameters<WorkRepository['eligibleForOfferQuery']>[0]['uses'],
      commercial: licence.commercial,
      collective: licence.kind === 'collective',
      excludeOrganisationId: licence.organisationId,
      workIds,
    });
    const workCount = await this.licences.insertManifestLines(em, licence.id, eligible);

    const hash = createHash('sha256');
    let after: string | null = null;
    for (;;) {
      const batch = await this.licences.manifestBatch(licence.id, after, HASH_BATCH, em);
      for (const line of batch) hash.update(ndjsonLine(line), 'utf8');
      if (batch.length < HASH_BATCH) break;
      after = batch[batch.length - 1].workId;
    }
    const manifestSha256 = hash.digest('hex');
    const payload = signedPayload({
      licenceId: licence.id,
      organisationId: licence.organisationId,
      offerId: licence.offerId,
      kind: licence.kind,
      uses: licence.uses,
      commercial: licence.commercial,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt?.toISOString() ?? null,
      workCount,
      manifestSha256,
    });
    await this.licences.setManifestAndActivate(em, licence.id, { sha256: manifestSha256, signature: this.signer.sign(payload), keyId: this.signer.keyId, workCount });
    await this.audit.record(em, {
      action: 'licence.activated',
      resourceType: 'licence',
      resourceId: licence.id,
      details: { chargeId: payment.chargeId, startsAt: startsAt.toISOString(), endsAt: endsAt?.toISOString() ?? null, workCount, manifestSha256 },
      actor: SYSTEM,
    });
  }
}
