import { useState } from 'react';
import { api, upload } from '../../api/client';
import type { ConsentRecord, Page as ApiPage, RegisterLicence, Split, Work } from '../../api/types';
import { Async, Button, Dl, Named, Empty, ErrorBox, Form, Notice, Page, ProgressBar, Section, Status, TextField, useAction, useAsync } from '../../components/ui';
import { formatBps, formatBytes, formatDate } from '../../format';
import type { MessageKey } from '../../i18n/en';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link } from '../../router';
import { RegisterTable } from '../public/register.page';
import { ConsentEditor, ConsentSummary } from './consent-editor';

function ContentUpload({ work, onDone }: { work: Work; onDone: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const action = useAction(async () => {
    if (!file) return;
    setProgress(0);
    await upload(`/v1/works/${work.id}/content`, file, { contentType: 'application/octet-stream', onProgress: (x) => setProgress(x * 100) });
    onDone();
  });
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor="content-file">{t('work.contentFile')}</label>
        <input id="content-file" type="file" aria-describedby="content-hint" onChange={(e) => (setProgress(null), setFile(e.target.files?.[0] ?? null))} />
        <p className="hint" id="content-hint">
          {t('work.contentHint')}
        </p>
      </div>
      <Button busy={action.busy} disabled={!file} onClick={() => void action.run()}>
        {t('work.upload')}
      </Button>
      {progress !== null && <ProgressBar value={progress} label={t('common.uploadProgress')} />}
      <ErrorBox error={action.error} />
    </div>
  );
}

function History({ workId, version }: { workId: string; version: number }) {
  const { t, locale } = useI18n();
  const history = useAsync(() => api<ApiPage<ConsentRecord>>(`/v1/works/${workId}/consent-history`), [workId, version]);
  return (
    <Async state={history}>
      {(d) =>
        d.data.length ? (
          <div className="table-wrap">
            <table data-testid="consent-history">
              <thead>
                <tr>
                  <th scope="col">{t('common.date')}</th>
                  <th scope="col">{t('history.before')}</th>
                  <th scope="col">{t('history.after')}</th>
                  <th scope="col">{t('history.by')}</th>
                  <th scope="col">{t('history.record')}</th>
                </tr>
              </thead>
              <tbody>
                {[...d.data].reverse().map((r) => (
                  <tr key={r.id}>
                    <td>{formatDate(r.createdAt, locale, true)}</td>
                    <td>
                      <ConsentSummary consent={r.previous} />
                    </td>
                    <td>
                      <ConsentSummary consent={r.consent} />
                      {r.bulkId && <span className="muted"> · {t('history.bulk')}</span>}
                    </td>
                    <td>{r.actorName ?? <span className="muted">{t('history.bySystem')}</span>}</td>
                    <td>
                      <code>{r.id}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>{t('history.none')}</Empty>
        )
      }
    </Async>
  );
}

interface HolderRow {
  who: string;
  percent: string;
}

function Splits({ work, canEdit }: { work: Work; canEdit: boolean }) {
  const { t, tn, locale } = useI18n();
  const splits = useAsync(() => api<ApiPage<Split>>(`/v1/works/${work.id}/splits`), [work.id]);
  const [rows, setRows] = useState<HolderRow[] | null>(null);
  const [tokens, setTokens] = useState<Split['invitations']>([]);
  const current = splits.data?.data[splits.data.data.length - 1];
  const save = useAction(async () => {
    const holders = (rows ?? []).map((r) => {
      const bps = Math.round(Number(r.percent.replace(',', '.')) * 100);
      const who = r.who.trim();
      return who.includes('@') ? { email: who, shareBps: bps } : { creatorId: who, shareBps: bps };
    });
    const s = await api<Split>(`/v1/works/${work.id}/splits`, { method: 'PUT', body: { holders } });
    setTokens(s.invitations ?? []);
    setRows(null);
    splits.reload();
  });
  const startEdit = () =>
    setRows(
      current?.holders.map((h) => ({ who: h.creatorId ?? h.email ?? '', percent: String(h.shareBps / 100) })) ?? [
        { who: work.ownerId, percent: '100' },
      ],
    );
  const total = (rows ?? []).reduce((a, r) => a + Math.round(Number(r.percent.replace(',', '.')) * 100 || 0), 0);
  return (
    <div className="stack">
      <Async state={splits}>
        {(d) =>
          current ? (
            <div className="table-wrap">
              <table>
                <caption>{t('splits.current', { version: current.version, date: formatDate(current.effectiveAt, locale, true) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('splits.holder')}</th>
                    <th scope="col" className="num">
                      {t('splits.share')}
                    </th>
                    <th scope="col">{t('common.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {current.holders.map((h, i) => (
                    <tr key={i}>
                      <td>{h.creatorId === work.ownerId ? t('splits.you') : h.creatorName ? <Named name={h.creatorName} id={h.creatorId ?? ''} short /> : (h.email ?? <code>{h.creatorId}</code>)}</td>
                      <td className="num">{formatBps(h.shareBps, locale)}</td>
                      <td>{h.accepted ? t('splits.joined') : t('splits.invited')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {d.data.length > 1 && <p className="muted">{tn('splits.versions', d.data.length)}</p>}
            </div>
          ) : (
            <Empty>{t('splits.none')}</Empty>
          )
        }
      </Async>
      {tokens && tokens.length > 0 && (
        <Notice kind="success">
          {t('splits.invitationsCreated')}
          <ul>
            {tokens.map((tk) => (
              <li key={tk.invitationId}>
                {tk.email}: <code>{`${window.location.origin}/creator/invitations?token=${encodeURIComponent(tk.token)}`}</code>
              </li>
            ))}
          </ul>
        </Notice>
      )}
      {canEdit && !rows && (
        <Button kind="secondary" onClick={startEdit}>
          {t('splits.change')}
        </Button>
      )}
      {rows && (
        <Form onSubmit={save.run} label={t('splits.change')}>
          <p className="muted">{t('splits.help')}</p>
          {rows.map((r, i) => (
            <div className="row" key={i}>
              <TextField label={t('splits.who', { n: i + 1 })} value={r.who} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, who: e.target.value } : x)))} />
              <TextField label={t('splits.percent', { n: i + 1 })} inputMode="decimal" value={r.percent} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, percent: e.target.value } : x)))} />
              <Button kind="link" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                {t('splits.remove')}
              </Button>
            </div>
          ))}
          <p role="status" className={total === 10000 ? 'muted' : 'alert alert-warning'}>
            {t('splits.total', { total: formatBps(total, locale) })}
          </p>
          <div className="row">
            <Button kind="secondary" onClick={() => setRows([...rows, { who: '', percent: '0' }])}>
              {t('splits.addHolder')}
            </Button>
            <Button type="submit" busy={save.busy}>
              {t('common.save')}
            </Button>
            <Button kind="link" onClick={() => setRows(null)}>
              {t('common.cancel')}
            </Button>
          </div>
          <ErrorBox error={save.error} />
        </Form>
      )}
    </div>
  );
}

