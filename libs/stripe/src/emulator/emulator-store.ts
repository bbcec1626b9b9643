import { randomBytes } from 'node:crypto';
import { ApiError } from './emulator-errors';
import type {
  AccountLinkObject,
  AccountObject,
  ApiList,
  BalanceTransactionObject,
  BalanceTransactionType,
  ChargeObject,
  CheckoutSessionObject,
  DisputeObject,
  EmulatorEvent,
  EmulatorObject,
  LineItemObject,
  Metadata,
  PaymentIntentObject,
  RefundObject,
  TransferObject,
  TransferReversalObject,
} from './emulator-objects';
import type { Params } from './params';

/**
 * Fee model, deterministic so tests can assert on it: 1.5 % of the amount rounded down, plus
 * 25 minor units, charged on each successful payment. Refunds do not return the fee (as at
 * Stripe). A lost dispute withdraws the disputed amount plus a flat 1,500 minor-unit fee.
 */
export const FEE_BASIS_POINTS = 150;
export const FEE_FIXED_MINOR = 25;
export const DISPUTE_FEE_MINOR = 1500;
export function processingFee(amount: number): number {
  return Math.floor((amount * FEE_BASIS_POINTS) / 10_000) + FEE_FIXED_MINOR;
}

/** Test cards understood by the hosted checkout page and `pay()`. */
export const TEST_CARDS = {
  succeeds: '4242424242424242',
  declines: '4000000000000002',
  asyncSucceeds: '4000000000000077',
  asyncFails: '4000000000000341',
} as const;

export interface RequestInfo {
  id: string | null;
  idempotencyKey: string | null;
}
export const NO_REQUEST: RequestInfo = { id: null, idempotencyKey: null };

export interface CardInput {
  number: string;
  expMonth?: number;
  expYear?: number;
  email?: string;
  name?: string;
}

export type PayResult =
  | { outcome: 'succeeded' | 'processing'; session: CheckoutSessionObject; redirectUrl: string }
  | { outcome: 'declined'; session: CheckoutSessionObject; error: { code: string; decline_code?: string; message: string } }
  | { outcome: 'not_open'; session: CheckoutSessionObject };

interface SessionRecord {
  session: CheckoutSessionObject;
  lineItems: LineItemObject[];
  paymentIntentMetadata: Metadata;
  paymentIntentDescription: string | null;
}

interface AccountLinkRecord {
  id: string;
  account: string;
  link: AccountLinkObject;
  refreshUrl: string;
  returnUrl: string;
  used: boolean;
}

export interface StoreHooks {
  now(): number;
  publicUrl(): string;
  emit(event: EmulatorEvent): void;
  /** Settling an asynchronous payment later: the emulator decides when. */
  scheduleAsyncSettlement(sessionId: string): void;
  apiVersion: string;
}

