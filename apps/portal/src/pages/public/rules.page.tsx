import type { MessageKey } from '../../i18n/en';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Page } from '../../components/ui';

const RULES = [1, 2, 3, 4, 5, 6, 7] as const;

/** A plain-language summary of docs/distribution-rules.md, which is the normative text. */
export function RulesPage() {
  const { t } = useI18n();
  useTitle(t('rules.title'));
  return (
    <Page title={t('rules.title')} intro={t('rules.lead')}>
      <section className="card rules" aria-labelledby="h-rules">
        <h2 id="h-rules">{t('rules.listTitle')}</h2>
        <ol>
          {RULES.map((n) => (
            <li key={n}>
              <strong>{t(`rules.${n}.title` as MessageKey)}.</strong> {t(`rules.${n}.body` as MessageKey)}
            </li>
          ))}
        </ol>
      </section>
      <section className="card" aria-labelledby="h-unclaimed">
        <h2 id="h-unclaimed">{t('rules.unclaimed.title')}</h2>
        <p>{t('rules.unclaimed.body')}</p>
      </section>
      <section className="card" aria-labelledby="h-example">
        <h2 id="h-example">{t('rules.example.title')}</h2>
        <p>{t('rules.example.body')}</p>
      </section>
      <p className="muted">{t('rules.source')}</p>
    </Page>
  );
}
