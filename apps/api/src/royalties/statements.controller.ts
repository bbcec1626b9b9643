import { Controller, Get, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Forbidden, ValidationFailed } from '@fairshare/domain';
import { CurrentPrincipal, Principal, principalHasRole, Roles } from '@fairshare/platform';
import { RoyaltyStatementService, statementCsv, statementPdf } from '@fairshare/royalties';
import { StatementQuery, StatementsQuery } from './royalties.dto';
import { toStatement, toStatementSummary } from './royalties.mapper';

type User = Principal & { kind: 'user' };

/** Whose statements: a creator reads their own; finance reads any creator's with ?creatorId=. */
function subject(p: User, creatorId: string | undefined): { creatorId: string; finance: boolean } {
  const finance = principalHasRole(p, 'finance');
  if (finance && creatorId) return { creatorId, finance };
  if (creatorId && creatorId !== p.userId && !finance) throw new Forbidden('STATEMENT_FORBIDDEN', 'Creators read their own statements only.');
  if (finance && !principalHasRole(p, 'creator')) throw new ValidationFailed('CREATOR_ID_REQUIRED', 'Finance reads a creator’s statements with ?creatorId=.');
  return { creatorId: p.userId, finance: false };
}

@ApiTags('royalties')
@Controller('v1/me')
export class StatementsController {
  constructor(private readonly statements: RoyaltyStatementService) {}

  @Get('statements') @Roles('creator', 'finance')
  async list(@CurrentPrincipal() p: User, @Query() q: StatementsQuery) {
    return { data: (await this.statements.list(subject(p, q.creatorId).creatorId)).map(toStatementSummary) };
  }

  @Get('statements/:runId') @Roles('creator', 'finance')
  async get(@CurrentPrincipal() p: User, @Param('runId', ParseUUIDPipe) runId: string, @Query() q: StatementQuery, @Res({ passthrough: true }) res: Response) {
    const who = subject(p, q.creatorId);
    const s = await this.statements.get(runId, who.creatorId, who.finance);
    const name = `statement-${s.run.period}-${who.creatorId}`;
    if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      return new StreamableFile(Buffer.from(statementCsv(s), 'utf8'));
    }
    if (q.format === 'pdf') {
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${name}.pdf"`);
      return new StreamableFile(await statementPdf(s));
    }
    return toStatement(s);
  }

  @Get('balance') @Roles('creator')
  async balance(@CurrentPrincipal() p: User) {
    return { creatorId: p.userId, balances: (await this.statements.balance(p.userId)).map((b) => ({ currency: b.currency, amount: b.amount.toString() })) };
  }
}
