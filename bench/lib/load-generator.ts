// The load generator of a benchmark: wrk (C, `apt-get install -y wrk`) when it is on the PATH,
// autocannon (in this process) otherwise, or the one named by --generator=wrk|autocannon. Both run
// a closed loop: N connections, each sending its next request when the previous answer arrived,
// GETs rotating over the same paths, for the same duration. wrk costs far less CPU per request
// than autocannon, which matters when the generator shares the cores with what it measures.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringArg } from './args';

const autocannon = require('autocannon') as (opts: Record<string, unknown>) => AutocannonInstance;
interface AutocannonInstance extends PromiseLike<{ requests: { average: number; total: number }; non2xx: number; errors: number; timeouts: number }> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

export type Generator = 'wrk' | 'autocannon';
export interface LoadResult {
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

const hasWrk = () => spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;

/** --generator=wrk|autocannon, else wrk if installed, else autocannon. */
export function chooseGenerator(): Generator {
  const asked = stringArg('generator');
  if (asked !== undefined && asked !== 'wrk' && asked !== 'autocannon') throw new Error('--generator= takes wrk or autocannon');
  if (asked === 'wrk' && !hasWrk()) throw new Error('--generator=wrk: wrk is not installed (apt-get install -y wrk)');
  return (asked as Generator | undefined) ?? (hasWrk() ? 'wrk' : 'autocannon');
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function withAutocannon(base: string, paths: string[], connections: number, seconds: number): Promise<LoadResult> {
  let i = 0;
  const latencies: number[] = [];
  const instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  instance.on('response', (_c, _s, _b, ms) => latencies.push(ms));
  const r = await instance;
  latencies.sort((a, b) => a - b);
  return { rps: r.requests.average, total: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99) };
}

function withWrk(base: string, paths: string[], connections: number, seconds: number): Promise<LoadResult> {
  // One thread: 50 connections are far from what one wrk thread can drive, and a second thread
  // would only take more of the cores the API and PostgreSQL need. Timeout as autocannon's (10 s).
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', join(__dirname, 'wrk-paths.lua'), base, '--', ...paths];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
      if (code !== 0 || !line) return reject(new Error(`wrk failed (${code}): ${out}`));
      const r = JSON.parse(line) as { requests: number; durationUs: number; non2xx: number; errors: number; p50: number; p95: number; p99: number };
      resolve({ rps: r.requests / (r.durationUs / 1e6), total: r.requests, non2xx: r.non2xx, errors: r.errors, p50: r.p50, p95: r.p95, p99: r.p99 });
    });
  });
}

/** `connections` clients for `seconds` on GET base + paths[i], rotating. */
export function runLoad(generator: Generator, base: string, paths: string[], connections: number, seconds: number): Promise<LoadResult> {
  return generator === 'wrk' ? withWrk(base, paths, connections, seconds) : withAutocannon(base, paths, connections, seconds);
}

/**
 * CPU milliseconds used so far by the load generator: this process (autocannon runs in it) and its
 * children that have exited and been waited for (wrk; /proc/self/stat cutime + cstime, in ticks of 10 ms).
 */
export function generatorCpuMs(): number {
  const u = process.cpuUsage();
  const st = readFileSync('/proc/self/stat', 'utf8');
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
  return (u.user + u.system) / 1000 + (Number(f[13]) + Number(f[14])) * 10;
}