const CURRENCY_BY_COUNTRY: Record<string, string> = { US: 'usd', GB: 'gbp', CA: 'cad', AU: 'aud', JP: 'jpy', CH: 'chf' };
const EURO_COUNTRIES = new Set(['AT', 'BE', 'CY', 'DE', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PT', 'SI', 'SK']);
const INITIAL_REQUIREMENTS = ['business_type', 'external_account', 'individual.first_name', 'individual.last_name', 'tos_acceptance.date', 'tos_acceptance.ip'];

export function newId(prefix: string, length = 24): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${prefix}_${out}`;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** In-memory Stripe state and the rules that change it. No HTTP here. */
export class EmulatorStore {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly paymentIntents = new Map<string, PaymentIntentObject>();
  private readonly charges = new Map<string, ChargeObject>();
  private readonly balanceTransactions = new Map<string, BalanceTransactionObject>();
  private readonly refunds = new Map<string, RefundObject>();
  private readonly accounts = new Map<string, AccountObject>();
  private readonly accountLinks = new Map<string, AccountLinkRecord>();
  private readonly transfers = new Map<string, TransferObject>();
  private readonly reversals = new Map<string, TransferReversalObject>();
  private readonly disputes = new Map<string, DisputeObject>();
  private readonly eventLog: EmulatorEvent[] = [];
  /** Order of creation, to break ties between objects created in the same second. */
  private readonly sequence = new Map<string, number>();
  private nextSequence = 0;
  private transferFailures: { code: string; message: string }[] = [];

  constructor(private readonly hooks: StoreHooks) {}

  // ---- Lookups ----------------------------------------------------------------------------

  find(id: string): EmulatorObject | undefined {
    return (
      this.sessions.get(id)?.session ??
      this.paymentIntents.get(id) ??
      this.charges.get(id) ??
      this.balanceTransactions.get(id) ??
      this.refunds.get(id) ??
      this.accounts.get(id) ??
      this.transfers.get(id) ??
      this.reversals.get(id) ??
      this.disputes.get(id)
    );
  }

  session(id: string): CheckoutSessionObject {
    const record = this.sessions.get(id);
    if (!record) throw ApiError.missing('checkout.session', id);
    this.expireIfDue(record);
    return record.session;
  }

  lineItems(sessionId: string): ApiList<LineItemObject> {
    const record = this.sessions.get(sessionId);
    if (!record) throw ApiError.missing('checkout.session', sessionId);
    return { object: 'list', data: clone(record.lineItems), has_more: false, url: `/v1/checkout/sessions/${sessionId}/line_items` };
  }

  productName(sessionId: string): string {
    return this.sessions.get(sessionId)?.lineItems[0]?.description ?? '';
  }

  paymentIntent(id: string): PaymentIntentObject {
    return this.get(this.paymentIntents, id, 'payment_intent');
  }
  charge(id: string, param = 'id'): ChargeObject {
    return this.get(this.charges, id, 'charge', param);
  }
  balanceTransaction(id: string): BalanceTransactionObject {
    return this.get(this.balanceTransactions, id, 'balance transaction');
  }
  refund(id: string): RefundObject {
    return this.get(this.refunds, id, 'refund');
  }
  account(id: string, param = 'id'): AccountObject {
    return this.get(this.accounts, id, 'account', param);
  }
  transfer(id: string, param = 'id'): TransferObject {
    return this.get(this.transfers, id, 'transfer', param);
  }
  dispute(id: string): DisputeObject {
    return this.get(this.disputes, id, 'dispute');
  }
  event(id: string): EmulatorEvent {
    const event = this.eventLog.find((e) => e.id === id);
    if (!event) throw ApiError.missing('event', id);
    return event;
  }
  events(): EmulatorEvent[] {
    return [...this.eventLog];
  }

  accountLink(linkId: string): AccountLinkRecord | undefined {
    return this.accountLinks.get(linkId);
  }

  // ---- Checkout ---------------------------------------------------------------------------

  createCheckoutSession(p: Params): CheckoutSessionObject {
    p.allowOnly(
      'mode',
      'line_items',
      'success_url',
      'cancel_url',
      'client_reference_id',
      'customer_email',
      'metadata',
      'payment_intent_data',
      'payment_method_types',
      'expires_at',
      'locale',
      'submit_type',
    );
    const mode = p.oneOf('mode', ['payment', 'setup', 'subscription'] as const);
    if (mode === undefined) throw ApiError.invalid('Missing required param: mode.', 'mode', 'parameter_missing');
    if (mode !== 'payment') throw ApiError.invalid(`The emulator only supports mode=payment, not ${mode}.`, 'mode');
    const successUrl = p.requiredString('success_url');
    const cancelUrl = p.string('cancel_url') ?? null;
    for (const [param, url] of [['success_url', successUrl], ['cancel_url', cancelUrl]] as const) {
      if (url !== null && !/^https?:\/\//.test(url)) throw ApiError.invalid(`Not a valid URL`, param, 'url_invalid');
    }
    const items = p.array('line_items');
    if (items.length === 0) {
      throw ApiError.invalid('You must specify either `line_items` or `amount` in `payment` mode.', 'line_items', 'parameter_missing');
    }
    let currency: string | undefined;
    const lineItems: LineItemObject[] = items.map((item) => {
      item.allowOnly('price_data', 'quantity', 'price');
      if (item.has('price')) throw ApiError.invalid('The emulator only supports price_data line items.', 'line_items[0][price]');
      const quantity = item.integer('quantity', 1) ?? 1;
      const priceData = item.requiredObject('price_data').allowOnly('currency', 'unit_amount', 'product_data', 'tax_behavior');
      const itemCurrency = priceData.requiredString('currency').toLowerCase();
      if (!/^[a-z]{3}$/.test(itemCurrency)) throw ApiError.invalid(`Invalid currency: ${itemCurrency}`, 'line_items[0][price_data][currency]');
      if (currency !== undefined && currency !== itemCurrency) {
        throw ApiError.invalid('All line items must use the same currency.', 'line_items');
      }
      currency = itemCurrency;
      const unitAmount = priceData.requiredInteger('unit_amount', 0);
      const productData = priceData.requiredObject('product_data').allowOnly('name', 'description', 'metadata');
      const name = productData.requiredString('name');
      const total = unitAmount * quantity;
      return {
        id: newId('li'),
        object: 'item',
        amount_discount: 0,
        amount_subtotal: total,
        amount_tax: 0,
        amount_total: total,
        currency: itemCurrency,
        description: name,
        price: {
          id: newId('price'),
          object: 'price',
          active: false,
          currency: itemCurrency,
          livemode: false,
          product: newId('prod', 14),
          type: 'one_time',
          unit_amount: unitAmount,
        },
        quantity,
      };
    });
    const amount = lineItems.reduce((sum, li) => sum + li.amount_total, 0);
    if (amount < 1) throw ApiError.invalid('The Checkout Session\'s total amount due must add up to at least 1.', 'line_items');
    const piData = p.object('payment_intent_data')?.allowOnly('metadata', 'description', 'receipt_email');
    const created = this.nowSeconds();
    const id = newId('cs_test', 58);
    const customerEmail = p.string('customer_email') ?? null;
    const session: CheckoutSessionObject = {
      id,
      object: 'checkout.session',
      amount_subtotal: amount,
      amount_total: amount,
      cancel_url: cancelUrl,
      client_reference_id: p.string('client_reference_id') ?? null,
      created,
      currency: currency ?? 'usd',
      customer: null,
      customer_details: customerEmail ? { email: customerEmail, name: null, phone: null, address: null, tax_exempt: 'none', tax_ids: [] } : null,
      customer_email: customerEmail,
      expires_at: p.integer('expires_at') ?? created + 24 * 3600,
      livemode: false,
      metadata: p.metadata(),
      mode: 'payment',
      payment_intent: null,
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      status: 'open',
      success_url: successUrl,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted',
      url: `${this.hooks.publicUrl()}/checkout/${id}`,
    };
    this.sessions.set(id, {
      session,
      lineItems,
      paymentIntentMetadata: piData?.metadata() ?? {},
      paymentIntentDescription: piData?.string('description') ?? null,
    });
    this.track(id);
    return session;
  }

  expireSession(id: string, request: RequestInfo): CheckoutSessionObject {
    const record = this.sessions.get(id);
    if (!record) throw ApiError.missing('checkout.session', id);
    if (record.session.status !== 'open') {
      throw ApiError.refused(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${record.session.status}".`,
        'checkout_session_not_open',
      );
    }
    this.markExpired(record, request);
    return record.session;
  }

  /** The hosted page's form and `pay()` both come here. */
  pay(sessionId: string, card: CardInput): PayResult {
    const record = this.sessions.get(sessionId);
    if (!record) throw ApiError.missing('checkout.session', sessionId);
    this.expireIfDue(record);
    const session = record.session;
    if (session.status !== 'open') return { outcome: 'not_open', session };

    const number = card.number.replace(/[\s-]/g, '');
    const known = Object.values(TEST_CARDS) as string[];
    if (!/^\d{12,19}$/.test(number) || !luhn(number)) {
      return { outcome: 'declined', session, error: { code: 'incorrect_number', message: 'Your card number is incorrect.' } };
    }
    if (!known.includes(number)) {
      return {
        outcome: 'declined',
        session,
        error: {
          code: 'card_declined',
          decline_code: 'test_mode_live_card',
          message: 'Your card was declined. Your request was in test mode, but used a non test card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
        },
      };
    }
    if (number === TEST_CARDS.declines) {
      return { outcome: 'declined', session, error: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } };
    }
    const async = number === TEST_CARDS.asyncSucceeds || number === TEST_CARDS.asyncFails;
    const created = this.nowSeconds();
    const email = card.email?.trim() || session.customer_email;
    const pi: PaymentIntentObject = {
      id: newId('pi'),
      object: 'payment_intent',
      amount: session.amount_total,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: 'automatic_async',
      client_secret: '',
      confirmation_method: 'automatic',
      created,
      currency: session.currency,
      customer: null,
      description: record.paymentIntentDescription,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: { ...record.paymentIntentMetadata },
      payment_method: newId('pm'),
      payment_method_types: ['card'],
      receipt_email: email ?? null,
      status: 'processing',
      transfer_group: null,
    };
    pi.client_secret = `${pi.id}_secret_${newId('x').slice(2)}`;
    const expYear = card.expYear ?? new Date(this.hooks.now()).getUTCFullYear() + 2;
    const charge: ChargeObject = {
      id: newId('ch'),
      object: 'charge',
      amount: pi.amount,
      amount_captured: 0,
      amount_refunded: 0,
      balance_transaction: null,
      billing_details: { email: email ?? null, name: card.name?.trim() || null, address: null, phone: null },
      captured: false,
      created,
      currency: pi.currency,
      customer: null,
      description: pi.description,
      disputed: false,
      failure_code: null,
      failure_message: null,
      livemode: false,
      // Stripe copies the PaymentIntent's metadata onto the charge it creates.
      metadata: { ...pi.metadata },
      outcome: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
      paid: false,
      payment_intent: pi.id,
      payment_method: pi.payment_method ?? '',
      payment_method_details: {
        type: 'card',
        card: { brand: 'visa', country: 'US', exp_month: card.expMonth ?? 12, exp_year: expYear, funding: 'credit', last4: number.slice(-4) },
      },
      receipt_email: email ?? null,
      refunded: false,
      status: 'pending',
      transfer_group: null,
    };
    pi.latest_charge = charge.id;
    this.paymentIntents.set(pi.id, pi);
    this.charges.set(charge.id, charge);
    this.track(pi.id);
    this.track(charge.id);
    if (!async) this.settleCharge(pi, charge);

    session.status = 'complete';
    session.payment_status = async ? 'unpaid' : 'paid';
    session.payment_intent = pi.id;
    session.url = null;
    session.customer_details = { email: email ?? null, name: card.name?.trim() || null, phone: null, address: null, tax_exempt: 'none', tax_ids: [] };
    this.emit('checkout.session.completed', session, NO_REQUEST);
    if (async) this.hooks.scheduleAsyncSettlement(session.id);
    const redirectUrl = (session.success_url ?? '').replace(/\{CHECKOUT_SESSION_ID\}/g, session.id);
    return { outcome: async ? 'processing' : 'succeeded', session, redirectUrl };
  }

  /** The later half of an async card: 4000000000000077 succeeds, 4000000000000341 fails. */
  settleAsyncPayment(sessionId: string): void {
    const record = this.sessions.get(sessionId);
    const piId = record?.session.payment_intent;
    if (!record || !piId) return;
    const pi = this.paymentIntent(piId);
    if (pi.status !== 'processing' || !pi.latest_charge) return;
    const charge = this.charge(pi.latest_charge);
    if (charge.payment_method_details.card.last4 === TEST_CARDS.asyncFails.slice(-4)) {
      const error = { type: 'card_error' as const, code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' };
      pi.status = 'requires_payment_method';
      pi.last_payment_error = error;
      charge.status = 'failed';
      charge.failure_code = error.code;
      charge.failure_message = error.message;
      charge.outcome = { network_status: 'declined_by_network', reason: 'generic_decline', risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' };
      this.emit('checkout.session.async_payment_failed', record.session, NO_REQUEST);
      return;
    }
    this.settleCharge(pi, charge);
    record.session.payment_status = 'paid';
    this.emit('checkout.session.async_payment_succeeded', record.session, NO_REQUEST);
  }

  private settleCharge(pi: PaymentIntentObject, charge: ChargeObject): void {
    const fee = processingFee(charge.amount);
    const txn = this.addBalanceTransaction('charge', charge.amount, fee, charge.currency, charge.id, 'Payment');
    charge.balance_transaction = txn.id;
    charge.status = 'succeeded';
    charge.paid = true;
    charge.captured = true;
    charge.amount_captured = charge.amount;
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
  }

  private expireIfDue(record: SessionRecord): void {
    if (record.session.status === 'open' && record.session.expires_at <= this.nowSeconds()) this.markExpired(record, NO_REQUEST);
  }

  private markExpired(record: SessionRecord, request: RequestInfo): void {
    record.session.status = 'expired';
    record.session.url = null;
    this.emit('checkout.session.expired', record.session, request);
  }

  // ---- Refunds ----------------------------------------------------------------------------

  createRefund(p: Params, request: RequestInfo): RefundObject {
    p.allowOnly('payment_intent', 'charge', 'amount', 'metadata', 'reason');
    const piId = p.string('payment_intent');
    const chargeId = p.string('charge');
    if (!piId && !chargeId) throw ApiError.invalid('One of the following params should be provided for this request: payment_intent or charge.', 'payment_intent', 'parameter_missing');
    let charge: ChargeObject;
    if (piId) {
      const pi = this.get(this.paymentIntents, piId, 'payment_intent', 'payment_intent');
      if (pi.status !== 'succeeded' || !pi.latest_charge) {
        throw ApiError.refused(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, 'charge_not_refundable', 'payment_intent');
      }
      charge = this.charge(pi.latest_charge);
    } else {
      charge = this.charge(chargeId ?? '', 'charge');
    }
    const remaining = charge.amount - charge.amount_refunded;
    if (charge.status !== 'succeeded') throw ApiError.refused(`Charge ${charge.id} has not succeeded and cannot be refunded.`, 'charge_not_refundable');
    if (remaining === 0) throw ApiError.refused(`Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
    const amount = p.integer('amount', 1) ?? remaining;
    if (amount > remaining) {
      throw ApiError.refused(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
        'amount_too_large',
        'amount',
      );
    }
    const reason = p.oneOf('reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null;
    const refund: RefundObject = {
      id: newId('re'),
      object: 'refund',
      amount,
      balance_transaction: '',
      charge: charge.id,
      created: this.nowSeconds(),
      currency: charge.currency,
      metadata: p.metadata(),
      payment_intent: charge.payment_intent,
      reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    refund.balance_transaction = this.addBalanceTransaction('refund', -amount, 0, charge.currency, refund.id, 'REFUND FOR CHARGE').id;
    this.refunds.set(refund.id, refund);
    this.track(refund.id);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.emit('charge.refunded', charge, request, { amount_refunded: charge.amount_refunded - amount, refunded: false });
    this.emit('refund.created', refund, request);
    return refund;
  }

  // ---- Disputes (test controls only: Stripe has no API to open one) ------------------------

  createDispute(chargeId: string, reason = 'fraudulent'): DisputeObject {
    const charge = this.charge(chargeId);
    if (charge.status !== 'succeeded') throw ApiError.invalid(`Charge ${chargeId} has not succeeded; it cannot be disputed.`);
    if (charge.disputed) throw ApiError.invalid(`Charge ${chargeId} is already disputed.`);
    const created = this.nowSeconds();
    const dispute: DisputeObject = {
      id: newId('dp'),
      object: 'dispute',
      amount: charge.amount - charge.amount_refunded,
      balance_transactions: [],
      charge: charge.id,
      created,
      currency: charge.currency,
      evidence_details: { due_by: created + 7 * 24 * 3600, has_evidence: false, past_due: false, submission_count: 0 },
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: charge.payment_intent,
      reason,
      status: 'needs_response',
    };
    this.disputes.set(dispute.id, dispute);
    this.track(dispute.id);
    charge.disputed = true;
    this.emit('charge.dispute.created', dispute, NO_REQUEST);
    return dispute;
  }

  /** Simplification: funds move only when a dispute is lost (Stripe withdraws at opening and reinstates on a win). */
  closeDispute(disputeId: string, outcome: 'won' | 'lost'): DisputeObject {
    const dispute = this.dispute(disputeId);
    if (dispute.status !== 'needs_response') throw ApiError.invalid(`Dispute ${disputeId} is already closed (${dispute.status}).`);
    const previous = dispute.status;
    dispute.status = outcome;
    if (outcome === 'lost') {
      const txn = this.addBalanceTransaction('adjustment', -dispute.amount, DISPUTE_FEE_MINOR, dispute.currency, dispute.id, `Chargeback withdrawal for ${dispute.charge}`);
      dispute.balance_transactions.push(clone(txn));
    }
    this.emit('charge.dispute.closed', dispute, NO_REQUEST, { status: previous });
    return dispute;
  }

  // ---- Connect ----------------------------------------------------------------------------

  createAccount(p: Params): AccountObject {
    p.allowOnly('type', 'country', 'default_currency', 'email', 'metadata', 'capabilities', 'business_type', 'controller', 'tos_acceptance', 'business_profile');
    const type = p.oneOf('type', ['express', 'custom', 'standard'] as const) ?? 'express';
    const country = (p.string('country') ?? 'US').toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) throw ApiError.invalid(`Country '${country}' is unknown. Try using a 2-character alpha-2 country code instead, such as 'US', 'EG', or 'GB'.`, 'country');
    const defaultCurrency = (p.string('default_currency') ?? CURRENCY_BY_COUNTRY[country] ?? (EURO_COUNTRIES.has(country) ? 'eur' : 'usd')).toLowerCase();
    const capabilities: Record<string, 'inactive'> = {};
    const requested = p.object('capabilities');
    for (const name of Object.keys(requested?.raw ?? {})) {
      const cap = requested?.requiredObject(name).allowOnly('requested');
      if (cap?.boolean('requested')) capabilities[name] = 'inactive';
    }
    const email = p.string('email') ?? null;
    if (email !== null && !/^[^@\s]+@[^@\s]+$/.test(email)) throw ApiError.invalid('Invalid email address: ' + email, 'email', 'email_invalid');
    const account: AccountObject = {
      id: newId('acct', 16),
      object: 'account',
      business_type: p.string('business_type') ?? null,
      capabilities,
      charges_enabled: false,
      country,
      created: this.nowSeconds(),
      default_currency: defaultCurrency,
      details_submitted: false,
      email,
      metadata: p.metadata(),
      payouts_enabled: false,
      requirements: {
        alternatives: [],
        current_deadline: null,
        currently_due: [...INITIAL_REQUIREMENTS],
        disabled_reason: 'requirements.past_due',
        errors: [],
        eventually_due: [...INITIAL_REQUIREMENTS],
        past_due: [...INITIAL_REQUIREMENTS],
        pending_verification: [],
      },
      type,
    };
    this.accounts.set(account.id, account);
    this.track(account.id);
    return account;
  }

  createAccountLink(p: Params): AccountLinkObject {
    p.allowOnly('account', 'type', 'refresh_url', 'return_url', 'collect', 'collection_options');
    const accountId = p.requiredString('account');
    const type = p.oneOf('type', ['account_onboarding', 'account_update'] as const);
    if (!type) throw ApiError.invalid('Missing required param: type.', 'type', 'parameter_missing');
    const account = this.account(accountId, 'account');
    const refreshUrl = p.requiredString('refresh_url');
    const returnUrl = p.requiredString('return_url');
    const created = this.nowSeconds();
    const linkId = newId('link', 24);
    const link: AccountLinkObject = {
      object: 'account_link',
      created,
      // Stripe's links last a few minutes and can be used once.
      expires_at: created + 300,
      url: `${this.hooks.publicUrl()}/connect/onboarding/${linkId}`,
    };
    this.accountLinks.set(linkId, { id: linkId, account: account.id, link, refreshUrl, returnUrl, used: false });
    return link;
  }

  /** Visiting a link uses it up; an expired or used link sends the user to refresh_url. */
  useAccountLink(linkId: string, consume: boolean): { state: 'valid' | 'stale'; record: AccountLinkRecord } | undefined {
    const record = this.accountLinks.get(linkId);
    if (!record) return undefined;
    const stale = record.used || record.link.expires_at <= this.nowSeconds();
    if (!stale && consume) record.used = true;
    return { state: stale ? 'stale' : 'valid', record };
  }

  completeOnboarding(accountId: string): AccountObject {
    const account = this.account(accountId);
    if (account.details_submitted && account.payouts_enabled && account.charges_enabled) return account;
    const previous = {
      charges_enabled: account.charges_enabled,
      payouts_enabled: account.payouts_enabled,
      details_submitted: account.details_submitted,
      requirements: clone(account.requirements),
      capabilities: clone(account.capabilities),
    };
    account.details_submitted = true;
    account.charges_enabled = true;
    account.payouts_enabled = true;
    account.requirements = {
      alternatives: [],
      current_deadline: null,
      currently_due: [],
      disabled_reason: null,
      errors: [],
      eventually_due: [],
      past_due: [],
      pending_verification: [],
    };
    for (const name of Object.keys(account.capabilities)) account.capabilities[name] = 'active';
    this.emit('account.updated', account, NO_REQUEST, previous, account.id);
    return account;
  }

  // ---- Transfers --------------------------------------------------------------------------

  failNextTransfers(count: number, error: { code: string; message: string }): void {
    for (let i = 0; i < count; i++) this.transferFailures.push(error);
  }

  createTransfer(p: Params, request: RequestInfo): TransferObject {
    p.allowOnly('amount', 'currency', 'destination', 'transfer_group', 'metadata', 'description', 'source_transaction');
    const amount = p.requiredInteger('amount', 1);
    const currency = p.requiredString('currency').toLowerCase();
    const destinationId = p.requiredString('destination');
    const metadata = p.metadata();
    const destination = this.accounts.get(destinationId);
    if (!destination) throw ApiError.missing('destination', destinationId, 'destination');
    if (destination.capabilities['transfers'] !== 'active') {
      throw ApiError.refused(
        'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
        'insufficient_capabilities_for_transfer',
        'destination',
      );
    }
    const failure = this.transferFailures.shift();
    if (failure) throw ApiError.refused(failure.message, failure.code);
    const id = newId('tr');
    const transfer: TransferObject = {
      id,
      object: 'transfer',
      amount,
      amount_reversed: 0,
      balance_transaction: this.addBalanceTransaction('transfer', -amount, 0, currency, id, null).id,
      created: this.nowSeconds(),
      currency,
      description: p.string('description') ?? null,
      destination: destination.id,
      destination_payment: newId('py'),
      livemode: false,
      metadata,
      reversals: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/transfers/${id}/reversals` },
      reversed: false,
      source_transaction: p.string('source_transaction') ?? null,
      source_type: 'card',
      transfer_group: p.string('transfer_group') ?? null,
    };
    this.transfers.set(id, transfer);
    this.track(id);
    this.emit('transfer.created', transfer, request);
    return transfer;
  }

  listTransfers(p: Params): ApiList<TransferObject> {
    p.allowOnly('created', 'limit', 'starting_after', 'ending_before', 'destination', 'transfer_group');
    const limit = p.integer('limit', 1) ?? 10;
    if (limit > 100) throw ApiError.invalid('This value must be less than or equal to 100.', 'limit');
    const created = p.object('created')?.allowOnly('gt', 'gte', 'lt', 'lte');
    const exact = created ? undefined : p.integer('created');
    const [gt, gte, lt, lte] = (['gt', 'gte', 'lt', 'lte'] as const).map((k) => created?.integer(k));
    const destination = p.string('destination');
    const group = p.string('transfer_group');
    // Stripe lists newest first.
    let rows = [...this.transfers.values()]
      .filter(
        (t) =>
          (exact === undefined || t.created === exact) &&
          (gt === undefined || t.created > gt) &&
          (gte === undefined || t.created >= gte) &&
          (lt === undefined || t.created < lt) &&
          (lte === undefined || t.created <= lte) &&
          (destination === undefined || t.destination === destination) &&
          (group === undefined || t.transfer_group === group),
      )
      .sort((a, b) => b.created - a.created || this.seq(b.id) - this.seq(a.id));
    const after = p.string('starting_after');
    const before = p.string('ending_before');
    if (after !== undefined) {
      const i = rows.findIndex((t) => t.id === after);
      if (i === -1) throw ApiError.missing('transfer', after, 'starting_after');
      rows = rows.slice(i + 1);
    } else if (before !== undefined) {
      const i = rows.findIndex((t) => t.id === before);
      if (i === -1) throw ApiError.missing('transfer', before, 'ending_before');
      rows = rows.slice(Math.max(0, i - limit), i);
      return { object: 'list', data: rows, has_more: i - limit > 0, url: '/v1/transfers' };
    }
    return { object: 'list', data: rows.slice(0, limit), has_more: rows.length > limit, url: '/v1/transfers' };
  }

  reverseTransfer(transferId: string, p: Params | undefined, request: RequestInfo): TransferReversalObject {
    p?.allowOnly('amount', 'metadata', 'description', 'refund_application_fee');
    const transfer = this.transfer(transferId);
    const remaining = transfer.amount - transfer.amount_reversed;
    if (remaining === 0) throw ApiError.refused(`Transfer ${transfer.id} has already been fully reversed.`, 'transfer_already_reversed');
    const amount = p?.integer('amount', 1) ?? remaining;
    if (amount > remaining) {
      throw ApiError.refused(`You have requested a reversal of ${amount}, but only ${remaining} remains on this transfer.`, 'amount_too_large', 'amount');
    }
    const id = newId('trr');
    const reversal: TransferReversalObject = {
      id,
      object: 'transfer_reversal',
      amount,
      balance_transaction: this.addBalanceTransaction('transfer_refund', amount, 0, transfer.currency, id, null).id,
      created: this.nowSeconds(),
      currency: transfer.currency,
      destination_payment_refund: newId('pyr'),
      metadata: p?.metadata() ?? {},
      source_refund: null,
      transfer: transfer.id,
    };
    this.reversals.set(id, reversal);
    this.track(id);
    const previous = { amount_reversed: transfer.amount_reversed, reversed: transfer.reversed };
    transfer.amount_reversed += amount;
    transfer.reversed = transfer.amount_reversed === transfer.amount;
    transfer.reversals.data.unshift(clone(reversal));
    transfer.reversals.total_count = transfer.reversals.data.length;
    this.emit('transfer.reversed', transfer, request, previous);
    return reversal;
  }

  // ---- Events -----------------------------------------------------------------------------

  private emit(type: string, object: EmulatorObject, request: RequestInfo, previous?: Record<string, unknown>, account?: string): void {
    const event: EmulatorEvent = {
      id: newId('evt'),
      object: 'event',
      ...(account ? { account } : {}),
      api_version: this.hooks.apiVersion,
      created: this.nowSeconds(),
      // A snapshot: later changes to the object must not alter what was sent.
      data: { object: clone(object), ...(previous ? { previous_attributes: clone(previous) } : {}) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: request.id, idempotency_key: request.idempotencyKey },
      type,
    };
    this.eventLog.push(event);
    this.hooks.emit(event);
  }

  // ---- Helpers ----------------------------------------------------------------------------

  private addBalanceTransaction(
    type: BalanceTransactionType,
    amount: number,
    fee: number,
    currency: string,
    source: string,
    description: string | null,
  ): BalanceTransactionObject {
    const created = this.nowSeconds();
    const txn: BalanceTransactionObject = {
      id: newId('txn'),
      object: 'balance_transaction',
      amount,
      available_on: created,
      created,
      currency,
      description,
      exchange_rate: null,
      fee,
      fee_details: fee > 0 ? [{ amount: fee, application: null, currency, description: type === 'adjustment' ? 'Dispute fee' : 'Stripe processing fees', type: 'stripe_fee' }] : [],
      net: amount - fee,
      reporting_category: { charge: 'charge', refund: 'refund', transfer: 'transfer', transfer_refund: 'transfer_reversal', adjustment: 'dispute' }[type],
      source,
      status: 'available',
      type,
    };
    this.balanceTransactions.set(txn.id, txn);
    this.track(txn.id);
    return txn;
  }

  private get<T>(map: Map<string, T>, id: string, resource: string, param = 'id'): T {
    const found = map.get(id);
    if (!found) throw ApiError.missing(resource, id, param);
    return found;
  }

  private track(id: string): void {
    this.sequence.set(id, this.nextSequence++);
  }

  private seq(id: string): number {
    return this.sequence.get(id) ?? 0;
  }

  private nowSeconds(): number {
    return Math.floor(this.hooks.now() / 1000);
  }
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
