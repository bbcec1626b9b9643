import { useState } from 'react';
import { api } from '../../api/client';
import type { Page as ApiPage, RegisterLicence, RegisterStats } from '../../api/types';
import { Async, Button, Empty, ErrorBox, Form, Money, Page, Section, Status, TextField, useAsync } from '../../components/ui';
import { formatDate, formatNumber } from '../../format';
import type { MessageKey } from '../../i18n/en';
import { useI18n, useTitle } from '../../i18n/i18n';
import { useLocation, navigate } from '../../router';

const PAGE = 50;

export function UsesList({ uses }: { uses: string[] }) {
  const { t } = useI18n();
  return <>{uses.map((u) => t(`uses.${u}` as MessageKey)).join(', ')}</>;
}

export function RegisterTable({ rows, caption, showPrices }: { rows: RegisterLicence[]; caption: string; showPrices?: boolean }) {
  const { t, locale } = useI18n();
  if (!rows.length) return <Empty>{t('register.none')}</Empty>;
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('register.organisation')}</th>
            <th scope="col">{t('register.offer')}</th>
            <th scope="col">{t('register.uses')}</th>
            <th scope="col">{t('register.from')}</th>
            <th scope="col">{t('register.until')}</th>
            <th scope="col" className="num">
              {t('register.works')}
            </th>
            <th scope="col">{t('common.status')}</th>
            {showPrices && <th scope="col">{t('register.price')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.licenceId}>
              <td>{r.organisation}</td>
              <td>
                {r.offer.name} <span className="muted">({t(`offers.kind.${r.kind}` as MessageKey)})</span>
              </td>
              <td>
                <UsesList uses={r.uses} />
                {r.commercial ? ` · ${t('uses.commercial')}` : ''}
              </td>
              <td>{formatDate(r.startsAt, locale)}</td>
              <td>{r.revokedAt ? formatDate(r.revokedAt, locale) : r.endsAt ? formatDate(r.endsAt, locale) : t('offers.perpetual')}</td>
              <td className="num">{formatNumber(r.workCount, locale)}</td>
              <td>
                <Status value={r.status} />
              </td>
              {showPrices && <td>{r.priceMinor ? <Money minor={r.priceMinor} currency={r.currency} /> : '—'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}


export function RegisterPage() {
  const { t, tn, locale } = useI18n();
  useTitle(t('register.title'));
  const { query } = useLocation();
  const offset = Number(query.get('offset') ?? 0) || 0;
  const licences = useAsync(() => api<ApiPage<RegisterLicence>>('/v1/register/licences', { query: { limit: PAGE, offset } }), [offset]);
  const stats = useAsync(() => api<RegisterStats>('/v1/register/stats'), []);
  const [workId, setWorkId] = useState(query.get('work') ?? '');
  const [lookupError, setLookupError] = useState<unknown>(null);
  const [workRows, setWorkRows] = useState<RegisterLicence[] | null>(null);
  const [workTitle, setWorkTitle] = useState('');

  const lookup = async () => {
    setLookupError(null);
    setWorkRows(null);
    try {
      const res = await api<{ work: { title: string }; licences: RegisterLicence[] }>(`/v1/register/works/${encodeURIComponent(workId.trim())}`);
      setWorkTitle(res.work.title);
      setWorkRows(res.licences);
    } catch (e) {
      setLookupError(e);
    }
  };

  const s = stats.data;
  return (
    <Page title={t('register.title')} intro={t('register.lead')}>
      {s && (
        <div className="grid" style={{ marginBottom: '1.25rem' }} aria-label={t('register.stats')} role="group">
          {(
            [
              ['register.stats.granted', s.licencesGranted],
              ['register.stats.active', s.licencesActive],
              ['register.stats.organisations', s.organisations],
              ['register.stats.works', s.worksLicensed],
            ] as [MessageKey, number][]
          ).map(([k, v]) => (
            <div className="card" key={k}>
              <div className="kpi">{formatNumber(v, locale)}</div>
              <div className="kpi-label">{t(k)}</div>
            </div>
          ))}
        </div>
      )}
      <Section title={t('register.licences')}>
        <Async state={licences}>
          {(d) => (
            <>
              <RegisterTable rows={d.data} caption={tn('register.licencesCaption', d.total ?? d.data.length)} />
              <div className="row" style={{ marginTop: '1rem' }}>
                {offset > 0 && (
                  <Button kind="secondary" onClick={() => navigate(`/register?offset=${Math.max(0, offset - PAGE)}`)}>
                    {t('common.previous')}
                  </Button>
                )}
                {d.total !== undefined && offset + PAGE < d.total && (
                  <Button kind="secondary" onClick={() => navigate(`/register?offset=${offset + PAGE}`)}>
                    {t('common.next')}
                  </Button>
                )}
              </div>
            </>
          )}
        </Async>
      </Section>
      <Section title={t('register.workLookup')}>
        <Form onSubmit={lookup} label={t('register.workLookup')} className="form-narrow">
          <TextField label={t('register.workId')} hint={t('register.workIdHint')} value={workId} onChange={(e) => setWorkId(e.target.value)} required pattern="[0-9a-fA-F-]{36}" />
          <Button type="submit">{t('register.lookup')}</Button>
        </Form>
        <ErrorBox error={lookupError} />
        {workRows && <RegisterTable rows={workRows} caption={t('register.workCaption', { title: workTitle })} />}
      </Section>
    </Page>
  );
}
