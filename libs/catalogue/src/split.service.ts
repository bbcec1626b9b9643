import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Conflict, NotFound, ValidationFailed } from '@fairshare/domain';
import { CreatorRepository, HolderInvitationRepository, Split, SplitRepository, SplitShare, WorkRepository } from '@fairshare/persistence';
import { AuditService, ClockService, Principal } from '@fairshare/platform';
import { RoyaltyClaimsService } from '@fairshare/royalties';
import { assertWorkOwner, requireWork } from './catalogue-access';
import { checkSplit, HolderShareInput } from './rules/splits';
import { WorkService } from './work.service';

export const hashInvitationToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Rights holders of a work: versioned splits (Σ = 10000 bps) with an effective time; only the
 * owner changes them; holders named by email get an invitation token (shown once), and their
 * royalties accrue to the invitation until they accept it.
 */
@Injectable()
export class SplitService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly works: WorkRepository,
    private readonly splits: SplitRepository,
    private readonly invitations: HolderInvitationRepository,
    private readonly creators: CreatorRepository,
    private readonly workService: WorkService,
    private readonly clock: ClockService,
    private readonly audit: AuditService,
    private readonly royaltyClaims: RoyaltyClaimsService,
  ) {}

  async history(p: Principal | undefined, workId: string): Promise<Split[]> {
    await this.workService.assertInsider(requireWork(await this.works.findById(workId)), p);
    return this.splits.history(workId);
  }

  async set(
    p: Principal & { kind: 'user' },
    workId: string,
    input: { holders: HolderShareInput[]; effectiveAt?: Date },
  ): Promise<{ split: Split; invitationTokens: { email: string; invitationId: string; token: string }[] }> {
    const check = checkSplit(input.holders);
    if (!check.ok) throw new ValidationFailed(check.code, check.message);
    const now = await this.clock.now();
    const effectiveAt = input.effectiveAt ?? now;
    if (effectiveAt.getTime() < now.getTime()) throw new ValidationFailed('EFFECTIVE_AT_IN_PAST', 'A split change takes effect now or later, never in the past.');
    return this.dataSource.transaction(async (em) => {
      const work = requireWork(await this.works.lockById(em, workId));
      assertWorkOwner(work, p);
      const latest = await this.splits.latestEffectiveAt(em, workId);
      // Equal times are fine: of two versions effective at the same instant, the higher version wins.
      if (latest && effectiveAt.getTime() < latest.getTime()) {
        throw new Conflict('EFFECTIVE_AT_BEFORE_LATEST', 'effectiveAt cannot be earlier than the latest version’s.', { latestEffectiveAt: latest.toISOString() });
      }
      const shares: SplitShare[] = [];
      const invitationTokens: { email: string; invitationId: string; token: string }[] = [];
      for (const h of input.holders) {
        if (h.creatorId) {
          if (!(await this.creators.findById(h.creatorId, em))) throw new ValidationFailed('UNKNOWN_CREATOR', `No creator ${h.creatorId}.`);
          shares.push({ holderCreatorId: h.creatorId, holderInvitationId: null, shareBps: h.shareBps });
          continue;
        }
        const token = randomBytes(24).toString('base64url');
        const inv = await this.invitations.findOrCreate(em, { workId, email: h.email!, tokenHash: hashInvitationToken(token), invitedBy: p.userId, at: now });
        if (inv.created) invitationTokens.push({ email: h.email!, invitationId: inv.id, token });
        shares.push({ holderCreatorId: null, holderInvitationId: inv.id, shareBps: h.shareBps });
      }
      const splitId = await this.splits.insertVersion(em, { workId, effectiveAt, createdBy: p.userId, at: now, shares });
      await this.audit.record(em, { action: 'work.split_changed', resourceType: 'work', resourceId: workId, details: { splitId, effectiveAt: effectiveAt.toISOString(), shares } });
      const split = (await this.splits.history(workId, em)).find((s) => s.id === splitId)!;
      return { split, invitationTokens };
    });
  }

  /** A creator accepts a holder invitation: from now on the share's royalties are theirs. */
  async acceptInvitation(creatorId: string, token: string): Promise<{ invitationId: string; workId: string }> {
    const at = await this.clock.now();
    return this.dataSource.transaction(async (em) => {
      const inv = await this.invitations.lockByTokenHash(em, hashInvitationToken(token));
      if (!inv) throw new NotFound('INVITATION_NOT_FOUND', 'No such invitation.');
      if (inv.acceptedBy) throw new Conflict('INVITATION_ALREADY_ACCEPTED', 'This invitation was already accepted.');
      if (!(await this.creators.findById(creatorId, em))) throw new ValidationFailed('CREATOR_PROFILE_REQUIRED', 'Create your creator profile first: PUT /v1/me/creator-profile.');
      await this.invitations.accept(em, inv.id, creatorId, at);
      await this.royaltyClaims.claimInvitation(em, inv.id, creatorId, at);
      await this.audit.record(em, { action: 'holder_invitation.accepted', resourceType: 'work', resourceId: inv.workId, details: { invitationId: inv.id } });
      return { invitationId: inv.id, workId: inv.workId };
    });
  }
}
