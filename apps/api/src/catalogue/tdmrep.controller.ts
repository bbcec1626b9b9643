import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { TermsService } from '@fairshare/catalogue';
import { Public } from '@fairshare/platform';
import { writeChunks } from './streaming';

/** W3C TDMRep: text-and-data-mining reservations for every work location, from current consent. */
@ApiTags('terms')
@Controller('.well-known/tdmrep.json')
export class TdmRepController {
  constructor(private readonly terms: TermsService) {}

  @Get() @Public()
  async get(@Res() res: Response): Promise<void> {
    res.status(200).type('application/json; charset=utf-8').setHeader('Cache-Control', 'no-cache');
    await writeChunks(res, this.terms.tdmRep());
  }
}
