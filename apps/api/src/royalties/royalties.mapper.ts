import type { RoyaltyLineRow, RoyaltyRunRow, RunCreatorRow } from '@fairshare/persistence';
import type { Statement, StatementSummary } from '@fairshare/royalties';

/** Percent of chunks done: 100 once computed. */
export function percentOf(run: RoyaltyRunRow): number {
  if (['computed', 'approved', 'posted'].includes(run.status)) return 100;
  if (run.status !== 'computing' || !run.chunksTotal) return 0;
  return Math.floor((run.chunksDone * 100) / run.chunksTotal);
}

export function toRoyaltyRun(run: RoyaltyRunRow) {
  return {
    id: run.id,
    period: run.period,
    status: run.status,
    percent: percentOf(run),
    chunks: { done: run.chunksDone, total: run.chunksTotal },
    rulesVersion: run.rulesVersion,
    generation: run.generation,
    totals: Object.entries(run.totals ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, t]) => ({
        currency,
        recognised: t.recognised.toString(),
        fees: t.fees.toString(),
        distributed: t.distributed.toString(),
        adjustments: t.adjustments.toString(),
      })),
    createdBy: run.createdBy,
    createdByName: run.createdByName ?? null,
    createdAt: run.createdAt.toISOString(),
    recomputedBy: run.recomputedBy,
    recomputedByName: run.recomputedByName ?? null,
    recomputedAt: run.recomputedAt?.toISOString() ?? null,
    computedAt: run.computedAt?.toISOString() ?? null,
    approvedBy: run.approvedBy,
    approvedByName: run.approvedByName ?? null,
    approvedAt: run.approvedAt?.toISOString() ?? null,
    postedAt: run.postedAt?.toISOString() ?? null,
    journalEntryId: run.journalEntryId,
    error: run.errorCode ? { code: run.errorCode, message: run.errorMessage } : null,
  };
}

export function toRunCreator(c: RunCreatorRow) {
  return { creatorId: c.creatorId, name: c.name, lineCount: c.lineCount, totals: c.totals.map((t) => ({ currency: t.currency, amount: t.amount.toString() })) };
}

export function toRoyaltyLine(l: RoyaltyLineRow) {
  return {
    period: l.period,
    originalPeriod: l.originalPeriod,
    isAdjustment: l.isAdjustment,
    licenceId: l.licenceId,
    workId: l.workId,
    workTitle: l.workTitle ?? null,
    organisationName: l.organisationName ?? null,
    holderKey: l.holderKey,
    holderKind: l.holderKind,
    holderName: l.holderName ?? null,
    consentRecordId: l.consentRecordId,
    units: l.units.toString(),
    currency: l.currency,
    amount: l.amount.toString(),
  };
}

export function toStatementSummary(s: StatementSummary) {
  return {
    runId: s.runId,
    period: s.period,
    status: s.status,
    postedAt: s.postedAt?.toISOString() ?? null,
    totals: s.totals.map((t) => ({ currency: t.currency, royalties: t.royalties.toString(), adjustments: t.adjustments.toString(), total: t.total.toString() })),
  };
}

export function toStatement(s: Statement) {
  return {
    runId: s.run.id,
    period: s.run.period,
    status: s.run.status,
    rulesVersion: s.run.rulesVersion,
    creatorId: s.creatorId,
    totals: s.totals.map((t) => ({ currency: t.currency, royalties: t.royalties.toString(), adjustments: t.adjustments.toString(), total: t.total.toString() })),
    byLicence: s.byLicence.map((t) => ({ licenceId: t.licenceId, organisationName: t.organisationName ?? null, currency: t.currency, amount: t.amount.toString() })),
    byWork: s.byWork.map((t) => ({ workId: t.workId, workTitle: t.workTitle ?? null, currency: t.currency, amount: t.amount.toString() })),
    lines: s.lines.map(toRoyaltyLine),
    adjustments: s.adjustments.map(toRoyaltyLine),
  };
}

export function encodeCursor(l: RoyaltyLineRow): string {
  return Buffer.from(JSON.stringify([l.licenceId, l.originalPeriod, l.workId, l.holderKey])).toString('base64url');
}

export function decodeCursor(c: string | undefined): { licenceId: string; originalPeriod: string; workId: string; holderKey: string } | undefined {
  if (!c) return undefined;
  try {
    const [licenceId, originalPeriod, workId, holderKey] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as string[];
    return { licenceId, originalPeriod, workId, holderKey };
  } catch {
    return undefined;
  }
}
