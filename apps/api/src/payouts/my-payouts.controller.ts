import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PayoutAccountService, PayoutRunService } from '@fairshare/payouts';
import { CurrentPrincipal, Principal, Roles } from '@fairshare/platform';
import { PageQuery } from './payouts.dto';
import { toOnboarding, toPayoutAccount, toPayoutItem } from './payouts.mapper';

type User = Principal & { kind: 'user' };

@ApiTags('payouts')
@Controller('v1/me')
export class MyPayoutsController {
  constructor(
    private readonly accounts: PayoutAccountService,
    private readonly runs: PayoutRunService,
  ) {}

  /** Creates the Stripe Express account if needed and answers a fresh onboarding link. */
  @Post('payout-account') @Roles('creator')
  async onboard(@CurrentPrincipal() p: User) {
    return toOnboarding(await this.accounts.onboard({ userId: p.userId, email: p.email }));
  }

  @Get('payout-account') @Roles('creator')
  async account(@CurrentPrincipal() p: User) {
    return toPayoutAccount(await this.accounts.get(p.userId));
  }

  @Get('payouts') @Roles('creator')
  async payouts(@CurrentPrincipal() p: User, @Query() q: PageQuery) {
    return { data: (await this.runs.listForCreator(p.userId, q)).map(toPayoutItem) };
  }
}
