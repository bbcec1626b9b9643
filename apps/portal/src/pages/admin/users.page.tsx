import { useState } from 'react';
import { api, Role, User } from '../../api/client';
import type { Page as ApiPage } from '../../api/types';
import { Async, Button, ErrorBox, Form, Notice, Page, Section, TextField, Toggle, useAction, useAsync } from '../../components/ui';
import { formatDate } from '../../format';
import type { MessageKey } from '../../i18n/en';
import { useI18n, useTitle } from '../../i18n/i18n';

const STAFF_ROLES: Role[] = ['finance', 'admin'];

export function UsersPage() {
  const { t, locale } = useI18n();
  useTitle(t('users.title'));
  const users = useAsync(() => api<ApiPage<User>>('/v1/admin/users', { query: { limit: 200 } }), []);
  const [f, setF] = useState({ email: '', displayName: '', password: '', roles: ['finance'] as Role[] });
  const [created, setCreated] = useState(false);
  const create = useAction(async () => {
    setCreated(false);
    await api('/v1/admin/users', { body: f });
    setCreated(true);
    setF({ email: '', displayName: '', password: '', roles: ['finance'] });
    users.reload();
  });
  return (
    <Page title={t('users.title')} intro={t('users.lead')}>
      <Section title={t('users.new')}>
        <Form onSubmit={create.run} label={t('users.new')} className="form-narrow">
          <TextField label={t('auth.displayName')} required value={f.displayName} onChange={(e) => setF({ ...f, displayName: e.target.value })} />
          <TextField label={t('auth.email')} type="email" required value={f.email} onChange={(e) => setF({ ...f, email: e.target.value })} />
          <TextField label={t('users.initialPassword')} hint={t('auth.passwordHint')} type="password" autoComplete="new-password" required minLength={12} value={f.password} onChange={(e) => setF({ ...f, password: e.target.value })} />
          <fieldset>
            <legend>{t('users.roles')}</legend>
            {STAFF_ROLES.map((r) => (
              <Toggle key={r} label={t(`roles.${r}` as MessageKey)} checked={f.roles.includes(r)} onChange={(v) => setF({ ...f, roles: v ? [...f.roles, r] : f.roles.filter((x) => x !== r) })} />
            ))}
          </fieldset>
          <ErrorBox error={create.error} />
          {created && <Notice kind="success">{t('users.created')}</Notice>}
          <Button type="submit" busy={create.busy}>
            {t('common.create')}
          </Button>
        </Form>
      </Section>
      <Section title={t('users.list')}>
        <Async state={users}>
          {(d) => (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('common.name')}</th>
                    <th scope="col">{t('auth.email')}</th>
                    <th scope="col">{t('users.roles')}</th>
                    <th scope="col">{t('common.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.data.map((u) => (
                    <tr key={u.id}>
                      <td>{u.displayName}</td>
                      <td>{u.email}</td>
                      <td>{u.roles.map((r) => t(`roles.${r}` as MessageKey)).join(', ')}</td>
                      <td>{formatDate(u.createdAt, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Async>
      </Section>
    </Page>
  );
}
