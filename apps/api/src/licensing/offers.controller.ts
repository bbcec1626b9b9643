import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { LicenceQueryService, OfferService } from '@fairshare/licensing';
import { CurrentPrincipal, type Principal, principalHasRole, Public, Roles } from '@fairshare/platform';
import { CreateOfferDto, ListOffersQuery, SetOfferActiveDto } from './licensing.dto';
import { toOffer } from './licensing.mapper';

@ApiTags('offers')
@Controller('v1/offers')
export class OffersController {
  constructor(private readonly offers: OfferService) {}

  /** Admins create collective offers; finance or admins create dataset offers. */
  @Post() @Roles('admin', 'finance')
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateOfferDto) {
    return toOffer(
      await this.offers.create(p, {
        ...dto,
        priceMinor: BigInt(dto.priceMinor),
        tiers: dto.tiers?.map((t) => ({ ...t, priceMinor: BigInt(t.priceMinor) })),
      }),
    );
  }

  /** The marketplace: open offers for anyone; staff may include closed ones. */
  @Get() @Public()
  async list(@CurrentPrincipal() p: Principal | undefined, @Query() q: ListOffersQuery) {
    const activeOnly = !(q.includeClosed && principalHasRole(p, 'admin', 'finance'));
    return { data: (await this.offers.list({ activeOnly, limit: q.limit, offset: q.offset })).map(toOffer) };
  }

  @Get(':id') @Public()
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return toOffer(await this.offers.get(id));
  }

  /** A dataset offer's works. */
  @Get(':id/works') @Public()
  async works(@Param('id', ParseUUIDPipe) id: string) {
    return { data: await this.offers.workIds(id) };
  }

  @Post(':id/active') @HttpCode(200) @Roles('admin', 'finance')
  async setActive(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SetOfferActiveDto) {
    return toOffer(await this.offers.setActive(p, id, dto.active));
  }
}

@ApiTags('licences')
@Controller('v1/licensing')
export class LicensingKeyController {
  constructor(private readonly licences: LicenceQueryService) {}

  /** The platform's Ed25519 public key: verifies every licence certificate. */
  @Get('public-key') @Public()
  publicKey() {
    return this.licences.publicKey();
  }
}
