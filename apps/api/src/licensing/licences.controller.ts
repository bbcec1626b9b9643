import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DownloadService, LicencePurchaseService, LicenceQueryService, RefundService } from '@fairshare/licensing';
import { CurrentPrincipal, type Principal, Roles, RolesOrApiKey } from '@fairshare/platform';
import { CreateLicenceDto, CreateRefundDto, ListLicencesQuery, ManifestQuery } from './licensing.dto';
import { toLicence } from './licensing.mapper';
import { pipeStream } from './stream-response';

@ApiTags('licences')
@Controller('v1/licences')
export class LicencesController {
  constructor(
    private readonly purchase: LicencePurchaseService,
    private readonly query: LicenceQueryService,
    private readonly refunds: RefundService,
    private readonly downloads: DownloadService,
  ) {}

  /** Starts a purchase: a pending licence and the Stripe Checkout page to pay it. */
  @Post() @Roles('licensee')
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateLicenceDto, @Headers('idempotency-key') key?: string) {
    const { body } = await this.purchase.purchase(p, dto, key);
    return { licence: toLicence(await this.query.get(p, body.licenceId)), checkoutUrl: body.checkoutUrl };
  }

  @Get() @RolesOrApiKey('licensee', 'finance', 'admin')
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListLicencesQuery) {
    return { data: (await this.query.list(p, q)).map(toLicence) };
  }

  @Get(':id') @RolesOrApiKey('licensee', 'finance', 'admin')
  async get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return toLicence(await this.query.get(p, id));
  }

  /** The fixed manifest, streamed; the NDJSON form is what the SHA-256 and the signature cover. */
  @Get(':id/manifest') @RolesOrApiKey('licensee', 'finance', 'admin')
  async manifest(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: ManifestQuery, @Res() res: Response) {
    const { licence, stream } = await this.query.manifest(p, id, q.format);
    res.setHeader('Content-Type', q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="licence-${licence.id}-manifest.${q.format}"`);
    res.setHeader('X-Manifest-SHA256', licence.manifestSha256 as string);
    res.setHeader('X-Manifest-Signature', licence.manifestSignature as string);
    res.setHeader('X-Manifest-Public-Key-Id', licence.manifestKeyId as string);
    res.setHeader('X-Manifest-Work-Count', String(licence.workCount));
    await pipeStream(stream, res);
  }

  @Get(':id/certificate') @RolesOrApiKey('licensee', 'finance', 'admin')
  certificate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.query.certificate(p, id);
  }

  @Get(':id/works/:workId/content') @RolesOrApiKey('licensee')
  async content(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('workId', ParseUUIDPipe) workId: string, @Res() res: Response) {
    const c = await this.downloads.open(p, id, workId);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="${workId}"`);
    res.setHeader('X-Content-SHA256', c.contentHash);
    if (c.sizeBytes !== null) res.setHeader('Content-Length', c.sizeBytes.toString());
    await pipeStream(c.stream, res);
  }

  /** Admin refund through Stripe; the webhook records it (a full refund revokes the licence). */
  @Post(':id/refunds') @Roles('admin')
  async refund(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateRefundDto, @Headers('idempotency-key') key?: string) {
    return (await this.refunds.refund(p, id, BigInt(dto.amountMinor), key)).body;
  }
}
