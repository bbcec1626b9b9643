#!/usr/bin/env node
'use strict';
// `npm start`: everything Fairshare needs on a fresh machine, then the API and the worker.
//
//   1. PostgreSQL: DATABASE_URL, else the server on 127.0.0.1:5432 (database `fairshare`, created
//      if missing), else an embedded cluster in .data/postgres (stopped on exit).
//   2. Redis: REDIS_URL, else 127.0.0.1:6379, else a redis-server started here (stopped on exit).
//   3. Development secrets (JWT, manifest key, webhook secret, admin password) generated once and
//      kept in .data/dev-secrets.json; never generated when NODE_ENV=production.
//   4. npm run build (skip with --no-build), CLI `migrate`, CLI `admin:ensure`.
//   5. The Stripe emulator when STRIPE_SECRET_KEY is unset, then the API and the worker; waits for
//      GET /health, prints the URLs, forwards SIGINT/SIGTERM and stops everything it started.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const svc = require('./lib/services');
const { DevSecrets } = require('./lib/dev-secrets');

const { ROOT, ScriptError, color } = svc;
const log = svc.makeLogger('start');
const DATA_DIR = path.join(ROOT, '.data');
const DIST = {
  api: path.join(ROOT, 'dist/apps/api/src/main.js'),
  worker: path.join(ROOT, 'dist/apps/worker/src/main.js'),
  cli: path.join(ROOT, 'dist/apps/cli/src/main.js'),
  emulator: path.join(ROOT, 'dist/libs/stripe/src/emulator/main.js'),
};
const HEALTH_TIMEOUT_MS = 60000;

const HELP = `Usage: npm start [-- options]        (or: node scripts/start.js [options])

Starts Fairshare for development: finds or starts PostgreSQL and Redis, starts the Stripe
emulator, builds, migrates, creates the first admin, then runs the API and the worker.

Options:
  --no-build    skip "npm run build" (use the existing dist/)
  -h, --help    show this help

Environment (all optional): DATABASE_URL, REDIS_URL, PORT (3000), WORKER_HEALTH_PORT (3001),
PUBLIC_URL, STRIPE_SECRET_KEY (unset = local Stripe emulator), STRIPE_WEBHOOK_SECRET,
JWT_SECRET, MANIFEST_SIGNING_KEY, ADMIN_EMAIL, ADMIN_PASSWORD, TEST_CLOCK_ENABLED, NODE_ENV.
Generated development secrets are kept in .data/dev-secrets.json.`;

// ---------------------------------------------------------------------------------------------
// Process bookkeeping
// ---------------------------------------------------------------------------------------------
/** Running children: name → ChildProcess. Apps first, then the emulator, in stop order. */
const children = new Map();
/** Stoppers of the services started here (PostgreSQL, Redis), run last, in reverse order. */
const serviceStops = [];
let stopping = false;
let ready = false;
let startedAnything = false;

function parseArgs(argv) {
  const opts = { build: true };
  for (const arg of argv) {
    if (arg === '--no-build') opts.build = false;
    else if (arg === '-h' || arg === '--help') opts.help = true;
    else throw new ScriptError(`unknown option ${arg} (try --help)`);
  }
  return opts;
}

/** Stops everything in order (apps, emulator, build/CLI steps, then services) and exits. */
async function shutdown(code, why) {
  if (stopping) return;
  stopping = true;
  if (why) log.info(why);
  const stopNames = ['api', 'worker'];
  await Promise.all(stopNames.map((n) => svc.stopChild(children.get(n), { signal: 'SIGTERM', graceMs: 15000 })));
  for (const [name, child] of children) {
    if (!stopNames.includes(name)) await svc.stopChild(child, { signal: 'SIGTERM', graceMs: 5000 });
  }
  for (const stop of serviceStops.reverse()) {
    try {
      await stop();
    } catch (e) {
      log.warn(`while stopping: ${e.message}`);
    }
  }
  if (startedAnything) log.info(code === 0 ? 'stopped' : `stopped (exit code ${code})`);
  process.exit(code);
}

function onSignal(signal) {
  if (stopping) {
    // Second Ctrl+C: no more waiting.
    log.warn(`${signal} again: killing everything now`);
    for (const child of children.values()) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
    process.exit(130);
  }
  shutdown(0, `${signal} received: stopping (press Ctrl+C again to force)`);
}

/**
 * Spawns a long-running child in its own process group (so that Ctrl+C in the terminal reaches
 * only this launcher, which stops children in order), with its output prefixed by its name.
 */
function spawnService(name, file, args, env, tagColor) {
  const child = spawn(process.execPath, [file, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  svc.trackForExit(child, 'SIGTERM');
  const tag = tagColor(`[${name}]`.padEnd(9));
  svc.prefixLines(child.stdout, tag, process.stdout);
  svc.prefixLines(child.stderr, tag, process.stderr);
  children.set(name, child);
  startedAnything = true;
  child.once('error', (e) => {
    if (!stopping) shutdown(1, color.red(`${name} could not be started: ${e.message}`));
  });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    shutdown(code || 1, color.red(`${name} ${how}${ready ? '' : ' while starting'}: stopping everything`));
  });
  return child;
}

