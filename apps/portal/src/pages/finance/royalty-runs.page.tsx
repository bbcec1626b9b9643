import { useState } from 'react';
import { api, newIdempotencyKey } from '../../api/client';
import type { RoyaltyRun, RunCreator } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { Async, Button, CurrencyTable, Dl, Named, Empty, ErrorBox, Form, Money, Notice, Page, ProgressBar, Section, Status, TextField, useAction, useAsync, usePolling } from '../../components/ui';
import { formatDate, formatNumber, formatPeriod } from '../../format';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link, navigate } from '../../router';
import { StatementView } from '../creator/statement.view';

function lastMonth(): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}


export function RoyaltyRunsPage() {
  const { t, locale } = useI18n();
  useTitle(t('royaltyRuns.title'));
  const [period, setPeriod] = useState(lastMonth);
  const [key] = useState(newIdempotencyKey);
  const runs = useAsync(() => api<{ data: RoyaltyRun[] }>('/v1/royalty-runs'), []);
  const start = useAction(async () => {
    const run = await api<RoyaltyRun>('/v1/royalty-runs', { body: { period }, idempotencyKey: `${key}-${period}` });
    navigate(`/finance/royalty-runs/${run.id}`);
  });
  return (
    <Page title={t('royaltyRuns.title')} intro={t('royaltyRuns.lead')}>
      <Section title={t('royaltyRuns.new')}>
        <Form onSubmit={start.run} label={t('royaltyRuns.new')} className="form-narrow">
          <TextField label={t('common.period')} hint={t('usage.periodHint')} required pattern="\d{4}-\d{2}" value={period} onChange={(e) => setPeriod(e.target.value)} />
          <ErrorBox error={start.error} />
          <Button type="submit" busy={start.busy}>
            {t('royaltyRuns.start')}
          </Button>
        </Form>
      </Section>
      <Section title={t('royaltyRuns.list')}>
        <Async state={runs}>
          {(d) =>
            d.data.length ? (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('common.period')}</th>
                      <th scope="col">{t('common.status')}</th>
                      <th scope="col">{t('royaltyRuns.distributed')}</th>
                      <th scope="col">{t('common.created')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.data.map((r) => (
                      <tr key={r.id}>
                        <td>
                          <Link to={`/finance/royalty-runs/${r.id}`}>{formatPeriod(r.period, locale)}</Link>
                        </td>
                        <td>
                          <Status value={r.status} />
                        </td>
                        <td>
                          {r.totals.map((x) => (
                            <div key={x.currency}>
                              <Money minor={x.distributed} currency={x.currency} />
                            </div>
                          ))}
                        </td>
                        <td>{formatDate(r.createdAt, locale, true)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <Empty>{t('royaltyRuns.none')}</Empty>
            )
          }
        </Async>
      </Section>
    </Page>
  );
}

export function RoyaltyRunPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const run = useAsync(() => api<RoyaltyRun>(`/v1/royalty-runs/${id}`), [id]);
  useTitle(t('royaltyRuns.run'));
  usePolling(run.data?.status === 'queued' || run.data?.status === 'computing', run.reload, 800);
  const approve = useAction(async () => {
    await api(`/v1/royalty-runs/${id}/approve`, { method: 'POST' });
    run.reload();
  });
  const recompute = useAction(async () => {
    await api(`/v1/royalty-runs/${id}/recompute`, { method: 'POST' });
    run.reload();
  });
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<RunCreator[] | null>(null);
  const [drill, setDrill] = useState<string | null>(null);
  const search = useAction(async () => {
    const res = await api<{ data: RunCreator[] }>(`/v1/royalty-runs/${id}/creators?q=${encodeURIComponent(query.trim())}`);
    setFound(res.data);
    setDrill(res.data.length === 1 ? res.data[0].creatorId : null);
  });
  return (
    <Async state={run}>
      {(r) => (
        <Page title={t('royaltyRuns.runTitle', { period: formatPeriod(r.period, locale) })}>
          <Section title={t('royaltyRuns.summary')}>
            <Dl
              items={[
                [t('common.status'), <span key="s" data-testid="royalty-run-status"><Status value={r.status} /></span>],
                [t('common.period'), r.period],
                [t('runs.createdBy'), <Named key="c" name={r.createdByName} id={r.createdBy} you={r.createdBy === user?.id} />],
                [t('runs.approvedBy'), r.approvedBy ? <Named key="a" name={r.approvedByName} id={r.approvedBy} you={r.approvedBy === user?.id} /> : '—'],
                [t('common.created'), formatDate(r.createdAt, locale, true)],
                [t('common.id'), <code key="id">{r.id}</code>],
              ]}
            />
            {(r.status === 'queued' || r.status === 'computing') && <ProgressBar value={r.percent} label={t('royaltyRuns.computing')} />}
            {r.error && (
              <p className="alert alert-error">
                <code>{r.error.code}</code> — {r.error.message}
              </p>
            )}
          </Section>
          {r.totals.length > 0 && (
            <Section title={t('royaltyRuns.totals')}>
              <CurrencyTable
                rows={r.totals}
                columns={[
                  { label: t('royaltyRuns.recognised'), minor: (x) => x.recognised },
                  { label: t('royaltyRuns.fees'), minor: (x) => x.fees },
                  { label: t('royaltyRuns.distributed'), minor: (x) => x.distributed },
                  { label: t('royaltyRuns.adjustments'), minor: (x) => x.adjustments },
                ]}
              />
            </Section>
          )}
          {r.status === 'computed' && (
            <Section title={t('royaltyRuns.approval')}>
              {r.createdBy === user?.id || r.recomputedBy === user?.id ? (
                <Notice kind="warning">{t('runs.fourEyes')}</Notice>
              ) : (
                <>
                  <p>{t('royaltyRuns.approveHelp')}</p>
                  <Button busy={approve.busy} onClick={() => void approve.run()}>
                    {t('royaltyRuns.approve')}
                  </Button>
                </>
              )}
              <ErrorBox error={approve.error} />
              <p className="muted" style={{ marginTop: '1rem' }}>{t('royaltyRuns.recomputeHelp')}</p>
              <Button kind="secondary" busy={recompute.busy} onClick={() => void recompute.run()}>
                {t('royaltyRuns.recompute')}
              </Button>
              <ErrorBox error={recompute.error} />
            </Section>
          )}
          {['computed', 'approved', 'posted'].includes(r.status) && (
            <Section title={t('royaltyRuns.drill')}>
              <Form onSubmit={search.run} label={t('royaltyRuns.drill')} className="form-narrow">
                <TextField
                  label={t('royaltyRuns.findCreator')}
                  hint={t('royaltyRuns.findCreatorHint')}
                  required
                  minLength={2}
                  maxLength={100}
                  value={query}
                  onChange={(e) => setQuery(e.target.value)}
                />
                <Button type="submit" kind="secondary" busy={search.busy}>
                  {t('common.search')}
                </Button>
              </Form>
              <ErrorBox error={search.error} />
              {found &&
                (found.length === 0 ? (
                  <Empty>{t('royaltyRuns.noCreator')}</Empty>
                ) : (
                  <div className="table-wrap">
                    <table data-testid="run-creators">
                      <thead>
                        <tr>
                          <th scope="col">{t('royaltyRuns.creator')}</th>
                          <th scope="col" className="num">{t('royaltyRuns.lineCount')}</th>
                          <th scope="col" className="num">{t('royaltyRuns.creatorTotal')}</th>
                          <th scope="col"><span className="sr-only">{t('royaltyRuns.openStatement')}</span></th>
                        </tr>
                      </thead>
                      <tbody>
                        {found.map((c) => (
                          <tr key={c.creatorId}>
                            <td><Named name={c.name} id={c.creatorId} short /></td>
                            <td className="num">{formatNumber(c.lineCount, locale)}</td>
                            <td className="num">
                              {c.totals.map((x) => (
                                <div key={x.currency}><Money minor={x.amount} currency={x.currency} /></div>
                              ))}
                            </td>
                            <td>
                              <Button kind="link" aria-pressed={drill === c.creatorId} onClick={() => setDrill(c.creatorId)}>
                                {t('royaltyRuns.openStatement')}
                              </Button>
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ))}
              {drill && <StatementView runId={r.id} creatorId={drill} />}
            </Section>
          )}
        </Page>
      )}
    </Async>
  );
}
