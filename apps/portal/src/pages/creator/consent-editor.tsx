import { useState } from 'react';
import { CONSENT_FLAGS, Consent, ConsentFlag } from '../../api/types';
import { Button, ErrorBox, Notice, TextField, Toggle, useAction } from '../../components/ui';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';

export const NO_CONSENT: Consent = { train: false, fineTune: false, retrieval: false, evaluation: false, commercial: false, collective: false, excludedOrganisationIds: [] };

export const consentLabel = (flag: ConsentFlag): MessageKey => `consent.${flag}` as MessageKey;

/** Use-by-use switches; saving records one consent change (or one per work for a bulk change). */
export function ConsentEditor({ initial, onSave, saveLabel, idPrefix }: { initial: Consent; onSave: (c: Consent) => Promise<unknown>; saveLabel: string; idPrefix: string }) {
  const { t } = useI18n();
  const [c, setC] = useState<Consent>(initial);
  const [excluded, setExcluded] = useState(initial.excludedOrganisationIds.join(', '));
  const [saved, setSaved] = useState(false);
  const action = useAction(async () => {
    setSaved(false);
    const ids = excluded.split(/[\s,]+/).filter(Boolean);
    // Only the consent fields: the work's consent also carries its record ID, which is not input.
    await onSave({ train: c.train, fineTune: c.fineTune, retrieval: c.retrieval, evaluation: c.evaluation, commercial: c.commercial, collective: c.collective, excludedOrganisationIds: ids });
    setSaved(true);
  });
  const set = (flag: ConsentFlag, v: boolean) => {
    setSaved(false);
    setC((x) => ({ ...x, [flag]: v }));
  };
  const any = c.train || c.fineTune || c.retrieval || c.evaluation;
  return (
    <div className="stack" data-testid={`${idPrefix}-consent`}>
      <fieldset>
        <legend>{t('consent.usesLegend')}</legend>
        {(['train', 'fineTune', 'retrieval', 'evaluation'] as const).map((f) => (
          <Toggle key={f} label={t(consentLabel(f))} hint={t(`consent.${f}.hint` as MessageKey)} checked={c[f]} onChange={(v) => set(f, v)} />
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('consent.termsLegend')}</legend>
        {(['commercial', 'collective'] as const).map((f) => (
          <Toggle key={f} label={t(consentLabel(f))} hint={t(`consent.${f}.hint` as MessageKey)} checked={c[f]} onChange={(v) => set(f, v)} />
        ))}
        <TextField label={t('consent.excluded')} hint={t('consent.excludedHint')} value={excluded} onChange={(e) => setExcluded(e.target.value)} />
      </fieldset>
      {!any && <p className="muted">{t('consent.nothingAllowed')}</p>}
      <ErrorBox error={action.error} />
      {saved && <Notice kind="success">{t('consent.saved')}</Notice>}
      <Button busy={action.busy} onClick={() => void action.run()}>
        {saveLabel}
      </Button>
    </div>
  );
}

/** A short, readable summary: "Training, Retrieval · commercial" or "Nothing allowed". */
export function ConsentSummary({ consent }: { consent: Consent | null }) {
  const { t } = useI18n();
  const on = CONSENT_FLAGS.filter((f) => consent?.[f]);
  if (!on.some((f) => ['train', 'fineTune', 'retrieval', 'evaluation'].includes(f))) return <span className="badge">{t('consent.none')}</span>;
  return <span>{on.map((f) => t(consentLabel(f))).join(', ')}</span>;
}
