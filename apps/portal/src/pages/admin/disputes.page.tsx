import { useState } from 'react';
import { api } from '../../api/client';
import type { Dispute, DisputeResolution } from '../../api/types';
import { Async, Button, Empty, ErrorBox, Form, Named, Notice, Page, Section, Status, Toggle, useAction, useAsync } from '../../components/ui';
import { formatDate } from '../../format';
import { useI18n, useTitle } from '../../i18n/i18n';

/**
 * One content hash claimed by several creators: the admin keeps one claim (the others are
 * rejected), or keeps one and merges every claimant into its split.
 */
function DisputeForm({ dispute, onResolved }: { dispute: Dispute; onResolved: (r: DisputeResolution) => void }) {
  const { t, locale } = useI18n();
  const [keep, setKeep] = useState('');
  const [merge, setMerge] = useState(false);
  const resolve = useAction(async () => {
    const r = await api<DisputeResolution>(`/v1/admin/disputes/${dispute.contentHash}/resolve`, { body: { keepWorkId: keep, merge } });
    onResolved(r);
  });
  const legend = t('disputes.keep');
  return (
    <Form onSubmit={() => resolve.run()} label={t('disputes.formLabel', { hash: dispute.contentHash.slice(0, 12) })}>
      <fieldset>
        <legend>{legend}</legend>
        {dispute.works.map((w) => (
          <div className="radio" key={w.id}>
            <input type="radio" id={`keep-${w.id}`} name={`keep-${dispute.contentHash}`} value={w.id} checked={keep === w.id} onChange={() => setKeep(w.id)} required />
            <label htmlFor={`keep-${w.id}`}>
              {t('disputes.claim', { title: w.title, owner: w.ownerName ?? w.ownerId, date: formatDate(w.createdAt, locale) })}
            </label>{' '}
            <Status value={w.status} />
          </div>
        ))}
      </fieldset>
      <Toggle label={t('disputes.merge')} hint={t('disputes.mergeHint')} checked={merge} onChange={setMerge} />
      <ErrorBox error={resolve.error} />
      <Button type="submit" busy={resolve.busy}>
        {merge ? t('disputes.resolveMerge') : t('disputes.resolveKeep')}
      </Button>
    </Form>
  );
}

export function DisputesPage() {
  const { t, tn } = useI18n();
  useTitle(t('disputes.title'));
  const disputes = useAsync(() => api<{ data: Dispute[] }>('/v1/admin/disputes'), []);
  const [done, setDone] = useState<DisputeResolution | null>(null);
  return (
    <Page title={t('disputes.title')} intro={t('disputes.lead')}>
      {done && (
        <Notice kind="success">
          {t(done.mergedSplitId ? 'disputes.merged' : 'disputes.kept', { title: done.kept.title })} {tn('disputes.rejectedCount', done.rejected.length)}
        </Notice>
      )}
      <Async state={disputes}>
        {(d) =>
          d.data.length ? (
            <>
              <p className="muted">{tn('disputes.count', d.data.length)}</p>
              {d.data.map((x) => (
                <Section key={x.contentHash} title={t('disputes.hash', { title: x.works[0]?.title ?? '' })}>
                  <p className="muted">
                    {t('works.contentHash')} <Named name={null} id={x.contentHash} />
                  </p>
                  <DisputeForm
                    dispute={x}
                    onResolved={(r) => {
                      setDone(r);
                      disputes.reload();
                    }}
                  />
                </Section>
              ))}
            </>
          ) : (
            <Empty>{t('disputes.none')}</Empty>
          )
        }
      </Async>
    </Page>
  );
}