/** Runs a step (build, CLI) in the foreground; its failure ends the launcher with `hint`. */
async function step(name, cmd, args, env, { capture = false, hint = '' } = {}) {
  if (stopping) throw new ScriptError('stopped');
  log.info(color.bold(`${name}…`));
  const res = await svc.run(cmd, args, {
    env,
    capture,
    onSpawn: (child) => {
      children.set(name, child);
      child.once('exit', () => children.delete(name));
    },
  });
  if (stopping) throw new ScriptError('stopped');
  if (res.code !== 0) {
    const how = res.signal ? `was killed by ${res.signal}` : `failed (exit code ${res.code})`;
    throw new ScriptError(`${name} ${how}${hint ? `\n${hint}` : ''}`);
  }
  return res;
}

function requireBuilt(names, built) {
  const missing = names.filter((n) => !fs.existsSync(DIST[n]));
  if (missing.length === 0) return;
  const list = missing.map((n) => `  ${path.relative(ROOT, DIST[n])}`).join('\n');
  throw new ScriptError(
    built
      ? `the build did not produce:\n${list}`
      : `not built yet:\n${list}\nrun "npm run build" first, or start without --no-build`,
  );
}

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------
async function choosePort(name, env, preferred) {
  if (env[name]) {
    const port = Number(env[name]);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new ScriptError(`${name}=${env[name]} is not a port number`);
    if (!(await svc.isPortFree(port))) throw new ScriptError(`${name}=${port} is already in use by another process; stop it or choose another ${name}`);
    return port;
  }
  const port = await svc.findFreePort(preferred);
  if (port !== preferred) log.warn(`port ${preferred} is in use: ${name}=${port}`);
  env[name] = String(port);
  return port;
}

async function setUpDatabase(env) {
  if (env.DATABASE_URL) {
    log.info(`PostgreSQL: DATABASE_URL=${svc.redact(env.DATABASE_URL)}`);
    return 'DATABASE_URL';
  }
  const pg = await svc.obtainPostgres({ embeddedDir: path.join(DATA_DIR, 'postgres'), preferredPort: 54329, log: log.info });
  if (pg.kind === 'embedded') {
    serviceStops.push(pg.stop);
    startedAnything = true;
  }
  const { created } = await svc.ensureDatabase(pg.adminUrl, 'fairshare');
  if (created) log.info('PostgreSQL: created database fairshare');
  env.DATABASE_URL = svc.withDatabase(pg.adminUrl, 'fairshare');
  if (pg.process) watchService('postgres', pg);
  return pg.kind === 'embedded' ? `embedded (.data/postgres, port ${new URL(pg.adminUrl).port})` : '127.0.0.1:5432';
}

async function setUpRedis(env) {
  if (env.REDIS_URL) {
    log.info(`Redis: REDIS_URL=${svc.redact(env.REDIS_URL)}`);
    return 'REDIS_URL';
  }
  const redis = await svc.obtainRedis({ dir: path.join(DATA_DIR, 'redis'), preferredPort: 6380, log: log.info });
  if (redis.kind === 'spawned') {
    serviceStops.push(redis.stop);
    startedAnything = true;
  }
  env.REDIS_URL = redis.url;
  if (redis.process) watchService('redis', redis);
  return redis.kind === 'spawned' ? `redis-server started here (${redis.url})` : '127.0.0.1:6379';
}

