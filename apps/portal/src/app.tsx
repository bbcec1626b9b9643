import { ReactNode, useEffect, useRef } from 'react';
import type { Role } from './api/client';
import { homeFor, useAuth } from './auth/auth';
import type { MessageKey } from './i18n/en';
import { LANGS, useI18n } from './i18n/i18n';
import { Link, matchPath, navigate, Redirect, useLocation } from './router';
import { Loading } from './components/ui';
import { ROUTES } from './routes';

interface NavItem {
  to: string;
  label: MessageKey;
}

const NAV: { role: Role | 'public'; items: NavItem[] }[] = [
  { role: 'creator', items: [{ to: '/creator', label: 'nav.creator.home' }, { to: '/creator/catalogues', label: 'nav.creator.catalogues' }, { to: '/creator/earnings', label: 'nav.creator.earnings' }, { to: '/creator/payouts', label: 'nav.creator.payouts' }, { to: '/creator/profile', label: 'nav.creator.profile' }] },
  { role: 'licensee', items: [{ to: '/licensee/catalogue', label: 'nav.licensee.catalogue' }, { to: '/licensee/offers', label: 'nav.licensee.offers' }, { to: '/licensee/licences', label: 'nav.licensee.licences' }, { to: '/licensee/usage', label: 'nav.licensee.usage' }, { to: '/licensee/api-keys', label: 'nav.licensee.apiKeys' }] },
  { role: 'finance', items: [{ to: '/finance/royalty-runs', label: 'nav.finance.royaltyRuns' }, { to: '/finance/payout-runs', label: 'nav.finance.payoutRuns' }, { to: '/finance/reconciliation', label: 'nav.finance.reconciliation' }, { to: '/finance/unclaimed', label: 'nav.finance.unclaimed' }, { to: '/finance/trial-balance', label: 'nav.finance.trialBalance' }] },
  { role: 'admin', items: [{ to: '/manage/offers', label: 'nav.admin.offers' }, { to: '/manage/users', label: 'nav.admin.users' }, { to: '/manage/disputes', label: 'nav.admin.disputes' }, { to: '/manage/refunds', label: 'nav.admin.refunds' }] },
];

const PUBLIC_NAV: NavItem[] = [
  { to: '/', label: 'nav.public.about' },
  { to: '/register', label: 'nav.public.register' },
  { to: '/rules', label: 'nav.public.rules' },
];

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.switch')}>
      {LANGS.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={lang === l} onClick={() => setLang(l)} className={lang === l ? 'active' : ''}>
          {l === 'en' ? 'EN' : 'FR'}
          <span className="sr-only"> — {t(l === 'en' ? 'lang.en' : 'lang.fr')}</span>
        </button>
      ))}
    </div>
  );
}

function Header() {
  const { t } = useI18n();
  const { user, signOut } = useAuth();
  return (
    <header className="site-header">
      <div className="header-row">
        <Link to="/" className="brand">
          <span aria-hidden="true" className="brand-mark">◐</span> Fairshare
        </Link>
        <nav aria-label={t('nav.public')} className="nav-public">
          {PUBLIC_NAV.map((i) => (
            <Link key={i.to} to={i.to}>
              {t(i.label)}
            </Link>
          ))}
        </nav>
        <div className="header-tools">
          <LanguageSwitch />
          {user ? (
            <>
              <span className="whoami" data-testid="whoami">
                {user.displayName}
              </span>
              <button
                type="button"
                className="btn btn-secondary btn-small"
                onClick={async () => {
                  await signOut();
                  navigate('/');
                }}
              >
                {t('auth.signOut')}
              </button>
            </>
          ) : user === null ? (
            <>
              <Link to="/sign-in" className="btn btn-secondary btn-small">
                {t('auth.signIn')}
              </Link>
              <Link to="/sign-up" className="btn btn-primary btn-small">
                {t('auth.signUp')}
              </Link>
            </>
          ) : null}
        </div>
      </div>
      {user && (
        <nav aria-label={t('nav.workspace')} className="nav-workspace">
          {NAV.filter((n) => n.role !== 'public' && user.roles.includes(n.role)).map((n) => (
            <ul key={n.role} aria-label={t(`roles.${n.role}` as MessageKey)}>
              {n.items.map((i) => (
                <li key={i.to}>
                  <Link to={i.to}>{t(i.label)}</Link>
                </li>
              ))}
            </ul>
          ))}
        </nav>
      )}
    </header>
  );
}

/** Pages that need a role say which; others are public. */
function Guard({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  const { user } = useAuth();
  const { t } = useI18n();
  const { path } = useLocation();
  if (!roles) return <>{children}</>;
  if (user === undefined) return <Loading />;
  if (user === null) return <Redirect to={`/sign-in?next=${encodeURIComponent(path)}`} />;
  if (!roles.some((r) => user.roles.includes(r))) {
    return (
      <div className="alert alert-error" role="alert">
        {t('errors.FORBIDDEN')} <Link to={homeFor(user)}>{t('common.backHome')}</Link>
      </div>
    );
  }
  return <>{children}</>;
}

export function App() {
  const { t } = useI18n();
  const { path } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  let page: ReactNode = null;
  for (const r of ROUTES) {
    const params = matchPath(r.path, path);
    if (params) {
      page = <Guard roles={r.roles}>{r.render(params)}</Guard>;
      break;
    }
  }
  // Moving between pages moves focus to the main landmark, as a full page load would.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [path]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skip')}
      </a>
      <Header />
      <main id="main" ref={mainRef} tabIndex={-1}>
        {page ?? (
          <div role="alert" className="alert alert-error">
            {t('common.notFound')} <Link to="/">{t('common.backHome')}</Link>
          </div>
        )}
      </main>
      <footer className="site-footer">
        <p>{t('footer.text')}</p>
        <p>
          <Link to="/rules">{t('nav.public.rules')}</Link> · <Link to="/register">{t('nav.public.register')}</Link> · <a href="/docs">{t('footer.api')}</a>
        </p>
      </footer>
    </>
  );
}
