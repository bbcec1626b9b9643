import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@fairshare/config';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '@fairshare/domain';
import { AccountPrefixes, creatorIdOfPayable, LedgerService } from '@fairshare/ledger';
import { isSupportedCurrency } from '@fairshare/money';
import { NewPayoutItem, PayoutAccountRepository, PayoutItemRepository, PayoutItemRow, PayoutRunRepository, PayoutRunRow } from '@fairshare/persistence';
import { AuditService, ClockService, IdempotencyService } from '@fairshare/platform';
import { PayoutJobs } from './payout-jobs';
import { PayoutErrorCodes } from './payouts.errors';
import { classifyBalance, owedFromPayableBalance, totalsByReason } from './rules/classify';
import { csvLine } from './rules/csv';
import { minimumMinor } from './rules/minimum';

export interface PayoutRunView {
  run: PayoutRunRow;
  items: PayoutItemRow[];
  progress: Record<string, number>;
}

/** Payout runs: the preview from the ledger, four-eyes approval, and what a run looks like. */
@Injectable()
export class PayoutRunService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: PayoutRunRepository,
    private readonly items: PayoutItemRepository,
    private readonly accounts: PayoutAccountRepository,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
    private readonly jobs: PayoutJobs,
    private readonly config: AppConfig,
  ) {}

  /** A preview of what each creator would be paid now, in one transaction under an Idempotency-Key. */
  async create(userId: string, currency: string, idempotencyKey: string | undefined): Promise<{ status: number; runId: string; replayed: boolean }> {
    if (!isSupportedCurrency(currency)) throw new ValidationFailed(PayoutErrorCodes.CURRENCY_UNSUPPORTED, `${currency} is not a supported currency.`);
    const result = await this.idempotency.execute({ scope: `payout-runs:${userId}`, key: idempotencyKey, request: { currency } }, async (em) => {
      const run = await this.preview(em, userId, currency);
      return { status: 201, body: { id: run.id } };
    });
    return { status: result.status, runId: result.body.id, replayed: result.replayed };
  }

  private async preview(em: EntityManager, userId: string, currency: string): Promise<PayoutRunRow> {
    const at = await this.clock.now();
    const minimum = minimumMinor(this.config.PAYOUT_MINIMUM_MAJOR, currency);
    const balances = await this.ledger.balancesByPrefix(AccountPrefixes.payable, currency, em);
    const owed: { creatorId: string; amount: bigint }[] = [];
    for (const [account, byCurrency] of balances) {
      const creatorId = creatorIdOfPayable(account);
      const amount = owedFromPayableBalance(byCurrency.get(currency) ?? 0n);
      if (creatorId && amount !== 0n) owed.push({ creatorId, amount });
    }
    const enabled = new Set((await this.accounts.findByCreators(owed.map((o) => o.creatorId), em)).filter((a) => a.payoutsEnabled).map((a) => a.creatorId));
    const items: NewPayoutItem[] = owed.map((o) => ({ creatorId: o.creatorId, amount: o.amount, ...classifyBalance(o.amount, minimum, enabled.has(o.creatorId)) }));
    const run = await this.runs.insert(em, { currency, minimumMinor: minimum, totals: totalsByReason(items), createdBy: userId, at });
    await this.items.insertMany(em, run.id, currency, items, at);
    await this.audit.record(em, {
      action: 'payout_run.created',
      resourceType: 'payout_run',
      resourceId: run.id,
      details: { currency, items: items.length, included: run.totals.included?.count ?? 0 },
    });
    return run;
  }

  /**
   * Approval by a second finance user. Included items become `pending` and get one job each.
   * Approving an approved run again only re-enqueues what is still pending (job IDs are
   * deterministic), which recovers a crash between the commit and the enqueue.
   */
  async approve(userId: string, runId: string): Promise<PayoutRunRow> {
    const run = await this.dataSource.transaction(async (em) => {
      const r = await this.runs.lock(em, runId);
      if (!r) throw new NotFound(PayoutErrorCodes.PAYOUT_RUN_NOT_FOUND, `No payout run ${runId}.`);
      if (r.createdBy === userId) {
        throw new Forbidden(PayoutErrorCodes.FOUR_EYES_REQUIRED, 'A payout run must be approved by a different finance user from the one who created it.');
      }
      if (r.status !== 'preview') {
        if ((r.status === 'approved' || r.status === 'executing') && r.approvedBy === userId) return r;
        throw new Conflict(PayoutErrorCodes.PAYOUT_RUN_NOT_PREVIEW, `Payout run ${runId} is ${r.status}; only a preview can be approved.`);
      }
      const other = await this.runs.findActive(em, r.currency, r.id);
      if (other) throw new Conflict(PayoutErrorCodes.PAYOUT_RUN_IN_PROGRESS, `Payout run ${other.id} (${r.currency}) is still executing; approve this one when it has finished.`);
      const at = await this.clock.now();
      await this.runs.approve(em, r.id, userId, at);
      await this.items.markIncludedPending(em, r.id, at);
      await this.audit.record(em, { action: 'payout_run.approved', resourceType: 'payout_run', resourceId: r.id, details: { currency: r.currency } });
      // A run with nothing to pay is finished at once.
      await this.runs.finishIfDone(em, r.id, at);
      return (await this.runs.find(r.id, em))!;
    });
    await this.jobs.enqueueItems(await this.items.pendingIds(run.id));
    return run;
  }

  list(filter: { currency?: string; status?: PayoutRunRow['status']; limit: number; offset: number }): Promise<PayoutRunRow[]> {
    return this.runs.list(filter);
  }

  async view(runId: string): Promise<PayoutRunView> {
    const run = await this.runs.find(runId);
    if (!run) throw new NotFound(PayoutErrorCodes.PAYOUT_RUN_NOT_FOUND, `No payout run ${runId}.`);
    const items = await this.items.listByRun(runId);
    const progress: Record<string, number> = {};
    for (const i of items) progress[i.status] = (progress[i.status] ?? 0) + 1;
    return { run, items, progress };
  }

  /** The run's items as CSV lines (header first), every cell formula-safe. */
  async *exportCsv(runId: string): AsyncGenerator<string> {
    const { run, items } = await this.view(runId);
    yield csvLine(['run_id', 'currency', 'item_id', 'creator_id', 'status', 'reason', 'amount_minor', 'paid_amount_minor', 'reversed_amount_minor', 'stripe_transfer_id', 'attempts', 'last_error', 'paid_at']);
    for (const i of items) {
      yield csvLine([
        run.id, run.currency, i.id, i.creatorId, i.status, i.reason, i.amount, i.paidAmount, i.reversedAmount,
        i.stripeTransferId, i.attempts, i.lastError ? `${i.lastError.code}: ${i.lastError.message}` : null, i.paidAt?.toISOString() ?? null,
      ]);
    }
  }

  listForCreator(creatorId: string, page: { limit: number; offset: number }): Promise<PayoutItemRow[]> {
    return this.items.listByCreator(creatorId, page);
  }
}