/** A database or Redis started here that dies takes everything down with a clear message. */
function watchService(name, handle) {
  handle.process.once('exit', (code, signal) => {
    if (stopping) return;
    const tail = handle.logTail ? handle.logTail().slice(-15).join('\n') : '';
    shutdown(1, color.red(`${name} stopped unexpectedly (${signal || `code ${code}`})${tail ? `:\n${tail}` : ''}`));
  });
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(HELP);
    return;
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const env = { ...process.env };
  env.NODE_ENV = env.NODE_ENV || 'development';
  const production = env.NODE_ENV === 'production';
  fs.mkdirSync(DATA_DIR, { recursive: true });

  const apiPort = await choosePort('PORT', env, 3000);
  await choosePort('WORKER_HEALTH_PORT', env, 3001);
  const apiUrl = `http://localhost:${apiPort}`;
  env.PUBLIC_URL = env.PUBLIC_URL || apiUrl;

  const dbWhere = await setUpDatabase(env);
  const redisWhere = await setUpRedis(env);

  // Secrets and development defaults.
  const secrets = new DevSecrets(path.join(DATA_DIR, 'dev-secrets.json'));
  if (!production) {
    for (const name of ['JWT_SECRET', 'MANIFEST_SIGNING_KEY']) if (!env[name]) env[name] = secrets.get(name);
    if (!env.ADMIN_PASSWORD) env.ADMIN_PASSWORD = secrets.get('ADMIN_PASSWORD');
    if (env.TEST_CLOCK_ENABLED === undefined || env.TEST_CLOCK_ENABLED === '') env.TEST_CLOCK_ENABLED = 'true';
  }
  env.ADMIN_EMAIL = env.ADMIN_EMAIL || 'admin@fairshare.local';
  const useEmulator = !env.STRIPE_SECRET_KEY;
  let emulatorPort;
  if (useEmulator) {
    if (production) {
      throw new ScriptError('NODE_ENV=production and STRIPE_SECRET_KEY is unset: the Stripe emulator is for development only; set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET');
    }
    emulatorPort = await svc.findFreePort(12111);
    env.STRIPE_SECRET_KEY = 'sk_test_emulator';
    env.STRIPE_API_URL = `http://127.0.0.1:${emulatorPort}`;
    env.STRIPE_WEBHOOK_SECRET = env.STRIPE_WEBHOOK_SECRET || secrets.get('STRIPE_WEBHOOK_SECRET');
  }
  secrets.save();

  // Build, migrate, first admin.
  if (opts.build) {
    await step('npm run build', 'npm', ['run', 'build'], env, {
      hint: 'fix the errors above, or start the last build with: npm start -- --no-build',
    });
    if (!fs.existsSync(DIST.cli) && fs.existsSync(path.join(ROOT, 'apps/cli/src/main.ts'))) {
      // Until package.json's "build" includes it.
      log.warn('the build script did not build the CLI: running "nest build cli"');
      await step('nest build cli', process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build', 'cli'], env);
    }
  }
  requireBuilt(['api', 'worker', 'cli', ...(useEmulator ? ['emulator'] : [])], opts.build);

  await step('migrate', process.execPath, [DIST.cli, 'migrate'], env, {
    hint: `the database is ${svc.redact(env.DATABASE_URL)}`,
  });
  const ensured = await step('admin:ensure', process.execPath, [DIST.cli, 'admin:ensure'], env, { capture: true });
  const createdMatch = /^ADMIN_CREATED\s+(\S+)/m.exec(ensured.stdout);
  const adminCreated = createdMatch ? { email: createdMatch[1], password: env.ADMIN_PASSWORD } : null;

  // Stripe emulator, API, worker.
  if (useEmulator) {
    spawnService(
      'stripe',
      DIST.emulator,
      [
        '--port', String(emulatorPort),
        '--webhook-url', `http://127.0.0.1:${apiPort}/v1/stripe/webhook`,
        '--webhook-secret', env.STRIPE_WEBHOOK_SECRET,
        '--public-url', env.STRIPE_API_URL,
      ],
      env,
      color.magenta,
    );
    await svc.waitForTcp(emulatorPort, {
      timeoutMs: 15000,
      shouldAbort: () => (stopping ? 'stopped' : null),
    });
  }
  if (stopping) return;
  log.info(color.bold('starting the API and the worker…'));
  const api = spawnService('api', DIST.api, [], env, color.green);
  spawnService('worker', DIST.worker, [], env, color.blue);

  const healthUrl = `http://127.0.0.1:${apiPort}/health`;
  try {
    await svc.waitForHttp(healthUrl, {
      timeoutMs: HEALTH_TIMEOUT_MS,
      shouldAbort: () => (stopping ? 'stopped' : api.exitCode !== null ? 'the API exited' : null),
    });
  } catch (e) {
    if (stopping) return;
    throw new ScriptError(`the API did not become healthy: ${e.message} (its output is above)`);
  }
  if (stopping) return;
  ready = true;

  const rows = [
    ['API', apiUrl],
    ['API docs', `${apiUrl}/docs`],
    ['Queues', `${apiUrl}/admin/queues`],
    ['Portal', `${apiUrl}/`],
    ['Stripe', useEmulator ? `${env.STRIPE_API_URL} (emulator)` : env.STRIPE_API_URL || 'api.stripe.com (STRIPE_SECRET_KEY)'],
    ['PostgreSQL', dbWhere],
    ['Redis', redisWhere],
  ];
  if (adminCreated) {
    rows.push(['Admin email', adminCreated.email]);
    rows.push(['Admin password', adminCreated.password || '(ADMIN_PASSWORD)']);
  }
  printBox(`Fairshare is running (${env.NODE_ENV})`, rows, [
    adminCreated ? 'The admin password is kept in .data/dev-secrets.json (development only).' : null,
    'Press Ctrl+C to stop.',
  ]);
}

function printBox(title, rows, notes) {
  const labelWidth = Math.max(...rows.map(([k]) => k.length));
  const lines = [title, '', ...rows.map(([k, v]) => `${k.padEnd(labelWidth)}  ${v}`), '', ...notes.filter(Boolean)];
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '─'.repeat(width + 2);
  const out = [`┌${bar}┐`, ...lines.map((l, i) => `│ ${i === 0 ? color.bold(l.padEnd(width)) : l.padEnd(width)} │`), `└${bar}┘`];
  console.log(`\n${out.join('\n')}\n`);
}

main().catch((e) => {
  if (stopping) return;
  if (e instanceof ScriptError) log.error(e.message);
  else log.error(e && e.stack ? e.stack : String(e));
  shutdown(1);
});
