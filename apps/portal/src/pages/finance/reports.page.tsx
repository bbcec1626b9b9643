import { useState } from 'react';
import { api } from '../../api/client';
import type { Reconciliation, Unclaimed } from '../../api/types';
import { Async, Button, CurrencyTable, Empty, Named, ErrorBox, Form, Money, Notice, Page, Section, TextField, useAction, useAsync } from '../../components/ui';
import { formatDate } from '../../format';
import type { MessageKey } from '../../i18n/en';
import { useI18n, useTitle } from '../../i18n/i18n';

const BUCKETS = ['days0to90', 'days90to365', 'over365Days'];

export function ReconciliationPage() {
  const { t, tn } = useI18n();
  useTitle(t('recon.title'));
  const today = new Date();
  const [from, setFrom] = useState(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1)).toISOString().slice(0, 10));
  const [to, setTo] = useState(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1)).toISOString().slice(0, 10));
  const [report, setReport] = useState<Reconciliation | null>(null);
  const run = useAction(async () => setReport(await api<Reconciliation>('/v1/payouts/reconciliation', { query: { from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z` } })));
  return (
    <Page title={t('recon.title')} intro={t('recon.lead')}>
      <Section title={t('recon.range')}>
        <Form onSubmit={run.run} label={t('recon.range')}>
          <div className="row">
            <TextField label={t('recon.from')} type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
            <TextField label={t('recon.to')} type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
          <Button type="submit" busy={run.busy}>
            {t('recon.run')}
          </Button>
        </Form>
        <ErrorBox error={run.error} />
      </Section>
      {report && (
        <Section title={t('recon.result')}>
          {report.balanced ? <Notice kind="success">{tn('recon.balanced', report.ledgerTransfers)}</Notice> : <Notice kind="warning">{tn('recon.mismatches', report.mismatches.length)}</Notice>}
          <p className="muted">{t('recon.counts', { ledger: report.ledgerTransfers, stripe: report.stripeTransfers })}</p>
          {report.mismatches.length > 0 && (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('recon.kind')}</th>
                    <th scope="col">{t('payoutRuns.transfer')}</th>
                    <th scope="col">{t('recon.ledger')}</th>
                    <th scope="col">Stripe</th>
                  </tr>
                </thead>
                <tbody>
                  {report.mismatches.map((m, i) => (
                    <tr key={i}>
                      <td>{t(`recon.kind.${m.kind}` as MessageKey) === `recon.kind.${m.kind}` ? m.kind : t(`recon.kind.${m.kind}` as MessageKey)}</td>
                      <td>
                        <code>{m.transferId ?? '—'}</code>
                      </td>
                      <td>{m.ledger ? <Money minor={m.ledger.amountMinor} currency={m.ledger.currency} /> : '—'}</td>
                      <td>{m.stripe ? <Money minor={m.stripe.amountMinor} currency={m.stripe.currency} /> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
      )}
    </Page>
  );
}

export function UnclaimedPage() {
  const { t, locale } = useI18n();
  useTitle(t('unclaimed.title'));
  const report = useAsync(() => api<Unclaimed>('/v1/royalties/unclaimed'), []);
  return (
    <Page title={t('unclaimed.title')} intro={t('unclaimed.lead')}>
      <Async state={report}>
        {(r) => (
          <>
            <Section title={t('unclaimed.totals', { date: formatDate(r.asOf, locale, true) })}>
              {r.totals.length ? (
                <CurrencyTable
                  rows={r.totals}
                  columns={[
                    ...BUCKETS.map((b) => ({ label: t(`unclaimed.bucket.${b}` as MessageKey), minor: (x: (typeof r.totals)[number]) => x.buckets[b] ?? '0' })),
                    { label: t('common.total'), minor: (x: (typeof r.totals)[number]) => x.totalMinor },
                  ]}
                />
              ) : (
                <Empty>{t('unclaimed.none')}</Empty>
              )}
            </Section>
            {r.balances.length > 0 && (
              <Section title={t('unclaimed.balances')}>
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('unclaimed.holder')}</th>
                        <th scope="col">{t('payoutRuns.reason')}</th>
                        <th scope="col" className="num">{t('common.amount')}</th>
                        <th scope="col">{t('unclaimed.oldest')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.balances.map((b) => (
                        <tr key={`${b.account}-${b.currency}`}>
                          <td>
                            <span className="muted">{t(b.holder.kind === 'creator' ? 'unclaimed.creator' : 'unclaimed.invitation')}</span> <Named name={r.holderNames?.[b.holder.id]} id={b.holder.id} />
                          </td>
                          <td>{t(`reason.${b.reason}` as MessageKey) === `reason.${b.reason}` ? b.reason : t(`reason.${b.reason}` as MessageKey)}</td>
                          <td className="num">
                            <Money minor={b.balanceMinor} currency={b.currency} />
                          </td>
                          <td>{formatDate(b.oldestUnpaidCreditAt, locale)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </Section>
            )}
            <p className="muted">{t('rules.unclaimed.body')}</p>
          </>
        )}
      </Async>
    </Page>
  );
}

interface TrialBalance {
  currencies: { currency: string; debits: string; credits: string; net: string }[];
  accounts: { class: string; currency: string; balance: string }[];
  balanced: boolean;
}

export function TrialBalancePage() {
  const { t } = useI18n();
  useTitle(t('trial.title'));
  const tb = useAsync(() => api<TrialBalance>('/v1/ledger/trial-balance'), []);
  return (
    <Page title={t('trial.title')} intro={t('trial.lead')} actions={<Button kind="secondary" onClick={tb.reload}>{t('common.refresh')}</Button>}>
      <Async state={tb}>
        {(r) => (
          <>
            {r.balanced ? <Notice kind="success">{t('trial.balanced')}</Notice> : <Notice kind="warning">{t('trial.unbalanced')}</Notice>}
            <Section title={t('trial.perCurrency')}>
              {r.currencies.length ? (
                <CurrencyTable
                  rows={r.currencies}
                  columns={[
                    { label: t('trial.debits'), minor: (c) => c.debits },
                    { label: t('trial.credits'), minor: (c) => c.credits },
                    { label: t('trial.net'), minor: (c) => c.net },
                  ]}
                />
              ) : (
                <Empty>{t('trial.empty')}</Empty>
              )}
            </Section>
            {r.accounts.length > 0 && (
              <Section title={t('trial.byClass')}>
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('trial.class')}</th>
                        <th scope="col">{t('common.currency')}</th>
                        <th scope="col" className="num">{t('trial.balance')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.accounts.map((a) => (
                        <tr key={`${a.class}-${a.currency}`}>
                          <td><code>{a.class}</code></td>
                          <td>{a.currency}</td>
                          <td className="num"><Money minor={a.balance} currency={a.currency} /></td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </Section>
            )}
          </>
        )}
      </Async>
    </Page>
  );
}
