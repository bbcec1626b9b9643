// The catalogue search without the web framework: a baseline for bench/catalogue-search.
//
// The API's own search code — WorkSearchService (capped-total reuse, cursors) over
// WorkSearchRepository (the same SQL) on a TypeORM DataSource, and the same JSON mapping
// (toWorksPage) — behind a bare node:http server: no Nest, no Express, no middleware, no guards,
// no validation pipe, no request logging. Anonymous GET /v1/works only (the bench's query), and
// GET /health for the bench's readiness check. What the API costs above this is the cost of its
// HTTP stack. Not a product endpoint: started only by the benchmark, on a port of its own.
//
// Configuration: the API's own validated config (loadConfig), from the environment the bench gives
// the API: DATABASE_URL, DATABASE_POOL_SIZE, PORT, SEARCH_CAPPED_TOTAL_TTL_SECONDS. Exits on SIGTERM;
// on SIGUSR2 too (bench/lib/exit-on-sigusr2.js).
import { createServer, ServerResponse } from 'node:http';
import { WorkSearchQuery, WorkSearchService } from '@fairshare/catalogue';
import { loadConfig } from '@fairshare/config';
import { isUse } from '@fairshare/domain';
import { CatalogueRepository, createDataSource, WorkSearchRepository } from '@fairshare/persistence';
import { toWorksPage } from '../../apps/api/src/catalogue/catalogue.mapper';

async function main(): Promise<void> {
  const config = loadConfig();
  const ds = createDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE, 'fairshare-bench-bare');
  await ds.initialize();
  const service = new WorkSearchService(new WorkSearchRepository(ds), new CatalogueRepository(ds), config);

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    if (req.method !== 'GET') return send(res, 405, { code: 'METHOD_NOT_ALLOWED' });
    if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
    if (url.pathname !== '/v1/works') return send(res, 404, { code: 'NOT_FOUND' });
    const s = url.searchParams;
    const use = s.getAll('use');
    const limit = Number(s.get('limit') ?? 20);
    if (!use.every(isUse) || !Number.isInteger(limit) || limit < 1 || limit > 100) return send(res, 400, { code: 'VALIDATION_FAILED' });
    const query: WorkSearchQuery = {
      q: s.get('q') ?? undefined,
      mediaType: s.get('mediaType') ?? undefined,
      language: s.get('language') ?? undefined,
      tag: s.get('tag') ?? undefined,
      use: use.length ? use.filter(isUse) : undefined,
      cursor: s.get('cursor') ?? undefined,
      limit,
    };
    service.find(undefined, query).then(
      (page) => send(res, 200, toWorksPage(page)),
      (e: unknown) => send(res, 500, { code: 'INTERNAL', message: String(e) }),
    );
  });
  server.keepAliveTimeout = 60_000;
  server.listen(config.PORT, '127.0.0.1');
  process.once('SIGTERM', () => server.close(() => void ds.destroy().then(() => process.exit(0))));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
