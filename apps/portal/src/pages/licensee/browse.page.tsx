import { useState } from 'react';
import { api } from '../../api/client';
import { MEDIA_TYPES, Page as ApiPage, USES, Work } from '../../api/types';
import { Async, Button, Empty, Form, Page, Section, SelectField, TextField, Toggle, useAsync } from '../../components/ui';
import { formatNumber } from '../../format';
import type { MessageKey } from '../../i18n/en';
import { useI18n, useTitle } from '../../i18n/i18n';
import { ConsentSummary } from '../creator/consent-editor';

interface Filters {
  q: string;
  mediaType: string;
  language: string;
  tag: string;
  use: string[];
  collective: boolean;
}

const EMPTY: Filters = { q: '', mediaType: '', language: '', tag: '', use: [], collective: false };

/** The catalogue as licensees see it: listed works only (some use allowed, not disputed). */
export function BrowsePage() {
  const { t, tn, locale } = useI18n();
  useTitle(t('browse.title'));
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const works = useAsync(
    () =>
      api<ApiPage<Work>>('/v1/works', {
        query: { q: filters.q, mediaType: filters.mediaType, language: filters.language, tag: filters.tag, use: filters.use.join(',') || undefined, collective: filters.collective || undefined, cursor, limit: 25 },
      }),
    [filters, cursor],
  );
  const apply = () => {
    setCursors([null]);
    setFilters(draft);
  };
  return (
    <Page title={t('browse.title')} intro={t('browse.lead')}>
      <Section title={t('browse.filters')}>
        <Form onSubmit={apply} label={t('browse.filters')}>
          <div className="row">
            <TextField label={t('browse.query')} type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
            <SelectField label={t('works.mediaType')} value={draft.mediaType} onChange={(e) => setDraft({ ...draft, mediaType: e.target.value })} options={[{ value: '', label: t('common.all') }, ...MEDIA_TYPES.map((m) => ({ value: m, label: t(`media.${m}` as MessageKey) }))]} />
            <TextField label={t('works.language')} value={draft.language} onChange={(e) => setDraft({ ...draft, language: e.target.value })} />
            <TextField label={t('browse.tag')} value={draft.tag} onChange={(e) => setDraft({ ...draft, tag: e.target.value })} />
          </div>
          <fieldset>
            <legend>{t('browse.usesAllowed')}</legend>
            <div className="row">
              {USES.map((u) => (
                <Toggle key={u} label={t(`uses.${u}` as MessageKey)} checked={draft.use.includes(u)} onChange={(v) => setDraft({ ...draft, use: v ? [...draft.use, u] : draft.use.filter((x) => x !== u) })} />
              ))}
              <Toggle label={t('uses.collective')} checked={draft.collective} onChange={(v) => setDraft({ ...draft, collective: v })} />
            </div>
          </fieldset>
          <div className="row">
            <Button type="submit">{t('common.search')}</Button>
            <Button kind="link" onClick={() => (setDraft(EMPTY), setCursors([null]), setFilters(EMPTY))}>
              {t('browse.clear')}
            </Button>
          </div>
        </Form>
      </Section>
      <Section title={t('browse.results')}>
        <Async state={works}>
          {(d) => (
            <>
              <p role="status" aria-live="polite">
                {tn('browse.count', d.total ?? d.data.length, d.totalRelation === 'gte' ? { n: `${formatNumber(d.total ?? d.data.length, locale)}+` } : undefined)}
              </p>
              {d.data.length ? (
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('works.titleField')}</th>
                        <th scope="col">{t('works.mediaType')}</th>
                        <th scope="col">{t('works.language')}</th>
                        <th scope="col">{t('works.tags')}</th>
                        <th scope="col">{t('browse.allowed')}</th>
                        <th scope="col">{t('common.id')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.data.map((w) => (
                        <tr key={w.id}>
                          <td>
                            <strong>{w.title}</strong>
                            {w.description && <div className="muted">{w.description}</div>}
                          </td>
                          <td>{t(`media.${w.mediaType}` as MessageKey)}</td>
                          <td>{w.language}</td>
                          <td>{w.tags.join(', ')}</td>
                          <td>
                            <ConsentSummary consent={w.consent} />
                          </td>
                          <td>
                            <code>{w.id}</code>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : (
                <Empty>{t('browse.none')}</Empty>
              )}
              <div className="row" style={{ marginTop: '1rem' }}>
                {cursors.length > 1 && (
                  <Button kind="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
                    {t('common.previous')}
                  </Button>
                )}
                {d.nextCursor && (
                  <Button kind="secondary" onClick={() => setCursors([...cursors, d.nextCursor ?? null])}>
                    {t('common.next')}
                  </Button>
                )}
              </div>
            </>
          )}
        </Async>
      </Section>
    </Page>
  );
}
