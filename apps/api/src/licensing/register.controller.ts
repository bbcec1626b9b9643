import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@fairshare/config';
import { RegisterService } from '@fairshare/licensing';
import { CurrentPrincipal, type Principal, Public, Roles } from '@fairshare/platform';
import { PageQuery } from './licensing.dto';
import { toRegisterLicence, toRegisterWork } from './licensing.mapper';

/** The public transparency register: no login, no prices unless REGISTER_SHOW_PRICES. */
@ApiTags('register')
@Controller('v1/register')
export class RegisterController {
  constructor(
    private readonly register: RegisterService,
    private readonly config: AppConfig,
  ) {}

  @Get('licences') @Public()
  async licences(@Query() q: PageQuery) {
    const { rows, total } = await this.register.licences(q);
    return { data: rows.map((r) => toRegisterLicence(r, this.config.REGISTER_SHOW_PRICES)), total, limit: q.limit, offset: q.offset };
  }

  @Get('works/:id') @Public()
  async work(@Param('id', ParseUUIDPipe) id: string) {
    const { work, licences } = await this.register.work(id);
    return { work: toRegisterWork(work), licences: licences.map((r) => toRegisterLicence(r, this.config.REGISTER_SHOW_PRICES)) };
  }

  @Get('stats') @Public()
  stats() {
    return this.register.stats();
  }
}

/** Creators see their own works' licences in detail. */
@ApiTags('register')
@Controller('v1/me/works')
export class MyWorkLicencesController {
  constructor(private readonly register: RegisterService) {}

  @Get(':id/licences') @Roles('creator')
  async licences(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    const { work, licences } = await this.register.ownWork(p, id);
    return {
      work: toRegisterWork(work),
      licences: licences.map((r) => ({ ...toRegisterLicence(r, false), consentRecordId: r.consentRecordId, contentHash: r.contentHash })),
    };
  }
}
