import { api, download } from '../../api/client';
import type { Licence, Page as ApiPage } from '../../api/types';
import { Async, Button, Dl, Empty, ErrorBox, Money, Notice, Page, Section, Status, useAction, useAsync, usePolling } from '../../components/ui';
import { formatDate, formatNumber } from '../../format';
import { useI18n, useTitle } from '../../i18n/i18n';
import { useAuth } from '../../auth/auth';
import { Link, useLocation } from '../../router';
import { UsesList } from '../public/register.page';

export function LicencesPage() {
  const { t, locale } = useI18n();
  useTitle(t('licences.title'));
  const list = useAsync(() => api<ApiPage<Licence>>('/v1/licences', { query: { limit: 200 } }), []);
  return (
    <Page title={t('licences.title')} intro={t('licences.lead')} actions={<Link className="btn btn-primary" to="/licensee/offers">{t('licences.buyMore')}</Link>}>
      <Section title={t('licences.yours')}>
        <Async state={list}>
          {(d) =>
            d.data.length ? (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('register.offer')}</th>
                      <th scope="col">{t('register.uses')}</th>
                      <th scope="col">{t('common.status')}</th>
                      <th scope="col">{t('register.from')}</th>
                      <th scope="col">{t('register.until')}</th>
                      <th scope="col" className="num">{t('common.works')}</th>
                      <th scope="col">{t('common.amount')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.data.map((l) => (
                      <tr key={l.id}>
                        <td>
                          <Link to={`/licences/${l.id}`}>{l.offerName}</Link>
                        </td>
                        <td>
                          <UsesList uses={l.uses} />
                        </td>
                        <td>
                          <Status value={l.status} />
                        </td>
                        <td>{formatDate(l.startsAt, locale)}</td>
                        <td>{l.endsAt ? formatDate(l.endsAt, locale) : l.startsAt ? t('offers.perpetual') : '—'}</td>
                        <td className="num">{l.workCount === null ? '—' : formatNumber(l.workCount, locale)}</td>
                        <td>
                          <Money minor={l.priceMinor} currency={l.currency} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <Empty>{t('licences.none')}</Empty>
            )
          }
        </Async>
      </Section>
    </Page>
  );
}

export function LicencePage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const { query } = useLocation();
  const licence = useAsync(() => api<Licence>(`/v1/licences/${id}`), [id]);
  useTitle(licence.data?.offerName ?? t('licences.title'));
  // The licence becomes active only when Stripe's signed webhook arrives: follow it.
  usePolling(licence.data?.status === 'pending_payment', licence.reload, 1000);
  // After an admin refund (?refunded=<expected total refunded>): the webhook records it; follow it.
  const { user } = useAuth();
  const expectedRefunded = query.get('refunded');
  const refundPending = !!licence.data && /^\d+$/.test(expectedRefunded ?? '') && BigInt(licence.data.amountRefundedMinor ?? '0') < BigInt(expectedRefunded as string);
  usePolling(refundPending, licence.reload, 1000);
  const files = useAction(async (what: 'ndjson' | 'csv' | 'certificate') => {
    if (what === 'certificate') {
      const cert = await api(`/v1/licences/${id}/certificate`);
      const blob = new Blob([JSON.stringify(cert, null, 2)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `licence-${id}-certificate.json`;
      a.click();
      return;
    }
    await download(`/v1/licences/${id}/manifest`, `licence-${id}-manifest.${what}`, undefined, { format: what });
  });
  const checkout = query.get('checkout');
  return (
    <Async state={licence}>
      {(l) => (
        <Page title={l.offerName} intro={t('licence.lead', { org: l.organisationName ?? '' })}>
          {checkout === 'success' && l.status === 'pending_payment' && <Notice>{t('licence.waitingForPayment')}</Notice>}
          {checkout === 'success' && l.status === 'active' && <Notice kind="success">{t('licence.nowActive')}</Notice>}
          {checkout === 'cancelled' && l.status === 'pending_payment' && <Notice kind="warning">{t('licence.checkoutCancelled')}</Notice>}
          {expectedRefunded && (refundPending ? <Notice>{t('licence.refundPending')}</Notice> : <Notice kind="success">{t('licence.refundRecorded')}</Notice>)}
          <Section title={t('licence.terms')}>
            <Dl
              items={[
                [t('common.status'), <span key="s" data-testid="licence-status"><Status value={l.status} /></span>],
                [t('register.uses'), <UsesList key="u" uses={l.uses} />],
                [t('uses.commercial'), l.commercial ? t('common.yes') : t('common.no')],
                [t('register.from'), formatDate(l.startsAt, locale, true)],
                [t('register.until'), l.endsAt ? formatDate(l.endsAt, locale, true) : l.startsAt ? t('offers.perpetual') : '—'],
                [t('licence.price'), <Money key="p" minor={l.priceMinor} currency={l.currency} />],
                [t('licence.paid'), <Money key="pa" minor={l.amountPaidMinor} currency={l.currency} />],
                [t('licence.refunded'), <span key="r" data-testid="licence-refunded"><Money minor={l.amountRefundedMinor} currency={l.currency} /></span>],
                [t('offers.unit'), l.usageUnit],
                [t('common.works'), l.workCount === null ? '—' : formatNumber(l.workCount, locale)],
                [t('common.id'), <code key="id">{l.id}</code>],
              ]}
            />
          </Section>
          {l.manifestSha256 && (
            <Section title={t('licence.manifest')}>
              <p>{t('licence.manifestHelp')}</p>
              <Dl items={[[t('licence.manifestSha'), <code key="sha">{l.manifestSha256}</code>]]} />
              <div className="row">
                <Button kind="secondary" busy={files.busy} onClick={() => void files.run('ndjson')}>
                  {t('licence.manifestNdjson')}
                </Button>
                <Button kind="secondary" busy={files.busy} onClick={() => void files.run('csv')}>
                  {t('licence.manifestCsv')}
                </Button>
                <Button kind="secondary" busy={files.busy} onClick={() => void files.run('certificate')}>
                  {t('licence.certificate')}
                </Button>
                <a className="btn btn-link" href="/v1/licensing/public-key">
                  {t('licence.publicKey')}
                </a>
              </div>
              <ErrorBox error={files.error} />
            </Section>
          )}
          {l.status === 'active' && user?.roles.includes('licensee') && (
            <p>
              <Link to={`/licensee/usage?licence=${l.id}`}>{t('licence.reportUsage')}</Link>
            </p>
          )}
          {user?.roles.includes('admin') && l.amountPaidMinor && l.amountPaidMinor !== '0' && (
            <p>
              <Link to={`/manage/refunds?licence=${l.id}`}>{t('licence.refund')}</Link>
            </p>
          )}
        </Page>
      )}
    </Async>
  );
}
