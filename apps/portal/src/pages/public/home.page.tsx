import { useAuth, homeFor } from '../../auth/auth';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link } from '../../router';

export function HomePage() {
  const { t } = useI18n();
  const { user } = useAuth();
  useTitle(t('home.title'));
  return (
    <>
      <section className="hero" aria-labelledby="page-title">
        <h1 id="page-title">{t('home.title')}</h1>
        <p className="lead">{t('home.lead')}</p>
        <div className="row">
          {user ? (
            <Link className="btn btn-primary" to={homeFor(user)}>
              {t('home.ctaWorkspace')}
            </Link>
          ) : (
            <>
              <Link className="btn btn-primary" to="/sign-up?role=creator">
                {t('home.ctaCreator')}
              </Link>
              <Link className="btn btn-secondary" to="/sign-up?role=licensee">
                {t('home.ctaLicensee')}
              </Link>
            </>
          )}
        </div>
      </section>
      <div className="grid">
        <section className="card" aria-labelledby="h-creators">
          <h2 id="h-creators">{t('home.creators.title')}</h2>
          <p>{t('home.creators.body')}</p>
        </section>
        <section className="card" aria-labelledby="h-companies">
          <h2 id="h-companies">{t('home.companies.title')}</h2>
          <p>{t('home.companies.body')}</p>
        </section>
        <section className="card" aria-labelledby="h-public">
          <h2 id="h-public">{t('home.public.title')}</h2>
          <p>{t('home.public.body')}</p>
          <Link to="/register">{t('nav.public.register')}</Link>
        </section>
      </div>
      <section className="card" aria-labelledby="h-how" style={{ marginTop: '1.25rem' }}>
        <h2 id="h-how">{t('home.how.title')}</h2>
        <ol className="steps">
          <li>{t('home.how.1')}</li>
          <li>{t('home.how.2')}</li>
          <li>{t('home.how.3')}</li>
          <li>{t('home.how.4')}</li>
          <li>{t('home.how.5')}</li>
        </ol>
        <p>
          <Link to="/rules">{t('home.how.rulesLink')}</Link>
        </p>
      </section>
    </>
  );
}