export function WorkPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const work = useAsync(() => api<Work>(`/v1/works/${id}`), [id]);
  const licences = useAsync(() => api<{ licences: RegisterLicence[] }>(`/v1/me/works/${id}/licences`), [id]);
  const [version, setVersion] = useState(0);
  useTitle(work.data?.title ?? t('work.title'));
  return (
    <Async state={work}>
      {(w) => (
        <Page title={w.title} intro={w.description ?? undefined} actions={<Link to={`/creator/catalogues/${w.catalogueId}`}>{t('work.backToCatalogue')}</Link>}>
          {w.status === 'disputed' && <Notice kind="warning">{t('work.disputed')}</Notice>}
          <Section title={t('work.details')}>
            <Dl
              items={[
                [t('common.id'), <code key="id">{w.id}</code>],
                [t('works.mediaType'), t(`media.${w.mediaType}` as MessageKey)],
                [t('works.language'), w.language],
                [t('common.status'), <Status key="s" value={w.status} />],
                [t('works.contentHash'), <code key="h">{w.contentHash}</code>],
                [t('works.sizeBytes'), formatBytes(w.sizeBytes, locale)],
                [t('work.content'), w.hasContent ? t('work.stored') : t('works.noContent')],
                [t('works.tags'), w.tags.join(', ') || '—'],
                [t('common.created'), formatDate(w.createdAt, locale)],
              ]}
            />
            {!w.hasContent && <ContentUpload work={w} onDone={work.reload} />}
          </Section>
          <Section title={t('work.consentTitle')}>
            <p className="muted">{t('work.consentHelp')}</p>
            <ConsentEditor
              key={w.id}
              idPrefix="work"
              initial={w.consent}
              saveLabel={t('consent.save')}
              onSave={async (c) => {
                await api(`/v1/works/${w.id}/consent`, { method: 'PUT', body: c });
                setVersion((v) => v + 1);
                work.reload();
              }}
            />
          </Section>
          <Section title={t('work.historyTitle')}>
            <History workId={w.id} version={version} />
          </Section>
          <Section title={t('work.holdersTitle')}>
            <Splits work={w} canEdit />
          </Section>
          <Section title={t('work.licensedBy')}>
            <Async state={licences}>{(d) => <RegisterTable rows={d.licences} caption={t('work.licensedByCaption')} />}</Async>
          </Section>
        </Page>
      )}
    </Async>
  );
}
