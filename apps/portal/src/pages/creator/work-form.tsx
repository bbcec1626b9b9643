import { useState } from 'react';
import { api, upload } from '../../api/client';
import { MEDIA_TYPES, Work } from '../../api/types';
import { Button, ErrorBox, Form, ProgressBar, SelectField, TextArea, TextField, useAction } from '../../components/ui';
import { sha256Hex } from '../../file-hash';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';

/**
 * A new work. Choosing the file fills in its SHA-256 and size in the browser; the file is then
 * uploaded to the work with a progress bar (the API checks the hash again while storing it).
 */
export function WorkForm({ catalogueId, onCreated }: { catalogueId: string; onCreated: (w: Work) => void }) {
  const { t } = useI18n();
  const [f, setF] = useState({ title: '', mediaType: 'text', language: 'fr', contentHash: '', sizeBytes: '', tags: '', description: '', sourceUrl: '', isbn: '', doi: '' });
  const [file, setFile] = useState<File | null>(null);
  const [hashing, setHashing] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  const pick = async (chosen: File | null) => {
    setFile(chosen);
    if (!chosen) return;
    setHashing(true);
    try {
      const hash = await sha256Hex(chosen);
      setF((x) => ({ ...x, contentHash: hash, sizeBytes: String(chosen.size), title: x.title || chosen.name.replace(/\.[^.]+$/, '') }));
    } finally {
      setHashing(false);
    }
  };
  const action = useAction(async () => {
    const identifiers = Object.fromEntries(Object.entries({ isbn: f.isbn, doi: f.doi }).filter(([, v]) => v));
    const work = await api<Work>(`/v1/catalogues/${catalogueId}/works`, {
      body: {
        title: f.title,
        mediaType: f.mediaType,
        language: f.language,
        contentHash: f.contentHash.trim().toLowerCase(),
        ...(f.sizeBytes ? { sizeBytes: f.sizeBytes } : {}),
        tags: f.tags.split(',').map((s) => s.trim()).filter(Boolean),
        ...(f.description ? { description: f.description } : {}),
        ...(f.sourceUrl ? { sourceUrl: f.sourceUrl } : {}),
        ...(Object.keys(identifiers).length ? { identifiers } : {}),
      },
    });
    if (file) {
      setProgress(0);
      await upload<Work>(`/v1/works/${work.id}/content`, file, { contentType: 'application/octet-stream', onProgress: (x) => setProgress(x * 100) });
    }
    setF((x) => ({ ...x, title: '', contentHash: '', sizeBytes: '', description: '', sourceUrl: '', isbn: '', doi: '' }));
    setFile(null);
    setProgress(null);
    onCreated(work);
  });
  return (
    <Form onSubmit={action.run} label={t('works.new')}>
      <div className="field">
        <label htmlFor="work-file">{t('works.file')}</label>
        <input id="work-file" type="file" aria-describedby="work-file-hint" onChange={(e) => void pick(e.target.files?.[0] ?? null)} />
        <p className="hint" id="work-file-hint">
          {hashing ? t('works.hashing') : t('works.fileHint')}
        </p>
      </div>
      <div className="row">
        <TextField label={t('works.titleField')} required value={f.title} onChange={set('title')} />
        <SelectField label={t('works.mediaType')} value={f.mediaType} onChange={set('mediaType')} options={MEDIA_TYPES.map((m) => ({ value: m, label: t(`media.${m}` as MessageKey) }))} />
        <TextField label={t('works.language')} hint={t('works.languageHint')} required value={f.language} onChange={set('language')} />
      </div>
      <div className="row">
        <TextField label={t('works.contentHash')} hint={t('works.contentHashHint')} required pattern="[0-9a-fA-F]{64}" value={f.contentHash} onChange={set('contentHash')} className="mono" />
        <TextField label={t('works.sizeBytes')} inputMode="numeric" value={f.sizeBytes} onChange={set('sizeBytes')} />
      </div>
      <div className="row">
        <TextField label={t('works.tags')} hint={t('works.tagsHint')} value={f.tags} onChange={set('tags')} />
        <TextField label={t('works.sourceUrl')} type="url" value={f.sourceUrl} onChange={set('sourceUrl')} />
      </div>
      <div className="row">
        <TextField label="ISBN" value={f.isbn} onChange={set('isbn')} />
        <TextField label="DOI" value={f.doi} onChange={set('doi')} />
      </div>
      <TextArea label={t('common.description')} value={f.description} onChange={set('description')} />
      {progress !== null && <ProgressBar value={progress} label={t('common.uploadProgress')} />}
      <ErrorBox error={action.error} />
      <Button type="submit" busy={action.busy || hashing}>
        {t('works.add')}
      </Button>
    </Form>
  );
}
