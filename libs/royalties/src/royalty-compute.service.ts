import { InjectFlowProducer } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { FlowProducer } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { periodEnd, type Period } from '@fairshare/domain';
import { QUEUES, royaltyJobId, type RoyaltyRunJob } from '@fairshare/jobs';
import { PostedLicencePeriodRow, RoyaltyComputationRepository, RoyaltyRunRepository } from '@fairshare/persistence';
import { ClockService } from '@fairshare/platform';
import { fee, recognise, type LicenceTerms } from './rules';
import { RoyaltyComputationError, RoyaltyErrorCodes } from './royalty-errors';
import { inputsDigest, toTerms } from './royalty-terms';

export const ROYALTY_FLOW_PRODUCER = 'royalty-runs-flow';

/** The periods a run must (re)compute for one licence: its own, and the closed ones it touches. */
export function periodsFor(t: LicenceTerms, runPeriod: Period, lastClosed: Period | null, posted: ReadonlyArray<PostedLicencePeriodRow>): Period[] {
  const out = new Set<Period>();
  for (const [p, amount] of recognise(t)) {
    if (amount === 0n) continue;
    if (p === runPeriod || (lastClosed !== null && p <= lastClosed && p < runPeriod)) out.add(p);
  }
  for (const r of posted) if (r.period < runPeriod) out.add(r.period);
  return [...out].sort();
}

/**
 * The worker side of a royalty run: plan (one chunk per licence), compute each chunk in one
 * transaction (its lines, figures and completion together), finalize (totals, status computed).
 * Every step re-reads the run and does nothing for an older generation or a run that moved on,
 * so retried, duplicated or stale jobs change nothing.
 */
