import { useState } from 'react';
import { homeFor, useAuth } from '../../auth/auth';
import { Button, ErrorBox, Form, Page, TextField, useAction } from '../../components/ui';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link, navigate, useLocation } from '../../router';

/** Only local paths are followed after signing in. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function SignInPage() {
  const { t } = useI18n();
  useTitle(t('auth.signIn'));
  const { signIn } = useAuth();
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction(async () => {
    const user = await signIn(email, password);
    navigate(safeNext(query.get('next')) ?? homeFor(user), { replace: true });
  });
  return (
    <Page title={t('auth.signIn')}>
      <div className="card form-narrow">
        <Form onSubmit={action.run} label={t('auth.signIn')}>
          <ErrorBox error={action.error} />
          <TextField label={t('auth.email')} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <TextField label={t('auth.password')} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          <Button type="submit" busy={action.busy}>
            {t('auth.signIn')}
          </Button>
        </Form>
        <p style={{ marginTop: '1rem' }}>
          {t('auth.noAccount')} <Link to="/sign-up">{t('auth.signUp')}</Link>
        </p>
      </div>
    </Page>
  );
}

export function SignUpPage() {
  const { t } = useI18n();
  useTitle(t('auth.signUp'));
  const { signUp } = useAuth();
  const { query } = useLocation();
  const [role, setRole] = useState<'creator' | 'licensee'>(query.get('role') === 'licensee' ? 'licensee' : 'creator');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [orgMode, setOrgMode] = useState<'new' | 'join'>('new');
  const [organisationName, setOrganisationName] = useState('');
  const [inviteCode, setInviteCode] = useState('');
  const action = useAction(async () => {
    const user = await signUp({
      email,
      password,
      displayName,
      role,
      ...(role === 'licensee' ? (orgMode === 'new' ? { organisationName } : { organisationInviteCode: inviteCode }) : {}),
    });
    navigate(safeNext(query.get('next')) ?? (role === 'creator' ? '/creator/profile?welcome=1' : homeFor(user)), { replace: true });
  });
  return (
    <Page title={t('auth.signUp')} intro={t('auth.signUpLead')}>
      <div className="card form-narrow">
        <Form onSubmit={action.run} label={t('auth.signUp')}>
          <ErrorBox error={action.error} />
          <fieldset>
            <legend>{t('auth.iAm')}</legend>
            <div className="toggle">
              <input type="radio" id="role-creator" name="role" checked={role === 'creator'} onChange={() => setRole('creator')} />
              <label htmlFor="role-creator">{t('auth.role.creator')}</label>
            </div>
            <div className="toggle">
              <input type="radio" id="role-licensee" name="role" checked={role === 'licensee'} onChange={() => setRole('licensee')} />
              <label htmlFor="role-licensee">{t('auth.role.licensee')}</label>
            </div>
          </fieldset>
          <TextField label={t('auth.displayName')} autoComplete="name" required value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          <TextField label={t('auth.email')} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <TextField label={t('auth.password')} hint={t('auth.passwordHint')} type="password" autoComplete="new-password" required minLength={12} value={password} onChange={(e) => setPassword(e.target.value)} />
          {role === 'licensee' && (
            <fieldset>
              <legend>{t('auth.organisation')}</legend>
              <div className="toggle">
                <input type="radio" id="org-new" name="org" checked={orgMode === 'new'} onChange={() => setOrgMode('new')} />
                <label htmlFor="org-new">{t('auth.orgNew')}</label>
              </div>
              <div className="toggle">
                <input type="radio" id="org-join" name="org" checked={orgMode === 'join'} onChange={() => setOrgMode('join')} />
                <label htmlFor="org-join">{t('auth.orgJoin')}</label>
              </div>
              {orgMode === 'new' ? (
                <TextField label={t('auth.organisationName')} required value={organisationName} onChange={(e) => setOrganisationName(e.target.value)} />
              ) : (
                <TextField label={t('auth.inviteCode')} required value={inviteCode} onChange={(e) => setInviteCode(e.target.value)} />
              )}
            </fieldset>
          )}
          <Button type="submit" busy={action.busy}>
            {t('auth.createAccount')}
          </Button>
        </Form>
        <p style={{ marginTop: '1rem' }}>
          {t('auth.haveAccount')} <Link to="/sign-in">{t('auth.signIn')}</Link>
        </p>
      </div>
    </Page>
  );
}
