import { useState } from 'react';
import { api } from '../../api/client';
import type { Page as ApiPage } from '../../api/types';
import { Async, Button, Empty, ErrorBox, Form, Notice, Page, Section, TextField, useAction, useAsync } from '../../components/ui';
import { formatDate } from '../../format';
import { useI18n, useTitle } from '../../i18n/i18n';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function ApiKeysPage() {
  const { t, locale } = useI18n();
  useTitle(t('apiKeys.title'));
  const keys = useAsync(() => api<ApiPage<ApiKey>>('/v1/organisations/me/api-keys'), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [invite, setInvite] = useState<{ code: string; expiresAt: string } | null>(null);
  const create = useAction(async () => {
    const k = await api<ApiKey & { key: string }>('/v1/organisations/me/api-keys', { body: { name } });
    setCreated(k.key);
    setName('');
    keys.reload();
  });
  const revoke = useAction(async (id: string) => {
    await api(`/v1/organisations/me/api-keys/${id}/revoke`, { method: 'POST' });
    keys.reload();
  });
  const inviteAction = useAction(async () => setInvite(await api<{ code: string; expiresAt: string }>('/v1/organisations/me/invites', { method: 'POST' })));
  return (
    <Page title={t('apiKeys.title')} intro={t('apiKeys.lead')}>
      <Section title={t('apiKeys.new')}>
        <Form onSubmit={create.run} label={t('apiKeys.new')} className="form-narrow">
          <TextField label={t('common.name')} hint={t('apiKeys.nameHint')} required value={name} onChange={(e) => setName(e.target.value)} />
          <ErrorBox error={create.error} />
          <Button type="submit" busy={create.busy}>
            {t('common.create')}
          </Button>
        </Form>
        {created && (
          <Notice kind="success">
            {t('apiKeys.shownOnce')} <code data-testid="new-api-key">{created}</code>
          </Notice>
        )}
      </Section>
      <Section title={t('apiKeys.list')}>
        <ErrorBox error={revoke.error} />
        <Async state={keys}>
          {(d) =>
            d.data.length ? (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('common.name')}</th>
                      <th scope="col">{t('apiKeys.prefix')}</th>
                      <th scope="col">{t('common.created')}</th>
                      <th scope="col">{t('apiKeys.lastUsed')}</th>
                      <th scope="col">{t('common.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.data.map((k) => (
                      <tr key={k.id}>
                        <td>{k.name}</td>
                        <td>
                          <code>{k.prefix}…</code>
                        </td>
                        <td>{formatDate(k.createdAt, locale)}</td>
                        <td>{formatDate(k.lastUsedAt, locale, true)}</td>
                        <td>
                          {k.revokedAt ? (
                            t('apiKeys.revokedOn', { date: formatDate(k.revokedAt, locale) })
                          ) : (
                            <Button kind="danger" className="btn btn-danger btn-small" onClick={() => void revoke.run(k.id)}>
                              {t('apiKeys.revoke')}
                            </Button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <Empty>{t('apiKeys.none')}</Empty>
            )
          }
        </Async>
      </Section>
      <Section title={t('apiKeys.colleagues')}>
        <p>{t('apiKeys.colleaguesHelp')}</p>
        <Button kind="secondary" busy={inviteAction.busy} onClick={() => void inviteAction.run()}>
          {t('apiKeys.invite')}
        </Button>
        <ErrorBox error={inviteAction.error} />
        {invite && (
          <Notice kind="success">
            <code>{invite.code}</code> — {t('apiKeys.inviteExpires', { date: formatDate(invite.expiresAt, locale, true) })}
          </Notice>
        )}
      </Section>
    </Page>
  );
}
