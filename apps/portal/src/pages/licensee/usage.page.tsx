import { useState } from 'react';
import { api, download, newIdempotencyKey, upload } from '../../api/client';
import type { Licence, Page as ApiPage, UsageReport } from '../../api/types';
import { Async, Button, Dl, Empty, ErrorBox, Form, Page, ProgressBar, Section, SelectField, Status, TextField, useAction, useAsync, usePolling } from '../../components/ui';
import { formatDate, formatNumber, formatPeriod } from '../../format';
import { useI18n, useTitle } from '../../i18n/i18n';
import { useLocation } from '../../router';

function previousMonth(): string {
  const d = new Date();
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return m.toISOString().slice(0, 7);
}

function ReportDetail({ id, onChange }: { id: string; onChange: () => void }) {
  const { t, tn, locale } = useI18n();
  const report = useAsync(() => api<UsageReport>(`/v1/usage-reports/${id}`), [id]);
  const busy = report.data?.status === 'received' || report.data?.status === 'processing';
  usePolling(busy, () => {
    report.reload();
    onChange();
  });
  const rejections = useAction(() => download(`/v1/usage-reports/${id}/rejections`, `usage-report-${id}-rejections.csv`, 'text/csv', { format: 'csv' }));
  return (
    <Async state={report}>
      {(r) => (
        <div className="card" data-testid="usage-report" aria-live="polite">
          <h3>
            {t('usage.report', { period: formatPeriod(r.period, locale) })} <Status value={r.status} /> {r.late && <Status value="late" />} {r.supersededById && <Status value="superseded" />}
          </h3>
          {busy && <p role="status">{tn('usage.linesRead', r.progress.linesRead)}</p>}
          {r.counts && (
            <Dl
              items={[
                [t('usage.lines'), formatNumber(r.counts.lines, locale)],
                [t('usage.accepted'), formatNumber(r.counts.accepted, locale)],
                [t('usage.rejected'), formatNumber(r.counts.rejected, locale)],
                [t('usage.units'), formatNumber(r.counts.acceptedUnits, locale)],
                [t('common.works'), formatNumber(r.counts.works, locale)],
              ]}
            />
          )}
          {r.error && (
            <p className="alert alert-error">
              {t('usage.failed')} <code>{r.error.code}</code> — {r.error.message}
            </p>
          )}
          {r.counts && Number(r.counts.rejected) > 0 && (
            <Button kind="secondary" busy={rejections.busy} onClick={() => void rejections.run()}>
              {t('usage.downloadRejections')}
            </Button>
          )}
          <ErrorBox error={rejections.error} />
        </div>
      )}
    </Async>
  );
}

export function UsagePage() {
  const { t, locale } = useI18n();
  useTitle(t('usage.title'));
  const { query } = useLocation();
  const licences = useAsync(() => api<ApiPage<Licence>>('/v1/licences', { query: { status: 'active', limit: 200 } }), []);
  const reports = useAsync(() => api<ApiPage<UsageReport>>('/v1/usage-reports', { query: { limit: 50 } }), []);
  const [licenceId, setLicenceId] = useState(query.get('licence') ?? '');
  const [period, setPeriod] = useState(previousMonth);
  const [supersedes, setSupersedes] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const send = useAction(async () => {
    if (!file) return;
    const chosen = licenceId || licences.data?.data[0]?.id || '';
    const ndjson = /\.(nd)?jsonl?$/i.test(file.name) || file.type === 'application/x-ndjson';
    setProgress(0);
    const r = await upload<{ id: string }>('/v1/usage-reports/upload', file, {
      contentType: ndjson ? 'application/x-ndjson' : 'text/csv',
      idempotencyKey: key,
      query: { licenceId: chosen, period, supersedes: supersedes || undefined },
      onProgress: (x) => setProgress(x * 100),
    });
    setCurrent(r.id);
    setKey(newIdempotencyKey());
    reports.reload();
  });
  return (
    <Page title={t('usage.title')} intro={t('usage.lead')}>
      <Section title={t('usage.send')}>
        <Async state={licences}>
          {(d) =>
            d.data.length ? (
              <Form onSubmit={send.run} label={t('usage.send')}>
                <div className="row">
                  <SelectField
                    label={t('usage.licence')}
                    value={licenceId || d.data[0].id}
                    onChange={(e) => setLicenceId(e.target.value)}
                    options={d.data.map((l) => ({ value: l.id, label: `${l.offerName} (${l.usageUnit})` }))}
                  />
                  <TextField label={t('usage.period')} hint={t('usage.periodHint')} required pattern="\d{4}-\d{2}" value={period} onChange={(e) => setPeriod(e.target.value)} />
                  <TextField label={t('usage.supersedes')} hint={t('usage.supersedesHint')} value={supersedes} onChange={(e) => setSupersedes(e.target.value)} />
                </div>
                <div className="field">
                  <label htmlFor="usage-file">{t('usage.file')}</label>
                  <input id="usage-file" type="file" accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson" aria-describedby="usage-file-hint" onChange={(e) => (setProgress(null), setFile(e.target.files?.[0] ?? null))} />
                  <p className="hint" id="usage-file-hint">
                    {t('usage.fileHint')}
                  </p>
                </div>
                {progress !== null && <ProgressBar value={progress} label={t('common.uploadProgress')} />}
                <ErrorBox error={send.error} />
                <Button type="submit" busy={send.busy} disabled={!file}>
                  {t('usage.upload')}
                </Button>
              </Form>
            ) : (
              <Empty>{t('usage.noLicence')}</Empty>
            )
          }
        </Async>
      </Section>
      {current && <ReportDetail id={current} onChange={reports.reload} />}
      <Section title={t('usage.history')}>
        <Async state={reports}>
          {(d) =>
            d.data.length ? (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('common.period')}</th>
                      <th scope="col">{t('usage.licence')}</th>
                      <th scope="col">{t('common.status')}</th>
                      <th scope="col" className="num">{t('usage.accepted')}</th>
                      <th scope="col" className="num">{t('usage.rejected')}</th>
                      <th scope="col">{t('usage.received')}</th>
                      <th scope="col">{t('common.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.data.map((r) => (
                      <tr key={r.id}>
                        <td>{formatPeriod(r.period, locale)}</td>
                        <td>
                          <code>{r.licenceId.slice(0, 8)}</code>
                        </td>
                        <td>
                          <Status value={r.status} /> {r.late && <Status value="late" />} {r.supersededById && <Status value="superseded" />}
                        </td>
                        <td className="num">{r.counts ? formatNumber(r.counts.accepted, locale) : '—'}</td>
                        <td className="num">{r.counts ? formatNumber(r.counts.rejected, locale) : '—'}</td>
                        <td>{formatDate(r.receivedAt, locale, true)}</td>
                        <td>
                          <Button kind="link" onClick={() => setCurrent(r.id)}>
                            {t('common.open')}
                          </Button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <Empty>{t('usage.none')}</Empty>
            )
          }
        </Async>
      </Section>
    </Page>
  );
}
