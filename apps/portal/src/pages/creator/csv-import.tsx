import { useState } from 'react';
import { api, upload } from '../../api/client';
import type { ImportRejection, WorksImport } from '../../api/types';
import { Button, ErrorBox, ProgressBar, Status, usePolling, useAction } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';

/** Upload a works CSV, follow the import, then list every rejected row with its number and code. */
export function CsvImport({ catalogueId, onDone }: { catalogueId: string; onDone: () => void }) {
  const { t, tn } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [imp, setImp] = useState<WorksImport | null>(null);
  const [rejections, setRejections] = useState<ImportRejection[] | null>(null);
  const finished = (i: WorksImport) => i.status === 'completed' || i.status === 'failed';

  const loadRejections = async (i: WorksImport) => {
    const all: ImportRejection[] = [];
    let after = 0;
    for (;;) {
      const page = await api<{ data: ImportRejection[]; nextAfterRow: number | null }>(`/v1/works-imports/${i.id}/rejections`, { query: { afterRow: after, limit: 1000 } });
      all.push(...page.data);
      if (page.nextAfterRow === null || all.length >= 5000) break;
      after = page.nextAfterRow;
    }
    setRejections(all);
  };

  const follow = async (i: WorksImport) => {
    setImp(i);
    if (finished(i)) {
      onDone();
      if (i.rowsRejected > 0) await loadRejections(i);
    }
  };

  const action = useAction(async () => {
    if (!file) return;
    setRejections(null);
    setImp(null);
    setProgress(0);
    const i = await upload<WorksImport>(`/v1/catalogues/${catalogueId}/imports`, file, { contentType: 'text/csv', onProgress: (x) => setProgress(x * 100) });
    await follow(i);
  });

  usePolling(!!imp && !finished(imp), () => {
    if (imp) void api<WorksImport>(`/v1/works-imports/${imp.id}`).then(follow, action.setError);
  });

  return (
    <div className="stack">
      <p className="muted">{t('import.help')}</p>
      <pre className="mono" style={{ background: '#eef1f4', padding: '0.5rem', overflowX: 'auto' }}>
        title,mediaType,language,contentHash,sizeBytes,tags,description,sourceUrl,isbn
      </pre>
      <div className="field">
        <label htmlFor="csv-file">{t('import.file')}</label>
        <input id="csv-file" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <Button busy={action.busy} disabled={!file} onClick={() => void action.run()}>
        {t('import.upload')}
      </Button>
      {progress !== null && <ProgressBar value={progress} label={t('common.uploadProgress')} />}
      <ErrorBox error={action.error} />
      {imp && (
        <div role="status" aria-live="polite" data-testid="import-status">
          <p>
            <Status value={imp.status} />{' '}
            {t('import.summary', { created: tn('import.created', imp.rowsCreated), rejected: tn('import.rejected', imp.rowsRejected), rows: tn('import.read', imp.processedThroughRow) })}
          </p>
          {imp.error && (
            <p className="alert alert-error">
              {t('import.failed')} <code>{imp.error.code}</code> — {imp.error.message}
            </p>
          )}
        </div>
      )}
      {rejections && rejections.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>{tn('import.rejections', rejections.length)}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('import.row')}
                </th>
                <th scope="col">{t('import.code')}</th>
                <th scope="col">{t('import.message')}</th>
              </tr>
            </thead>
            <tbody>
              {rejections.map((r) => (
                <tr key={r.rowNo}>
                  <td className="num">{r.rowNo}</td>
                  <td>
                    <code>{r.code}</code>
                  </td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
