import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Work, WORK_COLUMNS, workFromRow } from './catalogue-rows';

const USE_COLUMN = { train: 'allow_train', fine_tune: 'allow_fine_tune', retrieval: 'allow_retrieval', evaluation: 'allow_evaluation' } as const;

export interface WorkSearchFilter {
  q?: string;
  mediaType?: string;
  language?: string;
  tag?: string;
  uses?: (keyof typeof USE_COLUMN)[];
  collective?: boolean;
  catalogueId?: string;
  ownerId?: string;
  /** 'listed': what licensees and the public see; 'all': drafts too (owners, admins). */
  visibility: 'listed' | 'all';
  /** Keyset: works strictly after this (created_at text, id) in the (created_at DESC, id DESC) order. */
  after?: { createdAt: string; id: string } | null;
  limit: number;
}

/**
 * Totals are exact up to this many matching works; beyond it the answer is this number with
 * relation 'gte' ("at least"), as Elasticsearch's track_total_hits does. Counting is the cost of a
 * search (it visits every match while the page stops after limit + 1): capping it bounds the cost
 * of any query, however broad.
 */
export const EXACT_TOTAL_UP_TO = 1_000;

export interface WorkSearchPage {
  works: (Work & { cursorCreatedAt: string })[];
  /** Exact when totalRelation is 'eq'; a lower bound (EXACT_TOTAL_UP_TO) when 'gte'. */
  total: number;
  totalRelation: 'eq' | 'gte';
  hasMore: boolean;
}

/** Browse and search works: PostgreSQL full-text search with filters and keyset pagination. */
@Injectable()
export class WorkSearchRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page and its total (exact up to EXACT_TOTAL_UP_TO). */
  async search(f: WorkSearchFilter): Promise<WorkSearchPage> {
    const page = await this.page(f);
    // A complete first page is its own exact total: no count needed.
    if (!f.after && !page.hasMore) return { ...page, total: page.works.length, totalRelation: 'eq' };
    return { ...page, ...(await this.countUpTo(f)) };
  }

  /** One keyset page, newest first (created_at DESC, id DESC). */
  async page(f: WorkSearchFilter): Promise<Pick<WorkSearchPage, 'works' | 'hasMore'>> {
    const { filter, params } = whereOf(f);
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    const keyset = f.after ? ` AND (w.created_at, w.id) < (${p(f.after.createdAt)}::timestamptz, ${p(f.after.id)}::uuid)` : '';
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${WORK_COLUMNS}, w.created_at::text AS cursor_created_at FROM works w
        WHERE ${filter}${keyset} ORDER BY w.created_at DESC, w.id DESC LIMIT ${p(f.limit + 1)}`,
      params,
    );
    const works = rows.slice(0, f.limit).map((r) => ({ ...workFromRow(r), cursorCreatedAt: r.cursor_created_at as string }));
    return { works, hasMore: rows.length > f.limit };
  }

  /**
   * Matching works, counted up to EXACT_TOTAL_UP_TO + 1 (the heap scan stops there). For public
   * searches the candidates come from works_listed_search_idx (word, media type, language and tag
   * intersected in the index), so few candidates are fetched only to be filtered out.
   */
  async countUpTo(f: WorkSearchFilter): Promise<Pick<WorkSearchPage, 'total' | 'totalRelation'>> {
    const { filter, params } = whereOf(f);
    const [count]: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM (SELECT FROM works w WHERE ${filter} LIMIT ${EXACT_TOTAL_UP_TO + 1}) capped`,
      params,
    );
    const n = Number(count.n);
    return { total: Math.min(n, EXACT_TOTAL_UP_TO), totalRelation: n > EXACT_TOTAL_UP_TO ? 'gte' : 'eq' };
  }
}

/** The WHERE clause of a search (without the keyset) and its parameters. */
function whereOf(f: WorkSearchFilter): { filter: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), `$${params.length}`);
  const where: string[] = [];
  if (f.visibility === 'listed') where.push('w.listed');
  if (f.q) where.push(`w.search @@ websearch_to_tsquery('english', ${p(f.q)})`);
  if (f.mediaType) where.push(`w.media_type = ${p(f.mediaType)}`);
  if (f.language) where.push(`lower(w.language) = lower(${p(f.language)})`);
  if (f.tag) where.push(`w.tags @> ARRAY[${p(f.tag)}::text]`);
  for (const u of new Set(f.uses ?? [])) where.push(`w.${USE_COLUMN[u]}`);
  if (f.collective !== undefined) where.push(`w.allow_collective = ${p(f.collective)}`);
  if (f.catalogueId) where.push(`w.catalogue_id = ${p(f.catalogueId)}::uuid`);
  if (f.ownerId) where.push(`w.owner_id = ${p(f.ownerId)}::uuid`);
  const filter = where.length ? where.join(' AND ') : 'true';
  return { filter, params };
}