@Injectable()
export class RoyaltyComputeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: RoyaltyRunRepository,
    private readonly computation: RoyaltyComputationRepository,
    private readonly clock: ClockService,
    @InjectFlowProducer(ROYALTY_FLOW_PRODUCER) private readonly flows: FlowProducer,
  ) {}

  /** Plans the run's chunks (idempotent) and adds the flow: finalize over one chunk per licence. */
  async plan(runId: string, generation: number): Promise<void> {
    const at = await this.clock.now();
    const chunks = await this.dataSource.transaction(async (em) => {
      const run = await this.runs.lock(em, runId);
      if (!run || run.generation !== generation || !['queued', 'computing'].includes(run.status)) return null;
      const existing = await this.runs.chunks(runId, generation, em);
      if (run.status === 'computing') return existing;
      const lastClosed = (await this.runs.postedPeriods(em)).pop() ?? null;
      const posted = await this.computation.posted(em);
      const postedBy = groupBy(posted, (r) => r.licenceId);
      const planned = (await this.computation.paidLicences(em))
        .filter((l) => periodsFor(toTerms(l), run.period, lastClosed, postedBy.get(l.id) ?? []).length > 0)
        .map((l) => ({ key: l.id, licenceId: l.id }));
      // Licences that were never paid but have postings (cannot happen today) are planned too.
      for (const id of postedBy.keys()) if (!planned.some((c) => c.licenceId === id)) planned.push({ key: id, licenceId: id });
      await this.runs.plan(em, runId, generation, planned, at);
      return planned.map((c) => ({ ...c, status: 'pending' }));
    });
    if (!chunks) return;
    const data = (chunk?: string): RoyaltyRunJob => ({ runId, generation, ...(chunk ? { chunk } : {}) });
    await this.flows.add({
      name: 'finalize',
      queueName: QUEUES.royaltyRuns,
      data: data(),
      opts: { jobId: royaltyJobId(runId, generation, 'finalize') },
      children: chunks.map((c) => ({
        name: 'chunk',
        queueName: QUEUES.royaltyRuns,
        data: data(c.key),
        opts: { jobId: royaltyJobId(runId, generation, c.key) },
      })),
    });
  }

  /** One chunk (= one licence): its lines for the run's period and its corrections, in one transaction. */
  async computeChunk(runId: string, generation: number, chunkKey: string): Promise<void> {
    const at = await this.clock.now();
    await this.dataSource.transaction(async (em) => {
      const run = await this.runs.lock(em, runId, 'share');
      if (!run || run.generation !== generation || run.status !== 'computing') return;
      const chunk = await this.runs.lockChunk(em, runId, generation, chunkKey);
      if (!chunk || chunk.status === 'done') return;
      await this.runs.clearChunkOutput(em, runId, chunk.licenceId);
      await this.computation.tuneForChunk(em);
      const lineCount = await this.computeLicence(em, run.id, run.period, chunk.licenceId);
      await this.runs.completeChunk(em, runId, generation, chunkKey, lineCount, at);
    });
  }

  private async computeLicence(em: EntityManager, runId: string, runPeriod: Period, licenceId: string): Promise<number> {
    const [licence] = await this.computation.paidLicences(em, [licenceId]);
    const posted = await this.computation.posted(em, [licenceId]);
    const postedByPeriod = new Map(posted.map((p) => [p.period, p]));
    const lastClosed = (await this.runs.postedPeriods(em)).pop() ?? null;
    if (!licence) {
      if (posted.length) throw new RoyaltyComputationError(RoyaltyErrorCodes.LINES_DO_NOT_ADD_UP, `Licence ${licenceId} has postings but is no longer paid.`);
      return 0;
    }
    const terms = toTerms(licence);
    const recognised = recognise(terms);
    let lineCount = 0;
    const totals = [];
    for (const q of periodsFor(terms, runPeriod, lastClosed, posted)) {
      const R = recognised.get(q) ?? 0n;
      const f = fee(R, terms.adminFeeBps);
      const digest = inputsDigest(terms, q, await this.computation.countingReports(em, licenceId, q));
      const job = { runId, period: runPeriod, originalPeriod: q, licenceId, distributionKey: terms.distributionKey, periodEnd: periodEnd(q), currency: terms.currency };
      if (q === runPeriod) {
        if (R === 0n) continue;
        const written = await this.computation.insertCurrentLines(em, { ...job, net: R - f });
        this.assertAddsUp(licenceId, q, written, R - f);
        lineCount += written.count;
        totals.push({ runId, period: runPeriod, originalPeriod: q, licenceId, currency: terms.currency, recognised: R, fee: f, isAdjustment: false, inputsDigest: digest });
        continue;
      }
      const before = postedByPeriod.get(q);
      if (before && before.inputsDigest === digest) continue;
      const postedR = before?.recognised ?? 0n;
      const postedFee = before?.fee ?? 0n;
      // Re-computing "now" needs the current net; the SQL diffs it against the posted lines.
      const written = R === 0n && !before ? { sum: 0n, count: 0 } : await this.computation.insertAdjustmentLines(em, { ...job, net: R - f });
      this.assertAddsUp(licenceId, q, written, R - f - (postedR - postedFee));
      lineCount += written.count;
      totals.push({ runId, period: runPeriod, originalPeriod: q, licenceId, currency: terms.currency, recognised: R - postedR, fee: f - postedFee, isAdjustment: true, inputsDigest: digest });
    }
    await this.runs.insertLicenceTotals(em, totals);
    return lineCount;
  }

  private assertAddsUp(licenceId: string, period: Period, written: { sum: bigint }, expected: bigint): void {
    if (written.sum !== expected) {
      throw new RoyaltyComputationError(
        written.sum === 0n ? RoyaltyErrorCodes.EMPTY_MANIFEST : RoyaltyErrorCodes.LINES_DO_NOT_ADD_UP,
        `Licence ${licenceId}, ${period}: lines sum to ${written.sum}, the rules give ${expected} (a manifest without works, or works without holders).`,
      );
    }
  }

  /** All chunks done: totals per currency, status computed. */
  async finalize(runId: string, generation: number): Promise<void> {
    const at = await this.clock.now();
    await this.dataSource.transaction(async (em) => {
      const run = await this.runs.lock(em, runId);
      if (!run || run.generation !== generation || run.status !== 'computing') return;
      const chunks = await this.runs.chunks(runId, generation, em);
      if (chunks.some((c) => c.status !== 'done')) throw new Error(`royalty run ${runId}: chunks still pending`);
      await this.runs.markComputed(em, runId, generation, await this.runs.computeTotals(em, runId), at);
    });
  }

  async fail(runId: string, generation: number, err: unknown): Promise<void> {
    const code = err instanceof RoyaltyComputationError ? err.code : 'COMPUTATION_FAILED';
    const message = err instanceof Error ? err.message : String(err);
    await this.dataSource.transaction((em) => this.runs.markFailed(em, runId, generation, code, message));
  }
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}
