import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Accounts, LedgerService } from '@fairshare/ledger';

/**
 * Invited holders: until they join, their royalties accrue on `liability:unclaimed:invitation:<id>`.
 * When the invitation is accepted, the whole unclaimed balance (per currency, clawbacks included)
 * moves to the creator's payable account by one entry (`royalty.invitation_claimed`, reference =
 * invitation ID), in the acceptance's transaction. Later approvals post straight to the creator.
 */
@Injectable()
export class RoyaltyClaimsService {
  constructor(private readonly ledger: LedgerService) {}

  async claimInvitation(em: EntityManager, invitationId: string, creatorId: string, at: Date = new Date()): Promise<{ entryId: string | null }> {
    const unclaimed = Accounts.unclaimed(invitationId);
    // An approval posting to this account at the same moment waits for us (or we for it).
    await this.ledger.lockAccount(em, unclaimed);
    const balances = (await this.ledger.balances([unclaimed], em)).get(unclaimed) ?? new Map<string, bigint>();
    const postings = [...balances]
      .filter(([, b]) => b !== 0n)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([currency, b]) => [
        { account: unclaimed, currency, amount: -b },
        { account: Accounts.payable(creatorId), currency, amount: b },
      ]);
    if (!postings.length) return { entryId: null };
    const r = await this.ledger.post(em, {
      kind: 'royalty.invitation_claimed',
      reference: invitationId,
      occurredAt: at,
      description: 'Unclaimed royalties moved to the holder who accepted the invitation',
      metadata: { invitationId, creatorId },
      postings,
    });
    return { entryId: r.entryId };
  }
}
