import { InjectFlowProducer } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { FlowProducer } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { periodEnd, type Period } from '@fairshare/domain';
import { QUEUES, royaltyJobId, type RoyaltyRunJob } from '@fairshare/jobs';
import { type ChunkPlan, PostedLicencePeriodRow, RoyaltyComputationRepository, RoyaltyRunRepository } from '@fairshare/persistence';
import { ClockService } from '@fairshare/platform';
import { fee, recognise, type LicenceTerms } from './rules';
import { RoyaltyComputationError, RoyaltyErrorCodes } from './royalty-errors';
import { inputsDigest, toTerms } from './royalty-terms';

export const ROYALTY_FLOW_PRODUCER = 'royalty-runs-flow';

/**
 * A `usage` licence is computed in this many ranges of works (by work ID), after its rule 4 step:
 * its lines are most of a run's work, and with one chunk per licence the last large licence kept
 * one worker busy while the other had nothing left to do (docs/benchmarks.md, "Royalty run").
 */
export const USAGE_LICENCE_RANGES = 4;

const rule4Key = (licenceId: string): string => `${licenceId}/rule4`;
const rangeKey = (licenceId: string, part: number, parts: number): string => `${licenceId}/${part}of${parts}`;

/**
 * The works of range `part` (1..parts) of a licence: work IDs whose first 32 bits fall in the
 * part-th of `parts` equal slices (inclusive bounds; the slices cover every UUID exactly once, and
 * uuid order in PostgreSQL is the order of their bytes).
 */
export function workRange(part: number, parts: number): { lo: string; hi: string } {
  const span = 2 ** 32;
  const a = Math.floor(((part - 1) * span) / parts);
  const b = Math.floor((part * span) / parts) - 1;
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return { lo: `${hex(a)}-0000-0000-0000-000000000000`, hi: `${hex(b)}-ffff-ffff-ffff-ffffffffffff` };
}

/**
 * The order of a run's chunk jobs (workers take them first in, first out): the first range of
 * every split licence (each also does its licence's rule 4, the largest single step), then the
 * whole-licence chunks, then the other ranges round-robin, so that both workers end together.
 */
export function chunkJobOrder(chunks: readonly ChunkPlan[]): ChunkPlan[] {
  const sorted = [...chunks].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const ranges = (p: number) => sorted.filter((c) => c.parts != null && c.part === p);
  const maxParts = Math.max(0, ...sorted.map((c) => c.parts ?? 0));
  const out = [...ranges(1), ...sorted.filter((c) => c.parts == null)];
  for (let p = 2; p <= maxParts; p++) out.push(...ranges(p));
  return out;
}

