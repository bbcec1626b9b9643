import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DisputeService } from '@fairshare/catalogue';
import { ValidationFailed } from '@fairshare/domain';
import { Roles } from '@fairshare/platform';
import { ResolveDisputeDto } from './catalogue.dto';
import { toWork } from './catalogue.mapper';

@ApiTags('admin')
@Controller('v1/admin/disputes')
export class DisputeController {
  constructor(private readonly disputes: DisputeService) {}

  @Get() @Roles('admin')
  async list() {
    return { data: (await this.disputes.list()).map((d) => ({ contentHash: d.contentHash, works: d.works.map((w) => ({ ...toWork(w), ownerName: w.ownerName })) })) };
  }

  /** Keep one claim (the others are rejected), or merge every claim's holders into the kept work's split. */
  @Post(':hash/resolve') @HttpCode(200) @Roles('admin')
  async resolve(@Param('hash') hash: string, @Body() dto: ResolveDisputeDto) {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new ValidationFailed('INVALID_CONTENT_HASH', 'The content hash must be 64 lower-case hexadecimal characters.');
    const r = await this.disputes.resolve(hash, dto);
    return { kept: toWork(r.kept), rejected: r.rejected.map(toWork), mergedSplitId: r.mergedSplitId };
  }
}
