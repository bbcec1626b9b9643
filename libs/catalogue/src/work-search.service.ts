import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@fairshare/config';
import { ValidationFailed } from '@fairshare/domain';
import { CatalogueRepository, EXACT_TOTAL_UP_TO, Work, WorkSearchFilter, WorkSearchRepository } from '@fairshare/persistence';
import { Principal } from '@fairshare/platform';
import { isAdmin, userIdOf } from './catalogue-access';
import { CappedTotals, searchKey } from './rules/capped-totals';
import { decodeCursor, encodeCursor } from './rules/cursor';

export interface WorkSearchQuery {
  q?: string;
  mediaType?: string;
  language?: string;
  tag?: string;
  use?: ('train' | 'fine_tune' | 'retrieval' | 'evaluation')[];
  collective?: boolean;
  catalogueId?: string;
  creatorId?: string;
  mine?: boolean;
  cursor?: string;
  limit: number;
}

/**
 * Browse and search. Licensees and the public see listed works only (some use allowed, not
 * disputed); owners see their drafts with `mine=true` or by their catalogue or creator ID;
 * admins see everything.
 */
@Injectable()
export class WorkSearchService {
  /** Public searches seen with more than EXACT_TOTAL_UP_TO matches (see CappedTotals for why this is sound). */
  private readonly overCap: CappedTotals;

  constructor(
    private readonly search: WorkSearchRepository,
    private readonly catalogues: CatalogueRepository,
    config: AppConfig,
  ) {
    this.overCap = new CappedTotals(config.SEARCH_CAPPED_TOTAL_TTL_SECONDS * 1000, 10_000);
  }

  /**
   * Newest first (created_at DESC, id DESC: a stable keyset order, not relevance). `total` is exact
   * when `totalRelation` is 'eq', and the lower bound EXACT_TOTAL_UP_TO when 'gte'; a public
   * search's 'gte' answer may be reused for SEARCH_CAPPED_TOTAL_TTL_SECONDS (the page never is).
   */
  async find(
    p: Principal | undefined,
    q: WorkSearchQuery,
  ): Promise<{ works: Work[]; total: number; totalRelation: 'eq' | 'gte'; nextCursor: string | null }> {
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    if (q.cursor && !after) throw new ValidationFailed('INVALID_CURSOR', 'cursor is not a cursor this API returned.');
    const me = userIdOf(p);
    if (q.mine && !me) throw new ValidationFailed('MINE_NEEDS_SIGN_IN', 'mine=true needs a signed-in creator.');
    let visibility: WorkSearchFilter['visibility'] = 'listed';
    let ownerId = q.creatorId;
    if (isAdmin(p)) visibility = 'all';
    else if (q.mine) {
      if (q.creatorId && q.creatorId !== me) throw new ValidationFailed('MINE_CONFLICTS_WITH_CREATOR', 'mine=true lists your own works: drop creatorId.');
      visibility = 'all';
      ownerId = me!;
    } else if (me && q.creatorId === me) visibility = 'all';
    else if (me && q.catalogueId && (await this.catalogues.findById(q.catalogueId))?.ownerId === me) visibility = 'all';
    const filter: WorkSearchFilter = {
      q: q.q?.trim() || undefined,
      mediaType: q.mediaType,
      language: q.language,
      tag: q.tag?.toLowerCase(),
      uses: q.use,
      collective: q.collective,
      catalogueId: q.catalogueId,
      ownerId,
      visibility,
      after,
      limit: q.limit,
    };
    const page = await this.search.page(filter);
    let total: { total: number; totalRelation: 'eq' | 'gte' };
    const key = visibility === 'listed' ? searchKey(filter) : null;
    if (!after && !page.hasMore) total = { total: page.works.length, totalRelation: 'eq' }; // a complete first page is its own total
    else if (key && this.overCap.isOverCap(key, performance.now())) total = { total: EXACT_TOTAL_UP_TO, totalRelation: 'gte' };
    else {
      total = await this.search.countUpTo(filter);
      if (key && total.totalRelation === 'gte') this.overCap.rememberOverCap(key, performance.now());
    }
    const last = page.works[page.works.length - 1];
    return { works: page.works, ...total, nextCursor: page.hasMore && last ? encodeCursor({ createdAt: last.cursorCreatedAt, id: last.id }) : null };
  }
}
