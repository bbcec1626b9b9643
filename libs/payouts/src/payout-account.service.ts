import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@fairshare/config';
import { NotFound, UnprocessableEntity } from '@fairshare/domain';
import { CreatorRepository, PayoutAccountRepository, PayoutAccountRow } from '@fairshare/persistence';
import { AuditService, ClockService } from '@fairshare/platform';
import { StripeGateway } from '@fairshare/stripe';
import { PayoutErrorCodes } from './payouts.errors';

export interface Onboarding {
  account: PayoutAccountRow;
  onboardingUrl: string;
  expiresAt: Date;
}

/** Creators' Stripe Connect Express accounts: creation, onboarding links, state. */
@Injectable()
export class PayoutAccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: PayoutAccountRepository,
    private readonly creators: CreatorRepository,
    private readonly gateway: StripeGateway,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Creates the creator's Express account if there is none (idempotently at Stripe: key
   * `payout-account-<creatorId>`, so two concurrent calls get the same account) and answers a
   * fresh onboarding link (links are single-use and short-lived).
   */
  async onboard(creator: { userId: string; email: string }): Promise<Onboarding> {
    let account = await this.accounts.findByCreator(creator.userId);
    if (!account) {
      const profile = await this.creators.findById(creator.userId);
      if (!profile?.country || !profile.payoutCurrency) {
        throw new UnprocessableEntity(
          PayoutErrorCodes.CREATOR_PROFILE_INCOMPLETE,
          'Set your country and payout currency in your creator profile before setting up payouts.',
        );
      }
      const { country, payoutCurrency } = profile;
      const created = await this.gateway.createExpressAccount({
        country,
        defaultCurrency: payoutCurrency,
        email: creator.email,
        metadata: { creator_id: creator.userId },
        idempotencyKey: `payout-account-${creator.userId}`,
      });
      const state = await this.gateway.retrieveAccount(created.id);
      const at = await this.clock.now();
      account = await this.dataSource.transaction(async (em) => {
        const row = await this.accounts.insertIfAbsent(em, {
          creatorId: creator.userId,
          stripeAccountId: created.id,
          country,
          defaultCurrency: payoutCurrency,
          payoutsEnabled: state.payoutsEnabled,
          detailsSubmitted: state.detailsSubmitted,
          requirements: state.requirementsDue,
          at,
        });
        await this.audit.record(em, { action: 'payout_account.created', resourceType: 'payout_account', resourceId: creator.userId, details: { stripeAccountId: row.stripeAccountId } });
        return row;
      });
    }
    const base = this.config.PUBLIC_URL.replace(/\/+$/, '');
    const link = await this.gateway.createAccountLink({
      accountId: account.stripeAccountId,
      refreshUrl: `${base}/payouts/onboarding?refresh=1`,
      returnUrl: `${base}/payouts/onboarding?done=1`,
    });
    return { account, onboardingUrl: link.url, expiresAt: link.expiresAt };
  }

  async get(creatorId: string): Promise<PayoutAccountRow> {
    const account = await this.accounts.findByCreator(creatorId);
    if (!account) throw new NotFound(PayoutErrorCodes.PAYOUT_ACCOUNT_NOT_FOUND, 'You have no payout account yet: POST /v1/me/payout-account to create one.');
    return account;
  }
}
