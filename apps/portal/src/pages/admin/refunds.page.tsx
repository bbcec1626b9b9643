import { useState } from 'react';
import { api, newIdempotencyKey } from '../../api/client';
import type { Licence, Page as ApiPage, RefundRequest } from '../../api/types';
import { Async, Button, ErrorBox, Form, Money, Notice, Page, Section, SelectField, TextField, useAction, useAsync } from '../../components/ui';
import { decimalToMinor, formatMoney, sumMinor } from '../../format';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link, useLocation } from '../../router';

const refundable = (l: Licence) => (BigInt(l.amountPaidMinor ?? '0') - BigInt(l.amountRefundedMinor ?? '0')).toString();

/**
 * Refund part or all of a paid licence through Stripe. One Idempotency-Key per submitted form: a
 * retry of the same form (a lost answer, a double click) cannot refund twice; changing the form
 * or refunding again draws a new key. The licence page then shows the refund once Stripe's
 * webhook has recorded it (a full refund revokes the licence).
 */
export function RefundsPage() {
  const { t, locale } = useI18n();
  useTitle(t('refunds.title'));
  const { query } = useLocation();
  const licences = useAsync(() => api<ApiPage<Licence>>('/v1/licences', { query: { limit: 100 } }), []);
  const [licenceId, setLicenceId] = useState(query.get('licence') ?? '');
  const [amount, setAmount] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [done, setDone] = useState<{ refund: RefundRequest; expectedTotal: string } | null>(null);
  const [invalid, setInvalid] = useState(false);
  const change = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setKey(newIdempotencyKey());
    setInvalid(false);
  };
  const submit = useAction(async (l: Licence) => {
    setDone(null);
    const amountMinor = decimalToMinor(amount, l.currency);
    if (!amountMinor || amountMinor === '0') {
      setInvalid(true);
      return;
    }
    const refund = await api<RefundRequest>(`/v1/licences/${l.id}/refunds`, { body: { amountMinor }, idempotencyKey: key });
    setDone({ refund, expectedTotal: sumMinor([l.amountRefundedMinor, amountMinor]) });
    setAmount('');
    setKey(newIdempotencyKey());
    licences.reload();
  });
  return (
    <Page title={t('refunds.title')} intro={t('refunds.lead')}>
      {done && (
        <Notice kind="success">
          {t('refunds.submitted', { amount: formatMoney(done.refund.amountMinor, done.refund.currency, locale) })}{' '}
          <Link to={`/licences/${done.refund.licenceId}?refunded=${done.expectedTotal}`}>{t('refunds.seeLicence')}</Link>
        </Notice>
      )}
      <Async state={licences}>
        {(d) => {
          const paid = d.data.filter((l) => l.amountPaidMinor && l.amountPaidMinor !== '0');
          const chosen = paid.find((l) => l.id === licenceId) ?? paid[0];
          if (!chosen) return <p className="empty">{t('refunds.none')}</p>;
          return (
            <Section title={t('refunds.new')}>
              <Form onSubmit={() => submit.run(chosen)} label={t('refunds.new')} className="form-narrow">
                <SelectField
                  label={t('refunds.licence')}
                  value={chosen.id}
                  onChange={(e) => change(setLicenceId)(e.target.value)}
                  options={paid.map((l) => ({ value: l.id, label: `${l.offerName} — ${l.organisationName ?? l.organisationId} (${l.id.slice(0, 8)})` }))}
                />
                <p>
                  {t('licence.paid')} <Money minor={chosen.amountPaidMinor} currency={chosen.currency} /> · {t('licence.refunded')} <Money minor={chosen.amountRefundedMinor} currency={chosen.currency} /> ·{' '}
                  <strong>
                    {t('refunds.refundable')} <Money minor={refundable(chosen)} currency={chosen.currency} />
                  </strong>
                </p>
                <TextField
                  label={t('refunds.amount', { currency: chosen.currency })}
                  hint={t('refunds.amountHint')}
                  inputMode="decimal"
                  required
                  value={amount}
                  error={invalid ? t('refunds.invalidAmount') : undefined}
                  onChange={(e) => change(setAmount)(e.target.value)}
                />
                {invalid && (
                  <div className="alert alert-error" role="alert">
                    {t('refunds.invalidAmount')}
                  </div>
                )}
                <ErrorBox error={submit.error} />
                <Button type="submit" kind="danger" busy={submit.busy}>
                  {t('refunds.submit')}
                </Button>
              </Form>
            </Section>
          );
        }}
      </Async>
    </Page>
  );
}
