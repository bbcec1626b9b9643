import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConsentService, SplitService, WorkSearchService, WorkService } from '@fairshare/catalogue';
import { Authenticated, CurrentPrincipal, Principal, Public, Roles } from '@fairshare/platform';
import { AcceptInvitationDto, ConsentDto, ListWorksQuery, SetSplitDto, WorksPageDto } from './catalogue.dto';
import { toConsentRecord, toSplit, toWork, toWorksPage } from './catalogue.mapper';
import { closeOnTooLarge, streamedBody } from './streaming';

@ApiTags('works')
@Controller('v1/works')
export class WorkController {
  constructor(
    private readonly works: WorkService,
    private readonly search: WorkSearchService,
    private readonly consent: ConsentService,
    private readonly splits: SplitService,
  ) {}

  /** Browse and full-text search, newest first; licensees and the public see listed works only. */
  @Get() @Public() @ApiOkResponse({ type: WorksPageDto })
  async list(@CurrentPrincipal() p: Principal | undefined, @Query() q: ListWorksQuery) {
    return toWorksPage(await this.search.find(p, q));
  }

  @Get(':id') @Public()
  async get(@CurrentPrincipal() p: Principal | undefined, @Param('id', ParseUUIDPipe) id: string) {
    return toWork(await this.works.get(p, id));
  }

  /** The content bytes (Content-Type: application/octet-stream), checked against contentHash. */
  @Post(':id/content') @HttpCode(200) @Roles('creator')
  async uploadContent(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const length = req.headers['content-length'] ? Number(req.headers['content-length']) : null;
    return toWork(await closeOnTooLarge(res, () => this.works.uploadContent(p, id, streamedBody(req), Number.isFinite(length) ? length : null)));
  }

  @Put(':id/consent') @Roles('creator')
  async setConsent(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ConsentDto) {
    return toConsentRecord(await this.consent.set(p, id, { ...dto, excludedOrganisationIds: dto.excludedOrganisationIds ?? [] }));
  }

  @Get(':id/consent-history') @Authenticated()
  async consentHistory(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return { data: (await this.consent.history(p, id)).map(toConsentRecord) };
  }

  @Get(':id/splits') @Authenticated()
  async splitHistory(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return { data: (await this.splits.history(p, id)).map(toSplit) };
  }

  /** A new version of the split; invitation tokens of newly invited holders are shown here, once. */
  @Put(':id/splits') @Roles('creator')
  async setSplit(@CurrentPrincipal() p: Principal & { kind: 'user' }, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SetSplitDto) {
    const r = await this.splits.set(p, id, { holders: dto.holders, effectiveAt: dto.effectiveAt ? new Date(dto.effectiveAt) : undefined });
    return { ...toSplit(r.split), invitations: r.invitationTokens };
  }
}

@ApiTags('works')
@Controller('v1/holder-invitations')
export class HolderInvitationController {
  constructor(private readonly splits: SplitService) {}

  @Post('accept') @HttpCode(200) @Roles('creator')
  async accept(@CurrentPrincipal() p: Principal & { kind: 'user' }, @Body() dto: AcceptInvitationDto) {
    return this.splits.acceptInvitation(p.userId, dto.token);
  }
}
