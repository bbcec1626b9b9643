import { useState } from 'react';
import { api } from '../../api/client';
import { Offer, Page as ApiPage, USES } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { Async, Button, Empty, ErrorBox, Form, Money, Notice, Page, Section, SelectField, Status, TextArea, TextField, Toggle, useAction, useAsync } from '../../components/ui';
import { decimalToMinor, formatBps } from '../../format';
import type { MessageKey } from '../../i18n/en';
import { useI18n, useTitle } from '../../i18n/i18n';
import { UsesList } from '../public/register.page';
import { CURRENCIES } from '../creator/profile.page';

export function OffersAdminPage() {
  const { t, locale } = useI18n();
  useTitle(t('offersAdmin.title'));
  const { has } = useAuth();
  const offers = useAsync(() => api<ApiPage<Offer>>('/v1/offers', { query: { includeClosed: true, limit: 200 } }), []);
  const [f, setF] = useState({ kind: has('admin') ? 'collective' : 'dataset', name: '', description: '', uses: ['train'] as string[], commercial: true, currency: 'EUR', price: '', termDays: '365', feePercent: '10', distributionKey: 'usage', usageUnit: 'tokens', catalogueId: '' });
  const [created, setCreated] = useState(false);
  const create = useAction(async () => {
    setCreated(false);
    const priceMinor = decimalToMinor(f.price, f.currency);
    if (priceMinor === null) throw new Error(t('offersAdmin.badPrice'));
    await api('/v1/offers', {
      body: {
        kind: f.kind,
        name: f.name,
        ...(f.description ? { description: f.description } : {}),
        uses: f.uses,
        commercial: f.commercial,
        currency: f.currency,
        priceMinor,
        termDays: f.termDays ? Number(f.termDays) : null,
        adminFeeBps: Math.round(Number(f.feePercent.replace(',', '.')) * 100),
        distributionKey: f.distributionKey,
        usageUnit: f.usageUnit,
        ...(f.kind === 'dataset' ? { filter: { catalogueId: f.catalogueId } } : {}),
      },
    });
    setCreated(true);
    offers.reload();
  });
  const toggle = useAction(async (o: Offer) => {
    await api(`/v1/offers/${o.id}/active`, { body: { active: !o.active } });
    offers.reload();
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  return (
    <Page title={t('offersAdmin.title')} intro={t('offersAdmin.lead')}>
      <Section title={t('offersAdmin.list')}>
        <ErrorBox error={toggle.error} />
        <Async state={offers}>
          {(d) =>
            d.data.length ? (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('common.name')}</th>
                      <th scope="col">{t('register.uses')}</th>
                      <th scope="col">{t('licence.price')}</th>
                      <th scope="col">{t('offers.fee')}</th>
                      <th scope="col">{t('common.status')}</th>
                      <th scope="col">{t('common.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.data.map((o) => (
                      <tr key={o.id}>
                        <td>
                          {o.name} <span className="muted">({t(`offers.kind.${o.kind}` as MessageKey)})</span>
                        </td>
                        <td><UsesList uses={o.uses} /></td>
                        <td><Money minor={o.priceMinor} currency={o.currency} /></td>
                        <td>{formatBps(o.adminFeeBps, locale)}</td>
                        <td><Status value={o.active ? 'active' : 'closed'} /></td>
                        <td>
                          <Button kind="link" onClick={() => void toggle.run(o)}>
                            {o.active ? t('offersAdmin.close') : t('offersAdmin.reopen')}
                          </Button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <Empty>{t('offers.none')}</Empty>
            )
          }
        </Async>
      </Section>
      <Section title={t('offersAdmin.new')}>
        <Form onSubmit={create.run} label={t('offersAdmin.new')}>
          <div className="row">
            <SelectField label={t('offersAdmin.kind')} value={f.kind} onChange={set('kind')} options={[...(has('admin') ? [{ value: 'collective', label: t('offers.kind.collective') }] : []), { value: 'dataset', label: t('offers.kind.dataset') }]} />
            <TextField label={t('common.name')} required value={f.name} onChange={set('name')} />
          </div>
          <TextArea label={t('common.description')} value={f.description} onChange={set('description')} />
          <fieldset>
            <legend>{t('register.uses')}</legend>
            <div className="row">
              {USES.map((u) => (
                <Toggle key={u} label={t(`uses.${u}` as MessageKey)} checked={f.uses.includes(u)} onChange={(v) => setF((x) => ({ ...x, uses: v ? [...x.uses, u] : x.uses.filter((y) => y !== u) }))} />
              ))}
              <Toggle label={t('uses.commercial')} checked={f.commercial} onChange={(v) => setF((x) => ({ ...x, commercial: v }))} />
            </div>
          </fieldset>
          <div className="row">
            <SelectField label={t('common.currency')} value={f.currency} onChange={set('currency')} options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
            <TextField label={t('offersAdmin.price')} hint={t('offersAdmin.priceHint')} required inputMode="decimal" value={f.price} onChange={set('price')} />
            <TextField label={t('offersAdmin.termDays')} hint={t('offersAdmin.termHint')} inputMode="numeric" value={f.termDays} onChange={set('termDays')} />
            <TextField label={t('offersAdmin.feePercent')} inputMode="decimal" value={f.feePercent} onChange={set('feePercent')} />
          </div>
          <div className="row">
            <SelectField label={t('offers.key')} value={f.distributionKey} onChange={set('distributionKey')} options={[{ value: 'usage', label: t('offers.key.usage') }, { value: 'equal', label: t('offers.key.equal') }]} />
            <TextField label={t('offers.unit')} required value={f.usageUnit} onChange={set('usageUnit')} />
            {f.kind === 'dataset' && <TextField label={t('offersAdmin.catalogueId')} hint={t('offersAdmin.catalogueHint')} required value={f.catalogueId} onChange={set('catalogueId')} />}
          </div>
          <ErrorBox error={create.error} />
          {created && <Notice kind="success">{t('offersAdmin.created')}</Notice>}
          <Button type="submit" busy={create.busy}>
            {t('offersAdmin.create')}
          </Button>
        </Form>
      </Section>
    </Page>
  );
}
