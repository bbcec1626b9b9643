import { Injectable } from '@nestjs/common';
import { AppConfig } from '@fairshare/config';
import { formatMajor } from '@fairshare/money';
import { CatalogueRepository, OfferRepository, WorkRepository } from '@fairshare/persistence';
import { requireCatalogue } from './catalogue-access';
import { renderRslContent, RSL_FOOTER, RSL_HEADER, RslOffer, rslPaymentsFor, rslTermsOf } from './rules/rsl';
import { tdmRepRuleOf } from './rules/tdmrep';

const BATCH = 2000;

/**
 * Machine-readable terms, derived from current consent on every request (so a withdrawal shows
 * at once): RSL 1.0 per catalogue and the TDMRep well-known file. Both stream in keyset batches.
 */
@Injectable()
export class TermsService {
  constructor(
    private readonly config: AppConfig,
    private readonly catalogues: CatalogueRepository,
    private readonly works: WorkRepository,
    private readonly offers: OfferRepository,
  ) {}

  private base(): string {
    return this.config.PUBLIC_URL.replace(/\/+$/, '');
  }

  catalogueTermsUrl(catalogueId: string): string {
    return `${this.base()}/v1/catalogues/${catalogueId}/rsl.xml`;
  }

  /** Throws CATALOGUE_NOT_FOUND before anything is written. */
  async assertCatalogue(catalogueId: string): Promise<void> {
    requireCatalogue(await this.catalogues.findById(catalogueId));
  }

  /** The RSL document of a catalogue: one <content> per work location (its sourceUrl, else its API URL). */
  async *rsl(catalogueId: string): AsyncGenerator<string> {
    yield RSL_HEADER;
    const terms = `${this.base()}/v1/catalogues/${catalogueId}`;
    const offers = await this.collectiveOffers();
    let after: string | null = null;
    for (;;) {
      const page = await this.works.pageOfCatalogue(catalogueId, after, BATCH);
      let chunk = '';
      for (const w of page) {
        chunk += renderRslContent({
          url: w.sourceUrl ?? `${this.base()}/v1/works/${w.id}`,
          terms,
          license: rslTermsOf(w.consent, w.status === 'active'),
          payment: rslPaymentsFor(w.consent, w.status === 'active', offers),
        });
      }
      if (chunk) yield chunk;
      if (page.length < BATCH) break;
      after = page[page.length - 1].id;
    }
    yield RSL_FOOTER;
  }

  /** Active collective offers (a handful), read once per document. */
  private async collectiveOffers(): Promise<RslOffer[]> {
    const active = await this.offers.list({ activeOnly: true, limit: 500, offset: 0 });
    return active
      .filter((o) => o.kind === 'collective')
      .map((o) => ({ url: `${this.base()}/v1/offers/${o.id}`, uses: o.uses, commercial: o.commercial, price: formatMajor(o.priceMinor, o.currency), currency: o.currency }));
  }

  /** /.well-known/tdmrep.json: every work location with tdm-reservation 1 unless training is consented. */
  async *tdmRep(): AsyncGenerator<string> {
    yield '[';
    let after: string | null = null;
    let first = true;
    for (;;) {
      const page = await this.works.pageWithSourceUrl(after, BATCH);
      const parts = page.map((w) => JSON.stringify(tdmRepRuleOf(w.sourceUrl!, w.consent, w.status === 'active', this.catalogueTermsUrl(w.catalogueId))));
      if (parts.length) {
        yield (first ? '\n' : ',\n') + parts.join(',\n');
        first = false;
      }
      if (page.length < BATCH) break;
      after = page[page.length - 1].id;
    }
    yield '\n]\n';
  }
}
