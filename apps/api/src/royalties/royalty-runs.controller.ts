import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@fairshare/platform';
import { RoyaltyRunService } from '@fairshare/royalties';
import { ListRoyaltyRunsQuery, RoyaltyLinesQuery, RoyaltyRunCreatorsQuery, StartRoyaltyRunDto } from './royalties.dto';
import { decodeCursor, encodeCursor, toRoyaltyLine, toRoyaltyRun, toRunCreator } from './royalties.mapper';

type User = Principal & { kind: 'user' };

@ApiTags('royalties')
@Controller('v1/royalty-runs')
export class RoyaltyRunsController {
  constructor(private readonly runs: RoyaltyRunService) {}

  /** Starts the run of a period (202): computed by the workers; poll GET /v1/royalty-runs/{id}. */
  @Post() @Roles('finance') @ApiHeader({ name: 'Idempotency-Key', required: true })
  async start(@CurrentPrincipal() p: User, @Body() dto: StartRoyaltyRunDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    const r = await this.runs.start(p.userId, dto.period, key);
    res.status(r.status);
    return toRoyaltyRun(r.run);
  }

  @Get() @Roles('finance')
  async list(@Query() q: ListRoyaltyRunsQuery) {
    return { data: (await this.runs.list(q)).map(toRoyaltyRun) };
  }

  @Get(':id') @Roles('finance')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return toRoyaltyRun(await this.runs.get(id));
  }

  @Get(':id/lines') @Roles('finance')
  async lines(@Param('id', ParseUUIDPipe) id: string, @Query() q: RoyaltyLinesQuery) {
    const lines = await this.runs.lines(id, { holder: q.holder, limit: q.limit, after: decodeCursor(q.cursor) });
    return { data: lines.map(toRoyaltyLine), nextCursor: lines.length === q.limit ? encodeCursor(lines[lines.length - 1]) : null };
  }

  /** The creators of a run found by name, ID or e-mail, with their line count and sums per currency (to open one's statement). */
  @Get(':id/creators') @Roles('finance')
  async creators(@Param('id', ParseUUIDPipe) id: string, @Query() q: RoyaltyRunCreatorsQuery) {
    return { data: (await this.runs.creators(id, { text: q.q, limit: q.limit })).map(toRunCreator) };
  }

  @Post(':id/recompute') @Roles('finance') @HttpCode(202)
  async recompute(@CurrentPrincipal() p: User, @Param('id', ParseUUIDPipe) id: string) {
    return toRoyaltyRun(await this.runs.recompute(p.userId, id));
  }

  /** Four eyes: refused (403 FOUR_EYES_REQUIRED) to whoever started or re-computed the run. */
  @Post(':id/approve') @Roles('finance') @HttpCode(200)
  async approve(@CurrentPrincipal() p: User, @Param('id', ParseUUIDPipe) id: string) {
    return toRoyaltyRun(await this.runs.approve(p.userId, id));
  }
}
