/**
 * Standalone emulator for the local demo and out-of-process tests:
 *   node dist/libs/stripe/src/emulator/main.js --port 12111 \
 *     --webhook-url http://127.0.0.1:3000/v1/stripe/webhook --webhook-secret whsec_… [--public-url …] [--host …]
 * Configuration comes from arguments only (libs/config is the only reader of the environment).
 */
import { StripeEmulator } from './stripe-emulator';

interface Args {
  port: number;
  host: string;
  webhookUrl?: string;
  webhookSecret: string;
  publicUrl?: string;
  secretKey?: string;
}

const USAGE =
  'Usage: main.js --webhook-secret whsec_… [--port 12111] [--host 127.0.0.1] [--webhook-url URL] [--public-url URL] [--secret-key sk_test_…]';

function parseArgs(argv: string[]): Args {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument: ${arg}`);
    const eq = arg.indexOf('=');
    if (eq !== -1) values.set(arg.slice(2, eq), arg.slice(eq + 1));
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`Missing value for ${arg}`);
      values.set(arg.slice(2), next);
      i++;
    }
  }
  const known = new Set(['port', 'host', 'webhook-url', 'webhook-secret', 'public-url', 'secret-key']);
  for (const key of values.keys()) if (!known.has(key)) throw new Error(`Unknown option --${key}`);
  const webhookSecret = values.get('webhook-secret');
  if (!webhookSecret) throw new Error('--webhook-secret is required');
  const port = Number(values.get('port') ?? '12111');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port: ${values.get('port')}`);
  return {
    port,
    host: values.get('host') ?? '127.0.0.1',
    webhookUrl: values.get('webhook-url'),
    webhookSecret,
    publicUrl: values.get('public-url'),
    secretKey: values.get('secret-key'),
  };
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err: unknown) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  const emulator = new StripeEmulator({
    secretKey: args.secretKey,
    log: (line) => console.log(`[stripe-emulator] ${line}`),
  });
  const { url } = await emulator.start(args);
  console.log(`[stripe-emulator] listening on ${url}; webhooks → ${args.webhookUrl ?? '(none)'}`);
  const shutdown = (): void => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
