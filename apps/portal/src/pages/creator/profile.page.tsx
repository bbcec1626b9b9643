import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { CreatorProfile } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { Button, ErrorBox, Form, Loading, Notice, Page, SelectField, TextArea, TextField, useAction, useAsync } from '../../components/ui';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link, useLocation } from '../../router';

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'DKK', 'NOK', 'CAD', 'JPY'];
const COUNTRIES = ['FR', 'BE', 'CH', 'LU', 'CA', 'DE', 'ES', 'IT', 'NL', 'PT', 'IE', 'SE', 'DK', 'NO', 'FI', 'AT', 'GB', 'US', 'JP'];

export function ProfilePage() {
  const { t, locale } = useI18n();
  useTitle(t('profile.title'));
  const { user } = useAuth();
  const { query } = useLocation();
  const profile = useAsync(
    () => api<CreatorProfile>('/v1/me/creator-profile').catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
    [],
  );
  const [form, setForm] = useState({ displayName: '', country: 'FR', payoutCurrency: 'EUR', bio: '', links: '' });
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (profile.data === undefined) return;
    const p = profile.data;
    setForm({ displayName: p?.displayName ?? user?.displayName ?? '', country: p?.country ?? 'FR', payoutCurrency: p?.payoutCurrency ?? 'EUR', bio: p?.bio ?? '', links: (p?.links ?? []).join('\n') });
  }, [profile.data, user]);
  const action = useAction(async () => {
    setSaved(false);
    const body = { displayName: form.displayName, country: form.country, payoutCurrency: form.payoutCurrency, bio: form.bio || undefined, links: form.links.split(/\s+/).filter(Boolean) };
    await api('/v1/me/creator-profile', { method: 'PUT', body });
    setSaved(true);
  });
  const region = (c: string) => {
    try {
      return new Intl.DisplayNames([locale], { type: 'region' }).of(c) ?? c;
    } catch {
      return c;
    }
  };
  const currencyName = (c: string) => {
    try {
      return `${c} — ${new Intl.DisplayNames([locale], { type: 'currency' }).of(c)}`;
    } catch {
      return c;
    }
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <Page title={t('profile.title')} intro={t('profile.lead')}>
      {query.get('welcome') && <Notice>{t('profile.welcome')}</Notice>}
      {profile.data === undefined && !profile.error ? (
        <Loading />
      ) : (
        <div className="card form-narrow">
          <ErrorBox error={profile.error} />
          <Form onSubmit={action.run} label={t('profile.title')}>
            <TextField label={t('profile.displayName')} required value={form.displayName} onChange={set('displayName')} />
            <SelectField label={t('profile.country')} hint={t('profile.countryHint')} value={form.country} onChange={set('country')} options={COUNTRIES.map((c) => ({ value: c, label: region(c) }))} />
            <SelectField label={t('profile.payoutCurrency')} value={form.payoutCurrency} onChange={set('payoutCurrency')} options={CURRENCIES.map((c) => ({ value: c, label: currencyName(c) }))} />
            <TextArea label={t('profile.bio')} value={form.bio} onChange={set('bio')} />
            <TextArea label={t('profile.links')} hint={t('profile.linksHint')} value={form.links} onChange={set('links')} />
            <ErrorBox error={action.error} />
            {saved && (
              <Notice kind="success">
                {t('common.saved')} <Link to="/creator/catalogues">{t('profile.next')}</Link>
              </Notice>
            )}
            <Button type="submit" busy={action.busy}>
              {t('common.save')}
            </Button>
          </Form>
        </div>
      )}
    </Page>
  );
}
