import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ValidationFailed } from '@fairshare/domain';
import { CatalogueRepository, ConsentRecord, ConsentRepository, WorkRepository, WorkSelection } from '@fairshare/persistence';
import { AuditService, ClockService, Principal } from '@fairshare/platform';
import { assertCatalogueOwner, assertWorkOwner, requireCatalogue, requireWork, userIdOf } from './catalogue-access';
import { ConsentState, normaliseConsent } from './rules/consent';
import { WorkService } from './work.service';

/**
 * Consent is append-only: each change is a new record (who, when, new state, previous record),
 * and the work's current-consent columns follow it in the same transaction. Withdrawal is a
 * record like any other; see docs/consent.md.
 */
@Injectable()
export class ConsentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly works: WorkRepository,
    private readonly catalogues: CatalogueRepository,
    private readonly consents: ConsentRepository,
    private readonly workService: WorkService,
    private readonly clock: ClockService,
    private readonly audit: AuditService,
  ) {}

  async set(p: Principal, workId: string, state: ConsentState): Promise<ConsentRecord> {
    const consent = normaliseConsent(state);
    await this.assertOrganisationsExist(consent);
    const at = await this.clock.now();
    return this.dataSource.transaction(async (em) => {
      const work = requireWork(await this.works.lockById(em, workId));
      assertWorkOwner(work, p);
      const record = await this.consents.append(em, { workId, actorId: userIdOf(p), at, consent });
      await this.audit.record(em, { action: 'work.consent_changed', resourceType: 'work', resourceId: workId, details: { consentRecordId: record.id, consent, previousId: record.previousId } });
      return record;
    });
  }

  /** One record per selected work (a shared bulkId), in two statements whatever the count. */
  async setBulk(p: Principal, catalogueId: string, selection: WorkSelection, state: ConsentState): Promise<{ bulkId: string; works: number; consent: ConsentState }> {
    const consent = normaliseConsent(state);
    await this.assertOrganisationsExist(consent);
    const at = await this.clock.now();
    return this.dataSource.transaction(async (em) => {
      const catalogue = requireCatalogue(await this.catalogues.findById(catalogueId, em));
      assertCatalogueOwner(catalogue, p);
      const bulkId = randomUUID();
      const works = await this.consents.appendBulk(em, { catalogueId, selection, actorId: userIdOf(p), at, consent, bulkId });
      await this.audit.record(em, { action: 'catalogue.consent_bulk_changed', resourceType: 'catalogue', resourceId: catalogueId, details: { bulkId, works, selection, consent } });
      return { bulkId, works, consent };
    });
  }

  async history(p: Principal | undefined, workId: string): Promise<ConsentRecord[]> {
    await this.workService.assertInsider(requireWork(await this.works.findById(workId)), p);
    return this.consents.history(workId);
  }

  private async assertOrganisationsExist(c: ConsentState): Promise<void> {
    const unknown = await this.consents.unknownOrganisations(c.excludedOrganisationIds);
    if (unknown.length) throw new ValidationFailed('UNKNOWN_ORGANISATION', 'excludedOrganisationIds names organisations that do not exist.', { unknown });
  }
}
