import { api, download } from '../../api/client';
import type { Statement } from '../../api/types';
import { Async, Button, Empty, ErrorBox, Money, useAction, useAsync } from '../../components/ui';
import { formatNumber, formatPeriod } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** One run's statement lines: the creator's own, or any creator's for finance (creatorId). */
export function StatementView({ runId, creatorId }: { runId: string; creatorId?: string }) {
  const { t, locale } = useI18n();
  const query = creatorId ? { creatorId } : undefined;
  const statement = useAsync(() => api<Statement>(`/v1/me/statements/${runId}`, { query }), [runId, creatorId]);
  const files = useAction((format: 'csv' | 'pdf') => download(`/v1/me/statements/${runId}`, `statement-${runId}.${format}`, format === 'csv' ? 'text/csv' : 'application/pdf', { ...query, format }));
  return (
    <Async state={statement}>
      {(s) => {
        const lines = s.lines ?? [];
        const regular = lines.filter((l) => !l.adjustment);
        const adjustments = lines.filter((l) => l.adjustment);
        const table = (rows: typeof lines, caption: string, showOriginal: boolean) => (
          <div className="table-wrap">
            <table>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('statement.work')}</th>
                  {showOriginal && <th scope="col">{t('statement.originalPeriod')}</th>}
                  <th scope="col">{t('statement.licence')}</th>
                  <th scope="col" className="num">{t('statement.units')}</th>
                  <th scope="col" className="num">{t('common.amount')}</th>
                  <th scope="col">{t('statement.consent')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((l, i) => (
                  <tr key={i}>
                    <td>{l.workTitle ?? <code>{l.workId}</code>}</td>
                    {showOriginal && <td>{l.originalPeriod ? formatPeriod(l.originalPeriod, locale) : '—'}</td>}
                    <td>
                      <code>{l.licenceId.slice(0, 8)}</code>
                    </td>
                    <td className="num">{l.units === undefined ? '—' : formatNumber(l.units, locale)}</td>
                    <td className="num">
                      <Money minor={l.amountMinor} currency={l.currency} />
                    </td>
                    <td>
                      <code title={l.consentRecordId}>{l.consentRecordId.slice(0, 8)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
        return (
          <div className="stack" data-testid="statement">
            {s.totals && s.totals.length > 0 && (
              <div className="grid">
                {s.totals.map((x) => (
                  <div className="card" key={x.currency}>
                    <div className="kpi">
                      <Money minor={x.amountMinor} currency={x.currency} />
                    </div>
                    <div className="kpi-label">{t('statement.totalFor', { period: formatPeriod(s.period, locale) })}</div>
                  </div>
                ))}
              </div>
            )}
            {regular.length ? table(regular, t('statement.lines'), false) : <Empty>{t('statement.noLines')}</Empty>}
            {adjustments.length > 0 && table(adjustments, t('statement.adjustments'), true)}
            <div className="row">
              <Button kind="secondary" busy={files.busy} onClick={() => void files.run('csv')}>
                {t('common.downloadCsv')}
              </Button>
              <Button kind="secondary" busy={files.busy} onClick={() => void files.run('pdf')}>
                {t('common.downloadPdf')}
              </Button>
            </div>
            <ErrorBox error={files.error} />
          </div>
        );
      }}
    </Async>
  );
}
