import { api, download } from '../../api/client';
import type { RoyaltyLine, Statement } from '../../api/types';
import { Async, Button, Empty, ErrorBox, Money, Named, Status, useAction, useAsync } from '../../components/ui';
import { formatNumber, formatPeriod } from '../../format';
import { useI18n } from '../../i18n/i18n';

/**
 * One run's statement: totals per currency, per licence and per work, the lines with the consent
 * record behind each, and adjustments apart with the month they correct. A creator reads their own;
 * finance passes creatorId. CSV and PDF come from the API.
 */
export function StatementView({ runId, creatorId }: { runId: string; creatorId?: string }) {
  const { t, locale } = useI18n();
  const query = creatorId ? { creatorId } : undefined;
  const statement = useAsync(() => api<Statement>(`/v1/me/statements/${runId}`, { query }), [runId, creatorId]);
  const files = useAction((format: 'csv' | 'pdf') => download(`/v1/me/statements/${runId}`, `statement-${runId}.${format}`, format === 'csv' ? 'text/csv' : 'application/pdf', { ...query, format }));
  const table = (rows: RoyaltyLine[], caption: string, adjustments: boolean) => (
    <div className="table-wrap">
      <table data-testid={adjustments ? 'statement-adjustments' : 'statement-lines'}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('statement.work')}</th>
            {adjustments && <th scope="col">{t('statement.originalPeriod')}</th>}
            <th scope="col">{t('statement.licence')}</th>
            <th scope="col" className="num">{t('statement.units')}</th>
            <th scope="col" className="num">{t('common.amount')}</th>
            <th scope="col">{t('statement.consent')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((l, i) => (
            <tr key={i}>
              <td>
                <Named name={l.workTitle} id={l.workId} short />
              </td>
              {adjustments && <td>{formatPeriod(l.originalPeriod, locale)}</td>}
              <td>
                <Named name={l.organisationName} id={l.licenceId} short />
              </td>
              <td className="num">{formatNumber(l.units, locale)}</td>
              <td className="num">
                <Money minor={l.amount} currency={l.currency} />
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
    <Async state={statement}>
      {(s) => (
        <div className="stack" data-testid="statement">
          <p>
            {formatPeriod(s.period, locale)} · <Status value={s.status} /> · <span className="muted">{t('statement.rules', { version: s.rulesVersion })}</span>
          </p>
          {s.totals.length > 0 && (
            <div className="grid">
              {s.totals.map((x) => (
                <div className="card" key={x.currency}>
                  <div className="kpi" data-testid="statement-total">
                    <Money minor={x.total} currency={x.currency} />
                  </div>
                  <div className="kpi-label">
                    {t('statement.totalFor', { period: formatPeriod(s.period, locale) })}
                    {x.adjustments !== '0' && (
                      <>
                        {' '}
                        ({t('statement.ofWhichAdjustments')} <Money minor={x.adjustments} currency={x.currency} />)
                      </>
                    )}
                  </div>
                </div>
              ))}
            </div>
          )}
          {s.byWork.length > 0 && (
            <div className="table-wrap">
              <table>
                <caption>{t('statement.byWork')}</caption>
                <tbody>
                  {s.byWork.map((w) => (
                    <tr key={`${w.workId}-${w.currency}`}>
                      <th scope="row">
                        <Named name={w.workTitle} id={w.workId} />
                      </th>
                      <td className="num">
                        <Money minor={w.amount} currency={w.currency} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {s.byLicence.length > 0 && (
            <div className="table-wrap">
              <table>
                <caption>{t('statement.byLicence')}</caption>
                <tbody>
                  {s.byLicence.map((l) => (
                    <tr key={`${l.licenceId}-${l.currency}`}>
                      <th scope="row">
                        <Named name={l.organisationName} id={l.licenceId} />
                      </th>
                      <td className="num">
                        <Money minor={l.amount} currency={l.currency} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {s.lines.length ? table(s.lines, t('statement.lines'), false) : <Empty>{t('statement.noLines')}</Empty>}
          {s.adjustments.length > 0 && table(s.adjustments, t('statement.adjustments'), true)}
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
      )}
    </Async>
  );
}
