import { Readable } from 'node:stream';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PayoutRunService } from '@fairshare/payouts';
import { CurrentPrincipal, Principal, Roles } from '@fairshare/platform';
import { CreatePayoutRunDto, ListPayoutRunsQuery } from './payouts.dto';
import { toPayoutRun, toPayoutRunView } from './payouts.mapper';

type User = Principal & { kind: 'user' };

@ApiTags('payouts')
@Controller('v1/payout-runs')
export class PayoutRunController {
  constructor(private readonly runs: PayoutRunService) {}

  /** A preview from the ledger as of now; approve it to pay. */
  @Post() @Roles('finance') @HttpCode(201) @ApiHeader({ name: 'Idempotency-Key', required: true })
  async create(@CurrentPrincipal() p: User, @Body() dto: CreatePayoutRunDto, @Headers('idempotency-key') key: string | undefined) {
    const { runId } = await this.runs.create(p.userId, dto.currency, key);
    return toPayoutRunView(await this.runs.view(runId));
  }

  @Get() @Roles('finance')
  async list(@Query() q: ListPayoutRunsQuery) {
    return { data: (await this.runs.list(q)).map(toPayoutRun) };
  }

  @Get(':id') @Roles('finance')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return toPayoutRunView(await this.runs.view(id));
  }

  /** Four-eyes: refused (403 FOUR_EYES_REQUIRED) to the user who created the run. */
  @Post(':id/approve') @Roles('finance') @HttpCode(200)
  async approve(@CurrentPrincipal() p: User, @Param('id', ParseUUIDPipe) id: string) {
    return toPayoutRun(await this.runs.approve(p.userId, id));
  }

  @Get(':id/export.csv') @Roles('finance')
  async export(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response) {
    const lines = this.runs.exportCsv(id);
    const first = await lines.next(); // a missing run answers 404 before any byte is sent
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="payout-run-${id}.csv"`);
    return new StreamableFile(Readable.from((async function* () {
      if (!first.done) yield first.value;
      yield* lines;
    })()));
  }
}
