#!/usr/bin/env node
'use strict';
// `npm test [-- jest args]`: makes sure PostgreSQL and Redis are there for the integration tests,
// then runs jest.
//
//   PostgreSQL: TEST_DATABASE_URL (an admin URL), else 127.0.0.1:5432 as user postgres, else an
//               embedded cluster in .data/postgres-test (stopped afterwards).
//   Redis:      TEST_REDIS_URL, else 127.0.0.1:6379, else a redis-server started here.
//   Portal:     `npm run build:portal` first when apps/portal exists but apps/portal/dist does not.
//   jest:       `jest --maxWorkers=2 <your args>`; exits with jest's exit code.

const fs = require('node:fs');
const path = require('node:path');
const svc = require('./lib/services');

const { ROOT, ScriptError } = svc;
const log = svc.makeLogger('test');
const DATA_DIR = path.join(ROOT, '.data');

const HELP = `Usage: npm test [-- jest options and paths]      e.g.  npm test -- libs/money
       node scripts/test.js [jest options and paths]

Finds or starts PostgreSQL and Redis for the integration tests, exports TEST_DATABASE_URL and
TEST_REDIS_URL, builds the portal if its build is missing, then runs jest (--maxWorkers=2
unless you pass --maxWorkers, -w, --runInBand or -i). Exits with jest's exit code.

Set TEST_DATABASE_URL (an admin connection URL) or TEST_REDIS_URL to use other servers.
Options of this script itself: --help-runner (this text). Everything else goes to jest.`;

const serviceStops = [];
let jestChild = null;
let interrupted = null;

async function stopServices() {
  for (const stop of serviceStops.reverse()) {
    try {
      await stop();
    } catch (e) {
      log.warn(`while stopping: ${e.message}`);
    }
  }
  serviceStops.length = 0;
}

function onSignal(signal) {
  if (interrupted) {
    log.warn(`${signal} again: exiting now`);
    if (jestChild) jestChild.kill('SIGKILL');
    process.exit(130);
  }
  interrupted = signal;
  if (jestChild) {
    // A Ctrl+C in the terminal already reached jest (same process group); a SIGTERM sent to this
    // process alone did not.
    if (signal !== 'SIGINT') jestChild.kill(signal);
  } else {
    stopServices().then(() => process.exit(130));
  }
}

function wantsWorkersOption(args) {
  return !args.some((a) => /^(--maxWorkers|-w|--runInBand|-i)(=|$)/.test(a) || a === '--watch' || a === '--watchAll');
}

function portalNeedsBuild() {
  const portal = path.join(ROOT, 'apps/portal');
  const hasPortal = fs.existsSync(path.join(portal, 'package.json')) || fs.existsSync(path.join(portal, 'index.html'));
  return hasPortal && !fs.existsSync(path.join(portal, 'dist'));
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help-runner')) {
    console.log(HELP);
    return 0;
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const env = { ...process.env };
  if (!env.NODE_ENV) env.NODE_ENV = 'test';

  if (env.TEST_DATABASE_URL) {
    log.info(`PostgreSQL: TEST_DATABASE_URL=${svc.redact(env.TEST_DATABASE_URL)}`);
  } else {
    const pg = await svc.obtainPostgres({ embeddedDir: path.join(DATA_DIR, 'postgres-test'), preferredPort: 54339, log: log.info });
    if (pg.kind === 'embedded') serviceStops.push(pg.stop);
    env.TEST_DATABASE_URL = pg.adminUrl;
  }
  if (interrupted) return 130;

  if (env.TEST_REDIS_URL) {
    log.info(`Redis: TEST_REDIS_URL=${svc.redact(env.TEST_REDIS_URL)}`);
  } else {
    const redis = await svc.obtainRedis({ dir: path.join(DATA_DIR, 'redis-test'), preferredPort: 6390, log: log.info });
    if (redis.kind === 'spawned') serviceStops.push(redis.stop);
    env.TEST_REDIS_URL = redis.url;
  }
  if (interrupted) return 130;

  if (portalNeedsBuild()) {
    log.info('apps/portal/dist is missing: npm run build:portal (the browser tests need it)');
    const res = await svc.run('npm', ['run', 'build:portal'], { env, onSpawn: (c) => (jestChild = c) });
    jestChild = null;
    if (interrupted) return 130;
    if (res.code !== 0) throw new ScriptError(`npm run build:portal failed (exit code ${res.code ?? res.signal})`);
  }

  let jestBin;
  try {
    jestBin = require.resolve('jest/bin/jest', { paths: [ROOT] });
  } catch {
    throw new ScriptError('jest is not installed: run npm install');
  }
  const jestArgs = [...(wantsWorkersOption(args) ? ['--maxWorkers=2'] : []), ...args];
  log.info(`jest ${jestArgs.join(' ')}`);
  const res = await svc.run(process.execPath, [jestBin, ...jestArgs], { env, onSpawn: (c) => (jestChild = c) });
  jestChild = null;
  if (res.code !== null) return res.code;
  return res.signal === 'SIGINT' ? 130 : 1;
}

main()
  .catch((e) => {
    log.error(e instanceof ScriptError ? e.message : e && e.stack ? e.stack : String(e));
    return 1;
  })
  .then(async (code) => {
    await stopServices();
    process.exit(interrupted && code === 0 ? 130 : code);
  });
