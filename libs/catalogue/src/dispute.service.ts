import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFound, UnprocessableEntity } from '@fairshare/domain';
import { SplitRepository, SplitShare, Work, WorkRepository } from '@fairshare/persistence';
import { AuditService, ClockService } from '@fairshare/platform';
import { mergeSplits } from './rules/splits';

/**
 * Conflicting claims: a content hash claimed by two creators is `disputed` (out of new licences)
 * until an admin keeps one claim (the others become `rejected`) or merges the holders of every
 * claim into the kept work's split.
 */
@Injectable()
export class DisputeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly works: WorkRepository,
    private readonly splits: SplitRepository,
    private readonly clock: ClockService,
    private readonly audit: AuditService,
  ) {}

  list(limit = 100): Promise<{ contentHash: string; works: (Work & { ownerName: string | null })[] }[]> {
    return this.works.listDisputed(limit);
  }

  async resolve(contentHash: string, input: { keepWorkId: string; merge?: boolean }): Promise<{ kept: Work; rejected: Work[]; mergedSplitId: string | null }> {
    const now = await this.clock.now();
    return this.dataSource.transaction(async (em) => {
      await this.works.lockHashes(em, [contentHash]);
      const claims = await this.works.claimsOfHash(em, contentHash);
      if (!claims.some((c) => c.status === 'disputed')) throw new NotFound('DISPUTE_NOT_FOUND', 'No open dispute for this content hash.');
      const kept = claims.find((c) => c.id === input.keepWorkId);
      if (!kept) throw new UnprocessableEntity('WORK_NOT_IN_DISPUTE', 'keepWorkId is not one of the disputed claims.');
      const others = claims.filter((c) => c.id !== kept.id);
      let mergedSplitId: string | null = null;
      if (input.merge) {
        const probe = new Date(now.getTime() + 1);
        const inEffect = await this.splits.sharesInEffect(em, claims.map((c) => c.id), probe);
        const kindOf = new Map<string, 'creator' | 'invitation'>();
        const perClaim = claims.map((c) => (inEffect.get(c.id) ?? []).map((s) => (kindOf.set(s.holderKey, s.holderKind), { holderKey: s.holderKey, shareBps: s.shareBps })));
        const merged = mergeSplits(perClaim.filter((c) => c.length > 0));
        const shares: SplitShare[] = [...merged].map(([key, bps]) =>
          kindOf.get(key) === 'creator' ? { holderCreatorId: key, holderInvitationId: null, shareBps: bps } : { holderCreatorId: null, holderInvitationId: key, shareBps: bps },
        );
        const latest = await this.splits.latestEffectiveAt(em, kept.id);
        const effectiveAt = latest && latest.getTime() > now.getTime() ? latest : now;
        mergedSplitId = await this.splits.insertVersion(em, { workId: kept.id, effectiveAt, createdBy: null, at: now, shares });
      }
      await this.works.setStatus(em, [kept.id], 'active', now);
      if (others.length) await this.works.setStatus(em, others.map((o) => o.id), 'rejected', now);
      await this.audit.record(em, {
        action: input.merge ? 'dispute.resolved_merged' : 'dispute.resolved_kept',
        resourceType: 'content_hash',
        resourceId: contentHash,
        details: { keptWorkId: kept.id, rejectedWorkIds: others.map((o) => o.id), mergedSplitId },
      });
      return { kept: (await this.works.findById(kept.id, em))!, rejected: await this.works.findByIds(others.map((o) => o.id), em), mergedSplitId };
    });
  }
}
