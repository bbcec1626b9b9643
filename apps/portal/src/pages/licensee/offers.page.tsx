import { useState } from 'react';
import { api, newIdempotencyKey } from '../../api/client';
import type { Licence, Offer, Page as ApiPage } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { Async, Button, Dl, Empty, ErrorBox, Money, Page, SelectField, useAction, useAsync } from '../../components/ui';
import { formatBps, formatNumber } from '../../format';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link } from '../../router';
import { UsesList } from '../public/register.page';

function OfferCard({ offer, canBuy }: { offer: Offer; canBuy: boolean }) {
  const { t, tn, locale } = useI18n();
  const [tier, setTier] = useState(offer.tiers[0]?.code ?? '');
  // One key per offer shown: a double click or a retry after a network error buys once.
  const [key] = useState(newIdempotencyKey);
  const price = offer.tiers.length ? (offer.tiers.find((x) => x.code === tier)?.priceMinor ?? offer.priceMinor) : offer.priceMinor;
  const buy = useAction(async () => {
    const r = await api<{ licence: Licence; checkoutUrl: string }>('/v1/licences', { body: { offerId: offer.id, ...(tier ? { tier } : {}) }, idempotencyKey: `${key}-${tier}` });
    window.location.assign(r.checkoutUrl);
  });
  return (
    <article className="card" aria-labelledby={`offer-${offer.id}`} data-testid="offer">
      <h2 id={`offer-${offer.id}`}>{offer.name}</h2>
      <p className="muted">
        {t(offer.kind === 'collective' ? 'offers.collectiveDesc' : 'offers.datasetDesc')}
        {offer.description ? ` ${offer.description}` : ''}
      </p>
      <Dl
        items={[
          [t('register.uses'), <UsesList key="u" uses={offer.uses} />],
          [t('uses.commercial'), offer.commercial ? t('common.yes') : t('common.no')],
          [t('offers.term'), offer.termDays ? tn('offers.days', offer.termDays) : t('offers.perpetual')],
          [t('offers.fee'), formatBps(offer.adminFeeBps, locale)],
          [t('offers.key'), t(offer.distributionKey === 'usage' ? 'offers.key.usage' : 'offers.key.equal')],
          [t('offers.unit'), offer.usageUnit],
          [t('common.works'), offer.workCount === null ? t('offers.allConsenting') : formatNumber(offer.workCount, locale)],
        ]}
      />
      {offer.tiers.length > 0 && (
        <SelectField label={t('offers.tier')} value={tier} onChange={(e) => setTier(e.target.value)} options={offer.tiers.map((x) => ({ value: x.code, label: x.label }))} />
      )}
      <p className="kpi">
        <Money minor={price} currency={offer.currency} />
      </p>
      <ErrorBox error={buy.error} />
      {canBuy ? (
        <Button busy={buy.busy} onClick={() => void buy.run()}>
          {t('offers.buy')}
        </Button>
      ) : (
        <p className="muted">
          <Link to="/sign-up?role=licensee">{t('offers.signUpToBuy')}</Link>
        </p>
      )}
    </article>
  );
}

export function OffersPage() {
  const { t } = useI18n();
  useTitle(t('offers.title'));
  const { has } = useAuth();
  const offers = useAsync(() => api<ApiPage<Offer>>('/v1/offers'), []);
  return (
    <Page title={t('offers.title')} intro={t('offers.lead')}>
      <Async state={offers}>{(d) => (d.data.length ? <div className="grid">{d.data.map((o) => <OfferCard key={o.id} offer={o} canBuy={has('licensee')} />)}</div> : <Empty>{t('offers.none')}</Empty>)}</Async>
    </Page>
  );
}
