import { api } from '../../api/client';
import type { Balance, StatementSummary } from '../../api/types';
import { Async, Empty, Money, Page, Section, Status, useAsync } from '../../components/ui';
import { formatDate, formatMoney, formatPeriod } from '../../format';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link } from '../../router';
import { StatementView } from './statement.view';

/** Earnings per month for one currency as an SVG bar chart, with a table equivalent for screen readers. */
export function EarningsChart({ statements, currency }: { statements: StatementSummary[]; currency: string }) {
  const { t, locale } = useI18n();
  const byPeriod = new Map<string, bigint>();
  for (const s of statements) for (const x of s.totals) if (x.currency === currency) byPeriod.set(s.period, (byPeriod.get(s.period) ?? 0n) + BigInt(x.total));
  const points = [...byPeriod.entries()].sort(([a], [b]) => a.localeCompare(b)).slice(-12);
  if (!points.length) return null;
  const max = points.reduce((m, [, v]) => (v > m ? v : v < -m ? -v : m), 1n);
  const W = 640;
  const H = 220;
  const pad = 28;
  const bw = (W - pad * 2) / points.length;
  // Bar heights only: a ratio in thousandths, computed on integers.
  const scale = (v: bigint) => Number(((v < 0n ? -v : v) * 1000n) / max) / 1000;
  const title = t('earnings.chartTitle', { currency });
  return (
    <figure className="chart" style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${W} ${H + 40}`} role="img" aria-label={title}>
        <line className="axis" x1={pad} x2={W - pad} y1={H} y2={H} />
        {points.map(([p, v], i) => {
          const h = Math.max(2, scale(v) * (H - 30));
          return (
            <g key={p}>
              <rect className={`bar${v < 0n ? ' neg' : ''}`} x={pad + i * bw + bw * 0.15} y={H - h} width={bw * 0.7} height={h}>
                <title>{`${formatPeriod(p, locale)}: ${formatMoney(v.toString(), currency, locale)}`}</title>
              </rect>
              <text x={pad + i * bw + bw / 2} y={H - h - 6} textAnchor="middle">
                {formatMoney(v.toString(), currency, locale)}
              </text>
              <text x={pad + i * bw + bw / 2} y={H + 18} textAnchor="middle">
                {p}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="sr-only">
        <table>
          <caption>{title}</caption>
          <tbody>
            {points.map(([p, v]) => (
              <tr key={p}>
                <th scope="row">{formatPeriod(p, locale)}</th>
                <td>{formatMoney(v.toString(), currency, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}

export function BalanceCards() {
  const { t } = useI18n();
  const balance = useAsync(() => api<{ balances: Balance[] }>('/v1/me/balance'), []);
  return (
    <Async state={balance}>
      {(b) =>
        b.balances.length ? (
          <div className="grid" data-testid="balance">
            {b.balances.map((x) => (
              <div className="card" key={x.currency}>
                <div className="kpi">
                  <Money minor={x.amount} currency={x.currency} />
                </div>
                <div className="kpi-label">{t('earnings.balance')}</div>
              </div>
            ))}
          </div>
        ) : (
          <Empty>{t('earnings.noBalance')}</Empty>
        )
      }
    </Async>
  );
}

export function EarningsPage() {
  const { t, locale } = useI18n();
  useTitle(t('earnings.title'));
  const statements = useAsync(() => api<{ data: StatementSummary[] }>('/v1/me/statements'), []);
  return (
    <Page title={t('earnings.title')} intro={t('earnings.lead')}>
      <Section title={t('earnings.balanceTitle')}>
        <BalanceCards />
      </Section>
      <Async state={statements}>
        {(d) => {
          const currencies = [...new Set(d.data.flatMap((s) => s.totals.map((x) => x.currency)))];
          return (
            <>
              {currencies.map((c) => (
                <Section key={c} title={t('earnings.chartTitle', { currency: c })}>
                  <EarningsChart statements={d.data} currency={c} />
                </Section>
              ))}
              <Section title={t('earnings.statements')}>
                {d.data.length ? (
                  <div className="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">{t('common.period')}</th>
                          <th scope="col">{t('common.amount')}</th>
                          <th scope="col">{t('common.status')}</th>
                          <th scope="col">{t('common.date')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.data.map((s) => (
                          <tr key={s.runId}>
                            <td>
                              <Link to={`/creator/statements/${s.runId}`}>{formatPeriod(s.period, locale)}</Link>
                            </td>
                            <td>
                              {s.totals.map((x) => (
                                <div key={x.currency}>
                                  <Money minor={x.total} currency={x.currency} />
                                </div>
                              ))}
                            </td>
                            <td>
                              <Status value={s.status} />
                            </td>
                            <td>{formatDate(s.postedAt, locale)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ) : (
                  <Empty>{t('earnings.noStatements')}</Empty>
                )}
              </Section>
            </>
          );
        }}
      </Async>
    </Page>
  );
}

export function StatementPage({ runId }: { runId: string }) {
  const { t } = useI18n();
  useTitle(t('statement.title'));
  return (
    <Page title={t('statement.title')} actions={<Link to="/creator/earnings">{t('statement.back')}</Link>}>
      <StatementView runId={runId} />
    </Page>
  );
}
