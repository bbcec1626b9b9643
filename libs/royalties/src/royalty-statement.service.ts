import { Injectable } from '@nestjs/common';
import { NotFound } from '@fairshare/domain';
import { Accounts, LedgerService, naturalBalance } from '@fairshare/ledger';
import { RoyaltyLineRow, RoyaltyRunRepository, RoyaltyRunRow, RoyaltyStatementRepository, StatementSummaryRow } from '@fairshare/persistence';
import { RoyaltyErrorCodes as E } from './royalty-errors';

export interface Statement {
  run: RoyaltyRunRow;
  creatorId: string;
  lines: RoyaltyLineRow[];
  adjustments: RoyaltyLineRow[];
  totals: { currency: string; royalties: bigint; adjustments: bigint; total: bigint }[];
  byLicence: { licenceId: string; currency: string; amount: bigint; organisationName?: string | null }[];
  byWork: { workId: string; currency: string; amount: bigint; workTitle?: string | null }[];
}

export interface StatementSummary {
  runId: string;
  period: string;
  status: string;
  postedAt: Date | null;
  totals: { currency: string; royalties: bigint; adjustments: bigint; total: bigint }[];
}

const PAGE = 10_000;

/** A creator's statements (their lines in each run) and balance. */
@Injectable()
export class RoyaltyStatementService {
  constructor(
    private readonly runs: RoyaltyRunRepository,
    private readonly repo: RoyaltyStatementRepository,
    private readonly ledger: LedgerService,
  ) {}

  /** Posted runs in which the creator (or an invitation they accepted) has lines. */
  async list(creatorId: string): Promise<StatementSummary[]> {
    const rows = await this.repo.statements(await this.repo.holderKeysOf(creatorId), ['posted']);
    const byRun = new Map<string, { head: StatementSummaryRow; rows: StatementSummaryRow[] }>();
    for (const r of rows) {
      const e = byRun.get(r.runId) ?? { head: r, rows: [] };
      e.rows.push(r);
      byRun.set(r.runId, e);
    }
    return [...byRun.values()].map(({ head, rows: rs }) => ({
      runId: head.runId,
      period: head.period,
      status: head.status,
      postedAt: head.postedAt,
      totals: rs.map((r) => ({ currency: r.currency, royalties: r.amount, adjustments: r.adjustments, total: r.amount + r.adjustments })),
    }));
  }

  /** One run's statement for a creator; `preview` lets finance read runs not yet posted. */
  async get(runId: string, creatorId: string, preview: boolean): Promise<Statement> {
    const run = await this.runs.findById(runId);
    const readable = run && (run.status === 'posted' || (preview && ['computed', 'approved'].includes(run.status)));
    if (!run || !readable) throw new NotFound(E.STATEMENT_NOT_FOUND, `No statement for run ${runId}.`);
    const holderKeys = await this.repo.holderKeysOf(creatorId);
    const all: RoyaltyLineRow[] = [];
    for (let after: RoyaltyLineRow | undefined; ; ) {
      const page = await this.repo.lines(runId, { holderKeys, limit: PAGE, after });
      all.push(...page);
      if (page.length < PAGE) break;
      after = page[page.length - 1];
    }
    const sum = <K extends string>(key: (l: RoyaltyLineRow) => K) => {
      const m = new Map<string, bigint>();
      for (const l of all) m.set(`${key(l)}|${l.currency}`, (m.get(`${key(l)}|${l.currency}`) ?? 0n) + l.amount);
      return [...m].map(([k, amount]) => ({ k: k.split('|'), amount })).sort((a, b) => (a.k.join('|') < b.k.join('|') ? -1 : 1));
    };
    const currencies = [...new Set(all.map((l) => l.currency))].sort();
    const titles = new Map(all.map((l) => [l.workId, l.workTitle ?? null]));
    const organisations = new Map(all.map((l) => [l.licenceId, l.organisationName ?? null]));
    return {
      run,
      creatorId,
      lines: all.filter((l) => !l.isAdjustment),
      adjustments: all.filter((l) => l.isAdjustment),
      totals: currencies.map((currency) => {
        const royalties = all.filter((l) => l.currency === currency && !l.isAdjustment).reduce((a, l) => a + l.amount, 0n);
        const adjustments = all.filter((l) => l.currency === currency && l.isAdjustment).reduce((a, l) => a + l.amount, 0n);
        return { currency, royalties, adjustments, total: royalties + adjustments };
      }),
      byLicence: sum((l) => l.licenceId).map(({ k, amount }) => ({ licenceId: k[0], currency: k[1], amount, organisationName: organisations.get(k[0]) ?? null })),
      byWork: sum((l) => l.workId).map(({ k, amount }) => ({ workId: k[0], currency: k[1], amount, workTitle: titles.get(k[0]) ?? null })),
    };
  }

  /** What the creator is owed, per currency, from the ledger (negative: clawbacks exceed royalties). */
  async balance(creatorId: string): Promise<{ currency: string; amount: bigint }[]> {
    const account = Accounts.payable(creatorId);
    const balances = (await this.ledger.balances([account])).get(account) ?? new Map<string, bigint>();
    return [...balances].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, b]) => ({ currency, amount: naturalBalance(account, b) }));
  }
}
