import { createHash, randomBytes } from 'node:crypto';

/** Runs SQL and returns rows: a TypeORM DataSource's `query`, or a pg client's wrapped. */
export type Sql = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface SeededLicence {
  licenceId: string;
  creatorId: string;
  /** The works in the licence's manifest, in creation order, with their content hashes. */
  works: { id: string; hash: string }[];
  /** A work that exists but is not in the manifest. */
  unlicensed: { id: string; hash: string };
}

export const hashOf = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Seeds, straight into the tables (the licensing and catalogue areas' own flows are tested
 * elsewhere): a creator, `works` works in a catalogue, a dataset offer, an active licence of the
 * organisation over those works (its manifest), and one more work outside the manifest.
 * Set-based, so 100,000 works take seconds. `returnWorks` caps how many works are returned.
 */
export async function seedLicence(
  sql: Sql,
  o: { organisationId: string; works: number; uses?: string[]; startsAt: Date; endsAt: Date | null; returnWorks?: number },
): Promise<SeededLicence> {
  const tag = randomBytes(6).toString('hex');
  const [user] = await sql(`INSERT INTO users (email, password_hash, display_name, roles) VALUES ($1, 'x', 'Seed creator', '{creator}') RETURNING id`, [
    `seed-${tag}@example.test`,
  ]);
  const creatorId = user.id as string;
  await sql(`INSERT INTO creators (id, display_name) VALUES ($1, 'Seed creator')`, [creatorId]);
  const [cat] = await sql(`INSERT INTO catalogues (owner_id, name) VALUES ($1, 'Seed') RETURNING id`, [creatorId]);
  const [other] = await sql(`INSERT INTO catalogues (owner_id, name) VALUES ($1, 'Seed, unlicensed') RETURNING id`, [creatorId]);
  await sql(
    `INSERT INTO works (catalogue_id, owner_id, title, media_type, language, content_hash, created_at)
     SELECT $1, $2, 'Work ' || g, 'text', 'en', encode(sha256(($3 || ':' || g)::bytea), 'hex'), now() + g * interval '1 microsecond'
       FROM generate_series(1, $4) g`,
    [cat.id, creatorId, tag, o.works],
  );
  const unlicensedHash = hashOf(`${tag}:unlicensed`);
  const [u] = await sql(
    `INSERT INTO works (catalogue_id, owner_id, title, media_type, language, content_hash) VALUES ($1, $2, 'Unlicensed', 'text', 'en', $3) RETURNING id`,
    [other.id, creatorId, unlicensedHash],
  );
  const uses = o.uses ?? ['train', 'fine_tune'];
  const [offer] = await sql(
    `INSERT INTO offers (kind, name, uses, commercial, currency, price_minor, term_days, admin_fee_bps, distribution_key, usage_unit, created_by)
     VALUES ('dataset', 'Seed offer', $1, true, 'EUR', 100000, 365, 1000, 'usage', 'samples', $2) RETURNING id`,
    [uses, creatorId],
  );
  const [licence] = await sql(
    `INSERT INTO licences (offer_id, organisation_id, status, kind, uses, commercial, currency, price_minor, term_days, admin_fee_bps,
       distribution_key, usage_unit, starts_at, ends_at, amount_paid_minor, manifest_sha256, work_count)
     VALUES ($1, $2, 'active', 'dataset', $3, true, 'EUR', 100000, 365, 1000, 'usage', 'samples', $4, $5, 100000, $6, $7) RETURNING id`,
    [offer.id, o.organisationId, uses, o.startsAt, o.endsAt, hashOf(tag), o.works],
  );
  await sql(
    `INSERT INTO licence_manifest_lines (licence_id, work_id, content_hash, consent_record_id)
     SELECT $1, id, content_hash, gen_random_uuid() FROM works WHERE catalogue_id = $2`,
    [licence.id, cat.id],
  );
  const works = await sql(`SELECT id, content_hash FROM works WHERE catalogue_id = $1 ORDER BY created_at LIMIT $2`, [cat.id, o.returnWorks ?? o.works]);
  return {
    licenceId: licence.id as string,
    creatorId,
    works: works.map((w) => ({ id: w.id as string, hash: w.content_hash as string })),
    unlicensed: { id: u.id as string, hash: unlicensedHash },
  };
}

/** Polls the report until it is processed or failed. */
export async function waitForReport(
  get: (id: string) => Promise<{ status: string }>,
  id: string,
  timeoutMs = 60_000,
): Promise<Record<string, unknown> & { status: string }> {
  const started = Date.now();
  for (;;) {
    const r = await get(id);
    if (r.status === 'processed' || r.status === 'failed') return r as Record<string, unknown> & { status: string };
    if (Date.now() - started > timeoutMs) throw new Error(`report ${id} still ${r.status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

export interface GeneratedUsage {
  lines: number;
  bad: number;
  acceptedUnits: bigint;
  bytes: number;
}

/**
 * Writes a CSV usage file of `lines` data lines over the given works (alternately by workId and by
 * contentHash, units 1–9), with one bad line in every `badEvery` (cycling through the rejection
 * codes), and returns what ingestion must find. Streams to disk: millions of lines are fine.
 */
export async function writeUsageCsv(
  path: string,
  o: { works: { id: string; hash: string }[]; unlicensed: { id: string }; lines: number; badEvery: number },
): Promise<GeneratedUsage> {
  const { createWriteStream } = await import('node:fs');
  const { once } = await import("node:events").then((m) => m as unknown as { once: (e: unknown, n: string) => Promise<unknown[]> });
  const out = createWriteStream(path);
  let buf = 'workId,contentHash,units,use,modelId\n';
  let bad = 0;
  let units = 0n;
  let bytes = 0;
  const badKinds = [
    () => `00000000-0000-4000-8000-${String(bad).padStart(12, '0')},,3,,`, // UNKNOWN_WORK
    () => `${o.unlicensed.id},,3,,`, // WORK_NOT_LICENSED
    () => `${o.works[0].id},,0,,`, // INVALID_UNITS
    () => `${o.works[0].id},,3,retrieval,`, // USE_NOT_LICENSED
    () => `,,3,,`, // MALFORMED_LINE
  ];
  for (let i = 1; i <= o.lines; i++) {
    if (i % o.badEvery === 0) {
      buf += badKinds[bad % badKinds.length]() + '\n';
      bad++;
    } else {
      const w = o.works[i % o.works.length];
      const u = (i % 9) + 1;
      units += BigInt(u);
      buf += (i % 2 ? `${w.id},,${u},train,model-${i % 3}` : `,${w.hash},${u},,`) + '\n';
    }
    if (buf.length > 1 << 20) {
      bytes += Buffer.byteLength(buf);
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  bytes += Buffer.byteLength(buf);
  out.end(buf);
  await once(out, 'finish');
  return { lines: o.lines, bad, acceptedUnits: units, bytes };
}
