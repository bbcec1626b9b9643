import { StripeGateway } from '../gateway/stripe-gateway';
import { StripeEmulator, type StripeEmulatorOptions } from '../emulator/stripe-emulator';
import { WebhookReceiver } from './webhook-receiver';

export const SECRET_KEY = 'sk_test_emulator_spec';
export const WEBHOOK_SECRET = 'whsec_emulator_spec_secret';

export interface Harness {
  emulator: StripeEmulator;
  gateway: StripeGateway;
  receiver: WebhookReceiver;
  apiUrl: string;
  stop(): Promise<void>;
}

/** Emulator on a free port, the real client through the gateway, and a verifying receiver. */
export async function startHarness(options: StripeEmulatorOptions = {}): Promise<Harness> {
  const emulator = new StripeEmulator({ webhookRetry: { attempts: 4, baseDelayMs: 10 }, ...options });
  const { url: apiUrl } = await emulator.start({ webhookSecret: WEBHOOK_SECRET });
  const gateway = new StripeGateway({ secretKey: SECRET_KEY, apiUrl, webhookSecret: WEBHOOK_SECRET, webhookToleranceSeconds: 300 });
  const receiver = new WebhookReceiver(gateway);
  emulator.setWebhookUrl(await receiver.start());
  return {
    emulator,
    gateway,
    receiver,
    apiUrl,
    async stop() {
      await emulator.stop();
      await receiver.stop();
    },
  };
}

/** A checkout session for 10.00 EUR, as the licensing area would create it. */
export async function createSession(h: Harness, overrides: { amountMinor?: bigint; idempotencyKey?: string } = {}) {
  return h.gateway.createCheckoutSession({
    clientReferenceId: 'lic_123',
    amountMinor: overrides.amountMinor ?? 1000n,
    currency: 'EUR',
    productName: 'Licence: Birdsong corpus',
    successUrl: 'http://portal.test/licences/lic_123/paid?session={CHECKOUT_SESSION_ID}',
    cancelUrl: 'http://portal.test/licences/lic_123',
    customerEmail: 'buyer@example.test',
    metadata: { licence_id: 'lic_123' },
    idempotencyKey: overrides.idempotencyKey ?? `checkout-${Math.random()}`,
  });
}

/** POSTs the hosted checkout form as a browser would, without following the redirect. */
export async function submitCheckoutForm(url: string, cardNumber: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'buyer@example.test', card_number: cardNumber, exp: '12/34', cvc: '123', name: 'Ada Buyer' }).toString(),
  });
}