/** The chunks of one licence: whole, or (distributed by usage) its rule 4 step and its ranges. */
function chunksOf(licenceId: string, distributionKey: 'usage' | 'equal'): ChunkPlan[] {
  if (distributionKey !== 'usage') return [{ key: licenceId, licenceId }];
  const parts = USAGE_LICENCE_RANGES;
  return [
    { key: rule4Key(licenceId), licenceId, part: 0, parts },
    ...Array.from({ length: parts }, (_, i) => ({ key: rangeKey(licenceId, i + 1, parts), licenceId, part: i + 1, parts })),
  ];
}

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
 * The worker side of a royalty run: plan (one chunk per licence; a `usage` licence's works in
 * ranges), compute each chunk in one transaction (its lines, figures and completion together),
 * finalize (totals, status computed). A range first makes sure its licence's rule 4 step is done
 * (its own transaction: work amounts, figures, adjustments for earlier periods, completion), then
 * writes its works' lines from them. Every step re-reads the run and does nothing for an older
 * generation or a run that moved on, and each chunk row is locked and done once, so retried,
 * duplicated or stale jobs change nothing.
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

  /** Plans the run's chunks (idempotent) and adds the flow: finalize over one job per licence or range. */
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
        .flatMap((l) => chunksOf(l.id, l.distributionKey));
      // Licences that were never paid but have postings (cannot happen today) are planned too.
      for (const id of postedBy.keys()) if (!planned.some((c) => c.licenceId === id)) planned.push({ key: id, licenceId: id });
      await this.runs.plan(em, runId, generation, planned, at);
      return planned.map((c) => ({ ...c, status: 'pending' }));
    });
    if (!chunks) return;
    // A rule 4 step has no job: the first of its licence's ranges to run does it.
    const jobs = chunkJobOrder(chunks.filter((c) => c.part !== 0));
    const data = (chunk?: string): RoyaltyRunJob => ({ runId, generation, ...(chunk ? { chunk } : {}) });
    await this.flows.add({
      name: 'finalize',
      queueName: QUEUES.royaltyRuns,
      data: data(),
      opts: { jobId: royaltyJobId(runId, generation, 'finalize') },
      children: jobs.map((c) => ({
        name: 'chunk',
        queueName: QUEUES.royaltyRuns,
        data: data(c.key),
        opts: { jobId: royaltyJobId(runId, generation, c.key) },
      })),
    });
  }

  /** One chunk: a licence (its lines for the run's period and its corrections), or one range of a licence's works; in one transaction. */
  async computeChunk(runId: string, generation: number, chunkKey: string): Promise<void> {
    const info = await this.runs.findChunk(runId, generation, chunkKey);
    if (info?.parts != null) {
      if (info.status === 'done') return;
      await this.computeRule4(runId, generation, info.licenceId);
      // A rule 4 step has no job of its own; should one come, the step is all it does.
      if (info.part === 0) return;
      return this.computeRange(runId, generation, chunkKey);
    }
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

  /**
   * A split licence's rule 4 step, once (its chunk row locked and then done): the work amounts of
   * the run's period, its figures, and its adjustment lines for earlier periods, in one transaction.
   */
  private async computeRule4(runId: string, generation: number, licenceId: string): Promise<void> {
    const at = await this.clock.now();
    await this.dataSource.transaction(async (em) => {
      const run = await this.runs.lock(em, runId, 'share');
      if (!run || run.generation !== generation || run.status !== 'computing') return;
      const chunk = await this.runs.lockChunk(em, runId, generation, rule4Key(licenceId));
      if (!chunk || chunk.status === 'done') return;
      await this.runs.clearChunkOutput(em, runId, licenceId);
      await this.computation.clearWorkAmounts(em, runId, licenceId);
      await this.computation.tuneForChunk(em);
      const lineCount = await this.computeLicence(em, run.id, run.period, licenceId, 'work-amounts');
      await this.runs.completeChunk(em, runId, generation, rule4Key(licenceId), lineCount, at);
    });
  }

  /** One range of a split licence's works: rules 5–6 from its work amounts, lines and completion in one transaction. */
  private async computeRange(runId: string, generation: number, chunkKey: string): Promise<void> {
    const at = await this.clock.now();
    await this.dataSource.transaction(async (em) => {
      const run = await this.runs.lock(em, runId, 'share');
      if (!run || run.generation !== generation || run.status !== 'computing') return;
      const chunk = await this.runs.lockChunk(em, runId, generation, chunkKey);
      if (!chunk || chunk.status === 'done' || !chunk.part || !chunk.parts) return;
      const rule4 = await this.runs.lockChunk(em, runId, generation, rule4Key(chunk.licenceId), 'share');
      if (rule4?.status !== 'done') throw new Error(`royalty run ${runId}: rule 4 of licence ${chunk.licenceId} not done before its range ${chunkKey}`);
      const [licence] = await this.computation.paidLicences(em, [chunk.licenceId]);
      let lineCount = 0;
      // A licence that was never paid has no work amounts (its rule 4 step wrote nothing).
      if (licence) {
        const { lo, hi } = workRange(chunk.part, chunk.parts);
        await this.computation.clearRangeLines(em, runId, run.period, chunk.licenceId, lo, hi);
        await this.computation.tuneForChunk(em);
        const written = await this.computation.insertRangeLines(em, { runId, period: run.period, licenceId: chunk.licenceId, periodEnd: periodEnd(run.period), currency: licence.currency, lo, hi,
          // |net| ≤ |recognised| ≤ |paid − refunded| ≤ paid + refunded bounds every work amount.
          maxAmount: licence.amountPaidMinor + licence.amountRefundedMinor });
        this.assertAddsUp(chunk.licenceId, run.period, written, written.expected);
        lineCount = written.count;
      }
      await this.runs.completeChunk(em, runId, generation, chunkKey, lineCount, at);
    });
  }

  /**
   * Rules 1–7 for one licence. The run period's lines are written here (`lines`), or only its work
   * amounts (`work-amounts`: rule 4, the lines then come from the licence's ranges).
   */
  private async computeLicence(em: EntityManager, runId: string, runPeriod: Period, licenceId: string, current: 'lines' | 'work-amounts' = 'lines'): Promise<number> {
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
        const written = current === 'lines' ? await this.computation.insertCurrentLines(em, { ...job, net: R - f }) : await this.computation.insertWorkAmounts(em, { ...job, net: R - f });
        this.assertAddsUp(licenceId, q, written, R - f);
        if (current === 'lines') lineCount += written.count;
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
