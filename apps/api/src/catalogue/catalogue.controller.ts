import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CatalogueService, ConsentService, TermsService, WorkService, WorksImportService } from '@fairshare/catalogue';
import { CurrentPrincipal, Principal, Public, Roles } from '@fairshare/platform';
import { BulkConsentDto, CreateCatalogueDto, CreateWorkDto, UpdateCatalogueDto } from './catalogue.dto';
import { toCatalogue, toCatalogueWithCounts, toWork, toWorksImport } from './catalogue.mapper';
import { closeOnTooLarge, streamedBody, writeChunks } from './streaming';

@ApiTags('catalogues')
@Controller('v1/catalogues')
export class CatalogueController {
  constructor(
    private readonly catalogues: CatalogueService,
    private readonly works: WorkService,
    private readonly consent: ConsentService,
    private readonly imports: WorksImportService,
    private readonly terms: TermsService,
  ) {}

  @Post() @Roles('creator')
  async create(@CurrentPrincipal() p: Principal & { kind: 'user' }, @Body() dto: CreateCatalogueDto) {
    return toCatalogue(await this.catalogues.create(p.userId, dto));
  }

  @Get() @Roles('creator')
  async listMine(@CurrentPrincipal() p: Principal & { kind: 'user' }) {
    return { data: (await this.catalogues.listMine(p.userId)).map(toCatalogue) };
  }

  /** Counts per media type and use: of listed works, or of every work for its owner and admins. */
  @Get(':id') @Public()
  async get(@CurrentPrincipal() p: Principal | undefined, @Param('id', ParseUUIDPipe) id: string) {
    return toCatalogueWithCounts(await this.catalogues.get(p, id));
  }

  @Patch(':id') @Roles('creator')
  async update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCatalogueDto) {
    return toCatalogue(await this.catalogues.update(p, id, dto));
  }

  @Post(':id/works') @Roles('creator')
  async createWork(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateWorkDto) {
    return toWork(await this.works.create(p, id, dto));
  }

  /** Bulk consent change for the whole catalogue or a filtered set: one consent record per work. */
  @Post(':id/consent') @HttpCode(200) @Roles('creator')
  async bulkConsent(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: BulkConsentDto) {
    return this.consent.setBulk(p, id, dto.filter ?? {}, { ...dto.consent, excludedOrganisationIds: dto.consent.excludedOrganisationIds ?? [] });
  }

  /** CSV upload (Content-Type: text/csv): 202 with a new import, 200 with the existing import of the same file. */
  @Post(':id/imports') @Roles('creator')
  async importWorks(
    @CurrentPrincipal() p: Principal & { kind: 'user' },
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { imp, created } = await closeOnTooLarge(res, () => this.imports.upload(p, id, streamedBody(req, ['text/csv', 'application/csv', 'application/octet-stream'])));
    res.status(created ? 202 : 200);
    return toWorksImport(imp);
  }

  /** RSL 1.0 terms of the catalogue's works, derived from current consent. */
  @Get(':id/rsl.xml') @Public()
  async rsl(@Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    await this.terms.assertCatalogue(id);
    res.status(200).type('application/rsl+xml; charset=utf-8').setHeader('Cache-Control', 'no-cache');
    await writeChunks(res, this.terms.rsl(id));
  }
}
