import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Forbidden, NotFound, UnprocessableEntity, ValidationFailed, type Use } from '@fairshare/domain';
import { OfferRepository, type OfferKind, type OfferRow, WorkRepository } from '@fairshare/persistence';
import { AuditService, type Principal, principalHasRole } from '@fairshare/platform';

export interface CreateOfferInput {
  kind: OfferKind;
  name: string;
  description?: string;
  uses: Use[];
  commercial: boolean;
  currency: string;
  priceMinor: bigint;
  termDays: number | null;
  adminFeeBps: number;
  distributionKey: 'usage' | 'equal';
  usageUnit: string;
  tiers?: { code: string; label: string; priceMinor: bigint }[];
  /** Dataset offers: the works, or a saved filter resolved now. */
  workIds?: string[];
  filter?: { catalogueId: string };
}

/** A dataset offer holds at most this many works (fixed at creation, listed in the offer). */
export const DATASET_MAX_WORKS = 100_000;

@Injectable()
export class OfferService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly offers: OfferRepository,
    private readonly works: WorkRepository,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, input: CreateOfferInput): Promise<OfferRow> {
    if (principal.kind !== 'user') throw new Forbidden('USER_REQUIRED', 'Sign in as a user to create offers.');
    if (input.kind === 'collective' && !principalHasRole(principal, 'admin')) {
      throw new Forbidden('COLLECTIVE_OFFER_ADMIN_ONLY', 'Only admins create collective offers.');
    }
    this.checkShape(input);
    const id = await this.dataSource.transaction(async (em) => {
      let workIds: string[] = [];
      if (input.kind === 'dataset') {
        const filter = { uses: input.uses, commercial: input.commercial };
        if (input.workIds) {
          workIds = [...new Set(input.workIds)].sort();
          const eligible = new Set((await this.works.findEligibleForOffer(em, { ...filter, workIds })).map((w) => w.workId));
          const offending = workIds.filter((w) => !eligible.has(w));
          if (offending.length > 0) {
            throw new UnprocessableEntity(
              'WORKS_NOT_CONSENTED',
              `${offending.length} work(s) do not currently consent to ${input.uses.join(', ')}${input.commercial ? ' for commercial use' : ''}, or are disputed.`,
              { workIds: offending.slice(0, 1000) },
            );
          }
        } else if (input.filter) {
          workIds = await this.resolveCatalogueFilter(em, input.filter.catalogueId, filter);
          if (workIds.length === 0) throw new UnprocessableEntity('FILTER_MATCHES_NO_WORKS', 'No work of this catalogue currently consents to the offer’s uses.');
        }
      }
      const offerId = await this.offers.insert(em, {
        kind: input.kind,
        name: input.name,
        description: input.description ?? '',
        uses: [...new Set(input.uses)],
        commercial: input.commercial,
        currency: input.currency,
        priceMinor: input.priceMinor,
        termDays: input.termDays,
        adminFeeBps: input.adminFeeBps,
        distributionKey: input.distributionKey,
        usageUnit: input.usageUnit,
        createdBy: principal.userId,
        tiers: input.tiers ?? [],
      });
      if (workIds.length > 0) await this.offers.insertWorks(em, offerId, workIds);
      await this.audit.record(em, {
        action: 'offer.created',
        resourceType: 'offer',
        resourceId: offerId,
        details: { kind: input.kind, name: input.name, priceMinor: input.priceMinor.toString(), currency: input.currency, works: workIds.length },
      });
      return offerId;
    });
    return (await this.offers.findById(id)) as OfferRow;
  }

  async get(id: string): Promise<OfferRow> {
    const offer = await this.offers.findById(id);
    if (!offer) throw new NotFound('OFFER_NOT_FOUND', `No offer ${id}.`);
    return offer;
  }

  list(opts: { activeOnly: boolean; limit: number; offset: number }): Promise<OfferRow[]> {
    return this.offers.list(opts);
  }

  async workIds(id: string): Promise<string[]> {
    await this.get(id);
    return this.offers.workIds(id);
  }

  /** Closing an offer stops new purchases; licences already sold are untouched. */
  async setActive(principal: Principal, id: string, active: boolean): Promise<OfferRow> {
    await this.dataSource.transaction(async (em) => {
      const offer = await this.offers.findById(id, em);
      if (!offer) throw new NotFound('OFFER_NOT_FOUND', `No offer ${id}.`);
      if (offer.kind === 'collective' && !principalHasRole(principal, 'admin')) throw new Forbidden('COLLECTIVE_OFFER_ADMIN_ONLY', 'Only admins change collective offers.');
      await this.offers.setActive(em, id, active);
      await this.audit.record(em, { action: active ? 'offer.opened' : 'offer.closed', resourceType: 'offer', resourceId: id });
    });
    return this.get(id);
  }

  private checkShape(input: CreateOfferInput): void {
    if (input.kind === 'collective') {
      if (input.workIds || input.filter) throw new ValidationFailed('COLLECTIVE_OFFER_HAS_NO_WORK_LIST', 'A collective offer covers every consenting work: do not send workIds or filter.');
      const codes = (input.tiers ?? []).map((t) => t.code);
      if (new Set(codes).size !== codes.length) throw new ValidationFailed('TIER_CODES_NOT_UNIQUE', 'Tier codes must be unique within an offer.');
    } else {
      if (input.tiers && input.tiers.length > 0) throw new ValidationFailed('DATASET_OFFER_HAS_NO_TIERS', 'Tariff tiers apply to collective offers only.');
      if (!!input.workIds === !!input.filter) throw new ValidationFailed('DATASET_WORKS_REQUIRED', 'A dataset offer takes either workIds or filter.');
      if (input.workIds && (input.workIds.length === 0 || input.workIds.length > DATASET_MAX_WORKS)) {
        throw new ValidationFailed('DATASET_WORKS_REQUIRED', `A dataset offer lists 1 to ${DATASET_MAX_WORKS} works.`);
      }
    }
  }

  private async resolveCatalogueFilter(
    em: Parameters<WorkRepository['findEligibleForOffer']>[0],
    catalogueId: string,
    filter: { uses: Use[]; commercial: boolean },
  ): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await this.works.pageOfCatalogue(catalogueId, after, 5000, em);
      if (page.length === 0) break;
      const eligible = await this.works.findEligibleForOffer(em, { ...filter, workIds: page.map((w) => w.id) });
      ids.push(...eligible.map((w) => w.workId));
      if (ids.length > DATASET_MAX_WORKS) throw new UnprocessableEntity('DATASET_TOO_LARGE', `A dataset offer holds at most ${DATASET_MAX_WORKS} works.`);
      if (page.length < 5000) break;
      after = page[page.length - 1].id;
    }
    return ids.sort();
  }
}
