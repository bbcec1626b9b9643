import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StripeGateway } from '../gateway/stripe-gateway';
import type { StripeEvent } from '../gateway/stripe-gateway.types';

export interface ReceivedWebhook {
  event?: StripeEvent;
  /** Code of the WebhookSignatureError when verification failed. */
  rejectedWith?: string;
  status: number;
}

/**
 * A stand-in for our API's webhook endpoint: verifies each delivery with the gateway over the
 * raw body, records it, and answers 2xx, 400 (bad signature) or whatever `respond` says.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Return a status to override the answer for one delivery (e.g. 500 to force a retry). */
  respond: (event: StripeEvent) => number | undefined = () => undefined;
  private server: http.Server | undefined;

  constructor(private readonly gateway: StripeGateway) {}

  get events(): StripeEvent[] {
    return this.received.flatMap((r) => (r.event && r.status < 300 ? [r.event] : []));
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const header = req.headers['stripe-signature'];
        try {
          const event = this.gateway.constructEvent(Buffer.concat(chunks), Array.isArray(header) ? header[0] : header);
          const status = this.respond(event) ?? 200;
          this.received.push({ event, status });
          res.writeHead(status, { 'Content-Type': 'application/json' }).end('{"received":true}');
        } catch (err: unknown) {
          const code = (err as { code?: string }).code ?? 'UNKNOWN';
          this.received.push({ rejectedWith: code, status: 400 });
          res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code } }));
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/stripe/webhook`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
