import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Conflict, Forbidden, NotFound, parsePeriod, periodEnd, UnprocessableEntity, type Period } from '@fairshare/domain';
import { QUEUES, royaltyJobId, type RoyaltyRunJob } from '@fairshare/jobs';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { RoyaltyComputationRepository, RoyaltyRunRepository, RoyaltyRunRow, RoyaltyStatementRepository, RunCreatorRow } from '@fairshare/persistence';
import { AuditService, ClockService, IdempotencyService } from '@fairshare/platform';
import { recognise } from './rules';
import { RoyaltyErrorCodes as E } from './royalty-errors';
import { RULES_VERSION, toTerms } from './royalty-terms';

/** Finance's side of royalty runs: start, re-compute, approve (posting to the ledger). */
@Injectable()
export class RoyaltyRunService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: RoyaltyRunRepository,
    private readonly computation: RoyaltyComputationRepository,
    private readonly statements: RoyaltyStatementRepository,
    private readonly ledger: LedgerService,
    private readonly clock: ClockService,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    @InjectQueue(QUEUES.royaltyRuns) private readonly queue: Queue<RoyaltyRunJob>,
  ) {}

  /** POST /v1/royalty-runs: refused unless the period has ended and every earlier period with revenue is approved. */
  async start(userId: string, period: string, idempotencyKey: string | undefined): Promise<{ status: number; run: RoyaltyRunRow }> {
    const p = parsePeriod(period);
    const result = await this.idempotency.execute({ scope: `royalty-run:${userId}`, key: idempotencyKey, request: { period: p } }, async (em) => {
      const now = await this.clock.now();
      if (periodEnd(p).getTime() > now.getTime()) {
        throw new UnprocessableEntity(E.PERIOD_NOT_ENDED, `Period ${p} has not ended yet (it ends ${periodEnd(p).toISOString()}).`, { period: p });
      }
      // One run is open at a time, and runs go in order: serialise starts on a transaction lock.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('royalty-runs.start'))`);
      if (await this.runs.findByPeriod(p, em)) throw new Conflict(E.RUN_ALREADY_EXISTS, `Period ${p} already has a royalty run.`, { period: p });
      const open = await this.runs.open(em);
      if (open.length) throw new Conflict(E.RUN_IN_PROGRESS, `The run for ${open[0].period} is not posted yet: approve or re-compute it first.`, { runId: open[0].id, period: open[0].period });
      const posted = await this.runs.postedPeriods(em);
      const lastClosed = posted[posted.length - 1] ?? null;
      if (lastClosed && p <= lastClosed) throw new Conflict(E.PERIOD_CLOSED, `Period ${p} is closed: ${lastClosed} is already posted. Its corrections go into the next run.`, { period: p, lastPosted: lastClosed });
      const missing = await this.earlierPeriodWithoutRun(p, lastClosed, new Set(posted));
      if (missing) throw new Conflict(E.EARLIER_PERIOD_NOT_APPROVED, `Period ${missing} has recognised revenue and no approved run: run it first.`, { period: missing });
      const id = (await this.runs.insert(em, { period: p, createdBy: userId, at: now, rulesVersion: RULES_VERSION }))!;
      await this.audit.record(em, { action: 'royalty_run.started', resourceType: 'royalty_run', resourceId: id, details: { period: p } });
      return { status: 202, body: { id } };
    });
    await this.enqueuePlan(result.body.id);
    return { status: result.status, run: (await this.runs.findById(result.body.id))! };
  }

  /** The earliest period before `p` (and after the last posted one) in which some licence recognises revenue. */
  private async earlierPeriodWithoutRun(p: Period, lastClosed: Period | null, posted: Set<Period>): Promise<Period | null> {
    let earliest: Period | null = null;
    for (const l of await this.computation.paidLicences()) {
      for (const [q, amount] of recognise(toTerms(l))) {
        if (amount === 0n || q >= p || posted.has(q) || (lastClosed && q <= lastClosed)) continue;
        if (!earliest || q < earliest) earliest = q;
      }
    }
    return earliest;
  }

  async get(id: string): Promise<RoyaltyRunRow> {
    const run = await this.runs.findById(id);
    if (!run) throw new NotFound(E.RUN_NOT_FOUND, `No royalty run ${id}.`);
    return run;
  }

  list(q: { limit: number; before?: string }): Promise<RoyaltyRunRow[]> {
    return this.runs.list(q);
  }

  /** A page of a run's lines (finance), optionally one holder's. */
  async lines(id: string, q: { holder?: string; limit: number; after?: { licenceId: string; originalPeriod: string; workId: string; holderKey: string } }) {
    await this.get(id);
    return this.statements.lines(id, { holderKeys: q.holder ? [q.holder] : undefined, limit: q.limit, after: q.after });
  }

  /** Finance's way into one creator's statement: the creators of a run found by name, ID or e-mail, with their sums. */
  async creators(id: string, q: { text: string; limit: number }): Promise<RunCreatorRow[]> {
    await this.get(id);
    return this.statements.creatorsInRun(id, q.text, q.limit);
  }

  /** A computed (or failed, or stuck) run is computed again from the current data: a new generation. */
  async recompute(userId: string, id: string): Promise<RoyaltyRunRow> {
    const at = await this.clock.now();
    await this.dataSource.transaction(async (em) => {
      const run = await this.runs.lock(em, id);
      if (!run) throw new NotFound(E.RUN_NOT_FOUND, `No royalty run ${id}.`);
      if (!['computed', 'failed', 'computing', 'queued'].includes(run.status)) {
        throw new Conflict(E.RUN_NOT_RECOMPUTABLE, `Run ${id} is ${run.status}: approved runs never change; corrections go into the next run.`, { status: run.status });
      }
      const generation = await this.runs.resetForCompute(em, id, { by: userId, at, recompute: true });
      await this.audit.record(em, { action: 'royalty_run.recomputed', resourceType: 'royalty_run', resourceId: id, details: { generation } });
    });
    await this.enqueuePlan(id);
    return this.get(id);
  }

  /**
   * Four eyes: a finance user other than the one who started (or re-computed) the run approves it,
   * and the run is posted to the ledger in the same transaction — one entry `royalty.approval`
   * keyed by the run ID, so a retry cannot post twice. Approving a posted run answers it as is.
   */
  async approve(userId: string, id: string): Promise<RoyaltyRunRow> {
    const at = await this.clock.now();
    await this.dataSource.transaction(async (em) => {
      const run = await this.runs.lock(em, id);
      if (!run) throw new NotFound(E.RUN_NOT_FOUND, `No royalty run ${id}.`);
      if (run.status === 'posted') return;
      if (run.status !== 'computed') throw new Conflict(E.RUN_NOT_COMPUTED, `Run ${id} is ${run.status}; only a computed run can be approved.`, { status: run.status });
      if (run.createdBy === userId || run.recomputedBy === userId) {
        throw new Forbidden(E.FOUR_EYES_REQUIRED, 'A royalty run is approved by a different finance user from the one who started or re-computed it.');
      }
      const postings: { account: string; currency: string; amount: bigint }[] = [];
      const add = (account: string, currency: string, amount: bigint) => {
        if (amount === 0n) return;
        const prev = postings.find((x) => x.account === account && x.currency === currency);
        if (prev) prev.amount += amount;
        else postings.push({ account, currency, amount });
      };
      for (const t of await this.statements.licenceTotals(id, em)) {
        add(Accounts.deferredRevenue(t.licenceId), t.currency, t.recognised);
        add(Accounts.platformFees, t.currency, -t.fee);
      }
      // An invitation being accepted right now waits for us (or we for it) on its account's lock.
      for (const inv of await this.statements.invitationKeys(em, id)) await this.ledger.lockAccount(em, Accounts.unclaimed(inv));
      for (const h of await this.statements.holderPostings(em, id)) {
        const account = h.holderKind === 'creator' ? Accounts.payable(h.holderKey) : h.acceptedBy ? Accounts.payable(h.acceptedBy) : Accounts.unclaimed(h.holderKey);
        add(account, h.currency, -h.amount);
      }
      // A run with nothing to post (no revenue at all) is approved without a journal entry.
      const final = postings.filter((x) => x.amount !== 0n);
      const entryId = final.length
        ? (
            await this.ledger.post(em, {
              kind: 'royalty.approval',
              reference: id,
              occurredAt: at,
              description: `Royalty run ${run.period}`,
              metadata: { period: run.period, runId: id, rulesVersion: run.rulesVersion },
              postings: final,
            })
          ).entryId
        : null;
      await this.runs.markPosted(em, id, { approvedBy: userId, at, journalEntryId: entryId });
      await this.audit.record(em, { action: 'royalty_run.approved', resourceType: 'royalty_run', resourceId: id, details: { period: run.period, journalEntryId: entryId } });
    });
    return this.get(id);
  }

  private async enqueuePlan(runId: string): Promise<void> {
    const run = await this.runs.findById(runId);
    if (!run || !['queued', 'computing'].includes(run.status)) return;
    await this.queue.add('plan', { runId, generation: run.generation }, { jobId: royaltyJobId(runId, run.generation, 'plan') });
  }
}
