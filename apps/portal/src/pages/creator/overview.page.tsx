import { useState } from 'react';
import { api } from '../../api/client';
import type { Catalogue, Page as ApiPage } from '../../api/types';
import { Async, Button, ErrorBox, Form, Notice, Page, Section, TextField, useAction, useAsync } from '../../components/ui';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link, useLocation } from '../../router';
import { BalanceCards } from './earnings.page';

export function CreatorOverviewPage() {
  const { t, tn } = useI18n();
  useTitle(t('nav.creator.home'));
  const catalogues = useAsync(() => api<ApiPage<Catalogue>>('/v1/catalogues'), []);
  return (
    <Page title={t('overview.title')} intro={t('overview.lead')}>
      <Section title={t('earnings.balanceTitle')}>
        <BalanceCards />
        <p>
          <Link to="/creator/earnings">{t('overview.seeStatements')}</Link> · <Link to="/creator/payouts">{t('nav.creator.payouts')}</Link>
        </p>
      </Section>
      <Section title={t('nav.creator.catalogues')}>
        <Async state={catalogues}>
          {(d) => (
            <p>
              {tn('overview.catalogues', d.data.length)} <Link to="/creator/catalogues">{t('overview.manage')}</Link>
            </p>
          )}
        </Async>
      </Section>
    </Page>
  );
}

/** Accepting a co-holder invitation: the link the owner shared carries the token. */
export function InvitationPage() {
  const { t } = useI18n();
  useTitle(t('invitation.title'));
  const { query } = useLocation();
  const [token, setToken] = useState(query.get('token') ?? '');
  const [done, setDone] = useState(false);
  const accept = useAction(async () => {
    await api('/v1/holder-invitations/accept', { body: { token } });
    setDone(true);
  });
  return (
    <Page title={t('invitation.title')} intro={t('invitation.lead')}>
      <div className="card form-narrow">
        {done ? (
          <Notice kind="success">
            {t('invitation.accepted')} <Link to="/creator/earnings">{t('nav.creator.earnings')}</Link>
          </Notice>
        ) : (
          <Form onSubmit={accept.run} label={t('invitation.title')}>
            <TextField label={t('invitation.token')} required value={token} onChange={(e) => setToken(e.target.value)} />
            <ErrorBox error={accept.error} />
            <Button type="submit" busy={accept.busy}>
              {t('invitation.accept')}
            </Button>
          </Form>
        )}
      </div>
    </Page>
  );
}
