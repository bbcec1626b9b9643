import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { WorksImportService } from '@fairshare/catalogue';
import { CurrentPrincipal, Principal, Roles } from '@fairshare/platform';
import { RejectionsQuery } from './catalogue.dto';
import { toWorksImport } from './catalogue.mapper';

@ApiTags('catalogues')
@Controller('v1/works-imports')
export class WorksImportController {
  constructor(private readonly imports: WorksImportService) {}

  @Get(':id') @Roles('creator', 'admin')
  async get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return toWorksImport(await this.imports.get(p, id));
  }

  /** Rejected rows (row number as in a spreadsheet: the header is row 1), by pages of row numbers. */
  @Get(':id/rejections') @Roles('creator', 'admin')
  async rejections(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: RejectionsQuery) {
    const data = await this.imports.rejections(p, id, q.afterRow, q.limit);
    return { data, nextAfterRow: data.length === q.limit ? data[data.length - 1].rowNo : null };
  }
}
