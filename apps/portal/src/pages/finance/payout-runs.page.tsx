import { useState } from 'react';
import { api, download, newIdempotencyKey } from '../../api/client';
import type { PayoutRun } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { Async, Button, Dl, Named, ErrorBox, Form, Money, Notice, Page, ProgressBar, Section, SelectField, Status, TextField, useAction, useAsync, usePolling } from '../../components/ui';
import { formatDate } from '../../format';
import type { MessageKey } from '../../i18n/en';
import { useI18n, useTitle } from '../../i18n/i18n';
import { navigate } from '../../router';
import { CURRENCIES } from '../creator/profile.page';

export function PayoutRunsPage() {
  const { t } = useI18n();
  useTitle(t('payoutRuns.title'));
  const [currency, setCurrency] = useState('EUR');
  const [key] = useState(newIdempotencyKey);
  const [openId, setOpenId] = useState('');
  const create = useAction(async () => {
    const run = await api<PayoutRun>('/v1/payout-runs', { body: { currency }, idempotencyKey: `${key}-${currency}` });
    navigate(`/finance/payout-runs/${run.id}`);
  });
  return (
    <Page title={t('payoutRuns.title')} intro={t('payoutRuns.lead')}>
      <Section title={t('payoutRuns.new')}>
        <Form onSubmit={create.run} label={t('payoutRuns.new')} className="form-narrow">
          <SelectField label={t('common.currency')} value={currency} onChange={(e) => setCurrency(e.target.value)} options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
          <ErrorBox error={create.error} />
          <Button type="submit" busy={create.busy}>
            {t('payoutRuns.preview')}
          </Button>
        </Form>
      </Section>
      <Section title={t('runs.openById')}>
        <Form onSubmit={() => navigate(`/finance/payout-runs/${openId.trim()}`)} label={t('runs.openById')} className="form-narrow">
          <TextField label={t('runs.runId')} required pattern="[0-9a-fA-F-]{36}" value={openId} onChange={(e) => setOpenId(e.target.value)} />
          <Button type="submit" kind="secondary">
            {t('common.open')}
          </Button>
        </Form>
      </Section>
    </Page>
  );
}

export function PayoutRunPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const run = useAsync(() => api<PayoutRun>(`/v1/payout-runs/${id}`), [id]);
  useTitle(t('payoutRuns.run'));
  const active = run.data?.status === 'approved' || run.data?.status === 'executing';
  usePolling(active, run.reload, 1000);
  const approve = useAction(async () => {
    await api(`/v1/payout-runs/${id}/approve`, { method: 'POST' });
    run.reload();
  });
  const exportCsv = useAction(() => download(`/v1/payout-runs/${id}/export.csv`, `payout-run-${id}.csv`, 'text/csv'));
  return (
    <Async state={run}>
      {(r) => {
        const items = r.items ?? [];
        const payable = items.filter((i) => i.status !== 'carried_forward');
        const done = payable.filter((i) => ['paid', 'failed', 'reversed'].includes(i.status)).length;
        return (
          <Page title={t('payoutRuns.runTitle', { currency: r.currency, date: formatDate(r.createdAt, locale, true) })}>
            <Section title={t('payoutRuns.summary')}>
              <Dl
                items={[
                  [t('common.status'), <span key="s" data-testid="payout-run-status"><Status value={r.status} /></span>],
                  [t('payoutRuns.minimum'), <Money key="m" minor={r.minimumMinor} currency={r.currency} />],
                  [t('runs.createdBy'), <Named key="c" name={r.createdByName} id={r.createdBy} you={r.createdBy === user?.id} />],
                  [t('runs.approvedBy'), r.approvedBy ? <Named key="a" name={r.approvedByName} id={r.approvedBy} you={r.approvedBy === user?.id} /> : '—'],
                  [t('common.id'), <code key="id">{r.id}</code>],
                ]}
              />
              {active && payable.length > 0 && <ProgressBar value={(done / payable.length) * 100} label={t('payoutRuns.progress')} />}
              <div className="table-wrap">
                <table>
                  <caption>{t('payoutRuns.totals')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('payoutRuns.group')}</th>
                      <th scope="col" className="num">{t('payoutRuns.count')}</th>
                      <th scope="col" className="num">{t('common.amount')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(r.totals).map(([k, v]) => (
                      <tr key={k}>
                        <td>{t(`reason.${k}` as MessageKey) === `reason.${k}` ? k : t(`reason.${k}` as MessageKey)}</td>
                        <td className="num">{v.count}</td>
                        <td className="num">
                          <Money minor={v.amountMinor} currency={r.currency} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {r.status === 'preview' &&
                (r.createdBy === user?.id ? (
                  <Notice kind="warning">{t('runs.fourEyes')}</Notice>
                ) : (
                  <Button busy={approve.busy} onClick={() => void approve.run()}>
                    {t('payoutRuns.approve')}
                  </Button>
                ))}
              <ErrorBox error={approve.error} />
            </Section>
            <Section title={t('payoutRuns.items')}>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('payoutRuns.creator')}</th>
                      <th scope="col" className="num">{t('common.amount')}</th>
                      <th scope="col">{t('common.status')}</th>
                      <th scope="col">{t('payoutRuns.reason')}</th>
                      <th scope="col">{t('payoutRuns.transfer')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((i) => (
                      <tr key={i.id}>
                        <td>
                          <Named name={i.creatorName} id={i.creatorId} />
                        </td>
                        <td className="num">
                          <Money minor={i.amountMinor} currency={i.currency} />
                        </td>
                        <td>
                          <Status value={i.status} />
                          {i.lastError && <div className="muted">{i.lastError}</div>}
                        </td>
                        <td>{i.reason ? t(`reason.${i.reason}` as MessageKey) : '—'}</td>
                        <td>{i.stripeTransferId ? <code>{i.stripeTransferId}</code> : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Button kind="secondary" busy={exportCsv.busy} onClick={() => void exportCsv.run()}>
                {t('common.downloadCsv')}
              </Button>
              <ErrorBox error={exportCsv.error} />
            </Section>
          </Page>
        );
      }}
    </Async>
  );
}
