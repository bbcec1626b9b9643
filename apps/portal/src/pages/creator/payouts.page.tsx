import { api, ApiError } from '../../api/client';
import type { Page as ApiPage, PayoutAccount, PayoutItem } from '../../api/types';
import { Async, Button, Dl, Empty, ErrorBox, Money, Notice, Page, Section, Status, useAction, useAsync } from '../../components/ui';
import { formatDate } from '../../format';
import type { MessageKey } from '../../i18n/en';
import { useI18n, useTitle } from '../../i18n/i18n';
import { useLocation } from '../../router';
import { BalanceCards } from './earnings.page';

export function PayoutsPage() {
  const { t, locale } = useI18n();
  useTitle(t('payouts.title'));
  const { query } = useLocation();
  const account = useAsync(() => api<PayoutAccount>('/v1/me/payout-account').catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))), []);
  const payouts = useAsync(() => api<ApiPage<PayoutItem>>('/v1/me/payouts'), []);
  const onboard = useAction(async () => {
    const r = await api<{ onboardingUrl: string }>('/v1/me/payout-account', { method: 'POST' });
    window.location.assign(r.onboardingUrl);
  });
  return (
    <Page title={t('payouts.title')} intro={t('payouts.lead')}>
      <Section title={t('earnings.balanceTitle')}>
        <BalanceCards />
      </Section>
      <Section title={t('payouts.account')}>
        <Async state={account}>
          {(a) =>
            a ? (
              <>
                {a.payoutsEnabled ? <Notice kind="success">{t('payouts.enabled')}</Notice> : <Notice kind="warning">{t('payouts.notEnabled')}</Notice>}
                <Dl
                  items={[
                    [t('payouts.stripeAccount'), <code key="a">{a.stripeAccountId}</code>],
                    [t('profile.country'), a.country],
                    [t('common.currency'), a.defaultCurrency.toUpperCase()],
                  ]}
                />
                {!a.payoutsEnabled && (
                  <Button busy={onboard.busy} onClick={() => void onboard.run()}>
                    {t('payouts.continue')}
                  </Button>
                )}
              </>
            ) : (
              <>
                <p>{t('payouts.none')}</p>
                <Button busy={onboard.busy} onClick={() => void onboard.run()}>
                  {t('payouts.setUp')}
                </Button>
              </>
            )
          }
        </Async>
        {query.get('done') && <p className="muted">{t('payouts.returned')}</p>}
        {query.get('refresh') && <p className="muted">{t('payouts.linkExpired')}</p>}
        <ErrorBox error={onboard.error} />
      </Section>
      <Section title={t('payouts.history')}>
        <Async state={payouts}>
          {(d) =>
            d.data.length ? (
              <div className="table-wrap">
                <table data-testid="payouts">
                  <thead>
                    <tr>
                      <th scope="col">{t('common.date')}</th>
                      <th scope="col" className="num">{t('common.amount')}</th>
                      <th scope="col">{t('common.status')}</th>
                      <th scope="col">{t('payoutRuns.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.data.map((p) => (
                      <tr key={p.id}>
                        <td>{formatDate(p.paidAt, locale, true)}</td>
                        <td className="num">
                          <Money minor={p.paidAmountMinor ?? p.amountMinor} currency={p.currency} />
                        </td>
                        <td>
                          <Status value={p.status} />
                        </td>
                        <td>{p.reason ? t(`reason.${p.reason}` as MessageKey) : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <Empty>{t('payouts.noPayouts')}</Empty>
            )
          }
        </Async>
      </Section>
    </Page>
  );
}
