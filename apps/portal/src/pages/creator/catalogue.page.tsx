import { useState } from 'react';
import { api } from '../../api/client';
import { CONSENT_FLAGS, Catalogue, MEDIA_TYPES, Page as ApiPage, Work } from '../../api/types';
import { Async, Button, Empty, ErrorBox, Page, Section, SelectField, Status, TextField, useAsync } from '../../components/ui';
import { formatNumber } from '../../format';
import type { MessageKey } from '../../i18n/en';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link } from '../../router';
import { ConsentEditor, consentLabel, ConsentSummary, NO_CONSENT } from './consent-editor';
import { CsvImport } from './csv-import';
import { WorkForm } from './work-form';

function WorksTable({ works }: { works: Work[] }) {
  const { t } = useI18n();
  if (!works.length) return <Empty>{t('works.none')}</Empty>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('works.titleField')}</th>
            <th scope="col">{t('works.mediaType')}</th>
            <th scope="col">{t('works.language')}</th>
            <th scope="col">{t('works.consent')}</th>
            <th scope="col">{t('common.status')}</th>
          </tr>
        </thead>
        <tbody>
          {works.map((w) => (
            <tr key={w.id}>
              <td>
                <Link to={`/creator/works/${w.id}`}>{w.title}</Link>
              </td>
              <td>{t(`media.${w.mediaType}` as MessageKey)}</td>
              <td>{w.language}</td>
              <td>
                <ConsentSummary consent={w.consent} />
              </td>
              <td>
                <Status value={w.status} />
                {!w.hasContent && <span className="muted"> · {t('works.noContent')}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CataloguePage({ id }: { id: string }) {
  const { t, tn, locale } = useI18n();
  const catalogue = useAsync(() => api<Catalogue>(`/v1/catalogues/${id}`), [id]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const works = useAsync(() => api<ApiPage<Work>>('/v1/works', { query: { catalogueId: id, mine: true, limit: 50, q: q || undefined, cursor } }), [id, cursor, q]);
  const [tab, setTab] = useState<'add' | 'import' | 'bulk'>('add');
  const [bulkMedia, setBulkMedia] = useState('');
  const [bulkResult, setBulkResult] = useState<string | null>(null);
  useTitle(catalogue.data?.name ?? t('catalogues.title'));
  const refresh = () => {
    catalogue.reload();
    works.reload();
  };
  return (
    <Async state={catalogue}>
      {(c) => (
        <Page title={c.name} intro={c.description ?? undefined}>
          {c.counts && (
            <div className="grid" style={{ marginBottom: '1.25rem' }}>
              <div className="card">
                <div className="kpi">{formatNumber(c.counts.works, locale)}</div>
                <div className="kpi-label">{t('catalogue.works')}</div>
              </div>
              <div className="card">
                <h2 style={{ fontSize: '1rem' }}>{t('catalogue.byUse')}</h2>
                <ul className="muted" style={{ margin: 0, paddingLeft: '1.1rem' }}>
                  {CONSENT_FLAGS.map((f) => (
                    <li key={f}>
                      {t(consentLabel(f))}: {formatNumber(c.counts?.byUse[f] ?? 0, locale)}
                    </li>
                  ))}
                </ul>
              </div>
              <div className="card">
                <h2 style={{ fontSize: '1rem' }}>{t('catalogue.byMedia')}</h2>
                <ul className="muted" style={{ margin: 0, paddingLeft: '1.1rem' }}>
                  {Object.entries(c.counts.byMediaType).map(([m, n]) => (
                    <li key={m}>
                      {t(`media.${m}` as MessageKey)}: {formatNumber(n, locale)}
                    </li>
                  ))}
                </ul>
              </div>
              <div className="card">
                <h2 style={{ fontSize: '1rem' }}>{t('catalogue.terms')}</h2>
                <p>
                  <a href={`/v1/catalogues/${c.id}/rsl.xml`}>{t('catalogue.rsl')}</a>
                </p>
              </div>
            </div>
          )}
          <Section title={t('catalogue.worksTitle')}>
            <div className="row" style={{ marginBottom: '0.75rem' }}>
              <TextField label={t('common.search')} type="search" value={q} onChange={(e) => (setCursor(null), setQ(e.target.value))} />
            </div>
            <Async state={works}>
              {(d) => (
                <>
                  <p className="muted">{tn('catalogue.worksCount', d.total ?? d.data.length, d.totalRelation === 'gte' ? { n: `${formatNumber(d.total ?? d.data.length, locale)}+` } : undefined)}</p>
                  <WorksTable works={d.data} />
                  {d.nextCursor && (
                    <Button kind="secondary" onClick={() => setCursor(d.nextCursor ?? null)}>
                      {t('common.next')}
                    </Button>
                  )}
                </>
              )}
            </Async>
          </Section>
          <section className="card" aria-label={t('catalogue.manage')}>
            <div className="tabs" role="tablist" aria-label={t('catalogue.manage')}>
              {(['add', 'import', 'bulk'] as const).map((k) => (
                <button key={k} role="tab" id={`tab-${k}`} aria-controls={`panel-${k}`} aria-selected={tab === k} type="button" onClick={() => setTab(k)}>
                  {t(`catalogue.tab.${k}` as MessageKey)}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
              {tab === 'add' && <WorkForm catalogueId={id} onCreated={refresh} />}
              {tab === 'import' && <CsvImport catalogueId={id} onDone={refresh} />}
              {tab === 'bulk' && (
                <div className="stack">
                  <p className="muted">{t('bulk.help')}</p>
                  <SelectField
                    label={t('bulk.which')}
                    value={bulkMedia}
                    onChange={(e) => setBulkMedia(e.target.value)}
                    options={[{ value: '', label: t('bulk.allWorks') }, ...MEDIA_TYPES.map((m) => ({ value: m, label: t(`media.${m}` as MessageKey) }))]}
                  />
                  {bulkResult && <p role="status">{bulkResult}</p>}
                  <ConsentEditor
                    idPrefix="bulk"
                    initial={NO_CONSENT}
                    saveLabel={t('bulk.apply')}
                    onSave={async (consent) => {
                      const r = await api<{ works: number }>(`/v1/catalogues/${id}/consent`, { body: { consent, ...(bulkMedia ? { filter: { mediaType: bulkMedia } } : {}) } });
                      const n = r.works;
                      setBulkResult(n === undefined ? null : tn('bulk.result', n));
                      refresh();
                    }}
                  />
                </div>
              )}
            </div>
          </section>
          <ErrorBox error={works.error} />
        </Page>
      )}
    </Async>
  );
}
