import http from 'node:http';
import https from 'node:https';
import { signPayload } from '../webhook-signing';
import type { EmulatorEvent } from './emulator-objects';

export interface WebhookRetryOptions {
  /** Delivery attempts per event, the first included. */
  attempts: number;
  /** Delay before the second attempt; doubles for each further one. */
  baseDelayMs: number;
}

export interface DeliveryAttempt {
  eventId: string;
  eventType: string;
  attempt: number;
  /** HTTP status, or undefined when the receiver could not be reached. */
  status?: number;
  error?: string;
  ok: boolean;
}

export interface PostResult {
  status: number;
  body: string;
}

/**
 * Delivers events one at a time, in order, each retried with exponential backoff until it is
 * acknowledged (2xx) or its attempts run out. Stripe itself delivers concurrently and out of
 * order; `holdWebhooks`/`releaseWebhooks({ order: 'reverse' })` let tests reproduce that.
 */
export class WebhookDispatcher {
  url: string | undefined;
  private readonly queue: EmulatorEvent[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly log: DeliveryAttempt[] = [];
  private held = false;
  private running = false;
  private stopped = false;
  private sleeping: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  constructor(
    private readonly secret: () => string,
    private readonly retry: WebhookRetryOptions,
    private readonly timeoutMs: number,
  ) {}

  enqueue(event: EmulatorEvent): void {
    // With nowhere to send it, the event is only recorded (see `events()`).
    if (!this.url || this.stopped) return;
    this.queue.push(event);
    void this.drain();
  }

  hold(): void {
    this.held = true;
  }

  release(order: 'as-created' | 'reverse'): void {
    if (order === 'reverse') this.queue.reverse();
    this.held = false;
    void this.drain();
  }

  /** Resolves once nothing is queued or being delivered. While held, that waits for release. */
  whenIdle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  attempts(): DeliveryAttempt[] {
    return [...this.log];
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.resolve();
    }
    this.notify(true);
  }

  /** One signed POST, no queue, no retry: for hand-made or stale-signed events. */
  async post(url: string, payload: string, timestamp?: number): Promise<PostResult> {
    const signature = signPayload(payload, this.secret(), timestamp);
    return postJson(url, payload, { 'Stripe-Signature': signature }, this.timeoutMs);
  }

  private idle(): boolean {
    return !this.running && (this.queue.length === 0 || this.stopped);
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.held && !this.stopped && this.queue.length > 0) {
        const event = this.queue.shift() as EmulatorEvent;
        await this.deliver(event);
      }
    } finally {
      this.running = false;
      this.notify(false);
    }
  }

  private async deliver(event: EmulatorEvent): Promise<void> {
    // Stripe sends pretty-printed JSON; the signature covers these exact bytes.
    const payload = JSON.stringify(event, null, 2);
    for (let attempt = 1; attempt <= this.retry.attempts && !this.stopped; attempt++) {
      const url = this.url;
      if (!url) return;
      try {
        const res = await this.post(url, payload);
        const ok = res.status >= 200 && res.status < 300;
        this.log.push({ eventId: event.id, eventType: event.type, attempt, status: res.status, ok });
        if (ok) return;
      } catch (err: unknown) {
        this.log.push({ eventId: event.id, eventType: event.type, attempt, error: err instanceof Error ? err.message : String(err), ok: false });
      }
      if (attempt < this.retry.attempts) await this.sleep(this.retry.baseDelayMs * 2 ** (attempt - 1));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping = undefined;
        resolve();
      }, ms);
      this.sleeping = { timer, resolve };
    });
  }

  private notify(force: boolean): void {
    if (!force && !this.idle()) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        // No keep-alive: a pooled socket would outlive the test that opened it.
        agent: false,
        timeout: timeoutMs,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          Connection: 'close',
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`Webhook receiver did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
