import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal, RolesOrApiKey } from '@fairshare/platform';
import { UsageReportService } from '@fairshare/usage';
import { CreateUsageReportDto, ListUsageReportsQuery, RejectionsQuery, UploadUsageReportQuery } from './usage.dto';
import { uploadBody } from './upload-body';
import { REJECTIONS_CSV_HEADER, toRejectionCsv, toRejectionJson, toUsageReport } from './usage.mapper';

@ApiTags('usage')
@Controller('v1/usage-reports')
export class UsageController {
  constructor(private readonly reports: UsageReportService) {}

  /** Up to 10,000 lines as JSON; answered 202 and processed by the worker. */
  @Post() @HttpCode(202) @RolesOrApiKey('licensee')
  submit(@CurrentPrincipal() p: Principal, @Body() dto: CreateUsageReportDto, @Headers('idempotency-key') key?: string) {
    return this.reports.submitJson(p, dto, key);
  }

  /** A CSV or NDJSON file as the raw body, or as the one file of a multipart/form-data body; streamed to storage (never buffered). */
  @Post('upload') @HttpCode(202) @RolesOrApiKey('licensee') @ApiConsumes('text/csv', 'application/x-ndjson', 'multipart/form-data')
  upload(@CurrentPrincipal() p: Principal, @Query() q: UploadUsageReportQuery, @Req() req: Request, @Headers('idempotency-key') key?: string) {
    return this.reports.submitUpload(p, q, uploadBody(req), key);
  }

  @Get() @RolesOrApiKey('licensee', 'finance', 'admin')
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListUsageReportsQuery) {
    const { rows, next } = await this.reports.list(p, { licenceId: q.licenceId, period: q.period, before: q.cursor, limit: q.limit ?? 50 });
    return { data: rows.map(toUsageReport), nextCursor: next };
  }

  @Get(':id') @RolesOrApiKey('licensee', 'finance', 'admin')
  async get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return toUsageReport(await this.reports.get(p, id));
  }

  /** Every rejected line (line number, code, message), streamed as JSON or CSV. */
  @Get(':id/rejections') @RolesOrApiKey('licensee', 'finance', 'admin')
  async rejections(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: RejectionsQuery, @Res() res: Response) {
    const report = await this.reports.get(p, id);
    const csv = q.format === 'csv';
    const pages = this.reports.rejectionPages(p, report.id);
    res.setHeader('Content-Type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    if (csv) res.setHeader('Content-Disposition', `attachment; filename="usage-report-${report.id}-rejections.csv"`);
    await pipeline(Readable.from(csv ? csvChunks(pages) : jsonChunks(report.id, pages)), res);
  }
}

async function* csvChunks(pages: AsyncIterable<{ lineNo: bigint; code: string; message: string }[]>) {
  yield REJECTIONS_CSV_HEADER;
  for await (const page of pages) yield page.map(toRejectionCsv).join('');
}

async function* jsonChunks(reportId: string, pages: AsyncIterable<{ lineNo: bigint; code: string; message: string }[]>) {
  yield `{"reportId":${JSON.stringify(reportId)},"data":[`;
  let first = true;
  for await (const page of pages) {
    yield (first ? '' : ',') + page.map(toRejectionJson).join(',');
    first = false;
  }
  yield ']}';
}
