import { periodEnd, type Period } from '@fairshare/domain';
import { adjustments, totalAdjustments, type AdjustmentLine, type AdjustmentTotal } from '../adjustments';
import { computePeriod } from '../compute-period';
import { resolveShares, type StoredShare } from '../holder-shares';
import { netPaid } from '../net-paid';
import type { DistributionKey, HolderShare, LicencePeriodInput, LicencePeriodTotal, PeriodResult, RoyaltyLine } from '../types';

/**
 * Scenario files (JSON): a small world that changes over time (payments, refunds, usage reports,
 * invitations, splits) and a list of royalty runs, each approved right after it is computed, with
 * the statement figures each run must give. The runner applies the rules exactly as the engine
 * does: a run for period p sees the data as it stands at the run's time, computes p, and re-computes
 * every earlier approved period, posting the differences as adjustments (rule 7).
 */
export interface ScenarioFile {
  name: string;
  description: string;
  works: { id: string; owner: string; splits: { effectiveAt: string; shares: ({ creator: string; bps: number } | { invitation: string; bps: number })[] }[] }[];
  invitations?: { id: string; acceptedBy?: string; acceptedAt?: string }[];
  licences: {
    id: string;
    currency: string;
    paidMinor: string;
    startsAt: string;
    termDays: number | null;
    adminFeeBps: number;
    distributionKey: DistributionKey;
    manifest: { work: string; consent: string }[];
    refunds?: { at: string; amountMinor: string; revokes?: boolean }[];
    disputeLost?: { at: string; amountMinor: string };
  }[];
  reports?: { id: string; licence: string; period: Period; processedAt: string; supersedes?: string; units: Record<string, string> }[];
  runs: { period: Period; at: string; expect: ExpectedRun }[];
}

export interface ExpectedRun {
  totals: { licence: string; recognised: string; fee: string; net: string }[];
  lines: { licence: string; work: string; holder: string; units: string; amount: string; consent: string }[];
  adjustments?: { originalPeriod: Period; licence: string; work: string; holder: string; amount: string }[];
  adjustmentTotals?: { originalPeriod: Period; licence: string; recognised: string; fee: string }[];
  /** Per holder, everything posted so far over all runs, by currency. */
  balances?: Record<string, Record<string, string>>;
}

export interface RunResult {
  period: Period;
  current: PeriodResult;
  adjustments: AdjustmentLine[];
  adjustmentTotals: AdjustmentTotal[];
}

const DAY_MS = 86_400_000;

/** The rules' input for period `p` with the data as it stands at `at`. */
export function periodInput(s: ScenarioFile, p: Period, at: Date) {
  const end = periodEnd(p);
  const invitations = new Map((s.invitations ?? []).map((i) => [i.id, i]));
  const sharesByWork = new Map<string, HolderShare[]>();
  for (const w of s.works) {
    const split = w.splits
      .filter((x) => new Date(x.effectiveAt).getTime() < end.getTime())
      .sort((a, b) => Date.parse(b.effectiveAt) - Date.parse(a.effectiveAt))[0];
    const stored: StoredShare[] = split
      ? split.shares.map((sh) => {
          if ('creator' in sh) return { creatorId: sh.creator, invitationId: null, shareBps: sh.bps };
          const inv = invitations.get(sh.invitation);
          const acceptedAt = inv?.acceptedAt && Date.parse(inv.acceptedAt) <= at.getTime() ? new Date(inv.acceptedAt) : null;
          return { creatorId: null, invitationId: sh.invitation, acceptedBy: acceptedAt ? inv!.acceptedBy : null, acceptedAt, shareBps: sh.bps };
        })
      : [{ creatorId: w.owner, invitationId: null, shareBps: 10000 }];
    sharesByWork.set(w.id, resolveShares(stored, end));
  }
  const visibleReports = (s.reports ?? []).filter((r) => Date.parse(r.processedAt) <= at.getTime());
  const superseded = new Set(visibleReports.map((r) => r.supersedes).filter(Boolean));
  const licences: LicencePeriodInput[] = s.licences
    .filter((l) => Date.parse(l.startsAt) <= at.getTime())
    .map((l) => {
      const refunds = (l.refunds ?? []).filter((r) => Date.parse(r.at) <= at.getTime());
      const refunded = refunds.reduce((a, r) => a + BigInt(r.amountMinor), 0n);
      const lost = l.disputeLost && Date.parse(l.disputeLost.at) <= at.getTime() ? BigInt(l.disputeLost.amountMinor) : 0n;
      const revoking = refunds.find((r) => r.revokes);
      const startsAt = new Date(l.startsAt);
      const unitsByWork = new Map<string, bigint>();
      for (const r of visibleReports) {
        if (r.licence !== l.id || r.period !== p || superseded.has(r.id)) continue;
        for (const [w, u] of Object.entries(r.units)) unitsByWork.set(w, (unitsByWork.get(w) ?? 0n) + BigInt(u));
      }
      return {
        id: l.id,
        currency: l.currency,
        netPaidMinor: netPaid(BigInt(l.paidMinor), refunded, lost),
        startsAt,
        endsAt: l.termDays === null ? null : new Date(startsAt.getTime() + l.termDays * DAY_MS),
        revokedAt: revoking ? new Date(revoking.at) : null,
        adminFeeBps: l.adminFeeBps,
        distributionKey: l.distributionKey,
        manifest: l.manifest.map((m) => ({ workId: m.work, consentRecordId: m.consent })),
        unitsByWork,
      };
    });
  return { period: p, licences, sharesByWork };
}

/** Runs every run of the scenario in order, each approved (posted) before the next. */
export function runScenario(s: ScenarioFile): RunResult[] {
  const postedLines: RoyaltyLine[] = [];
  const postedTotals: LicencePeriodTotal[] = [];
  const approved: Period[] = [];
  const results: RunResult[] = [];
  for (const run of s.runs) {
    const at = new Date(run.at);
    const current = computePeriod(periodInput(s, run.period, at));
    const adj: AdjustmentLine[] = [];
    const adjTotals: AdjustmentTotal[] = [];
    for (const q of approved) {
      const now = computePeriod(periodInput(s, q, at));
      adj.push(...adjustments(postedLines.filter((l) => l.period === q), now.lines));
      adjTotals.push(...totalAdjustments(postedTotals.filter((t) => t.period === q), now.totals));
    }
    postedLines.push(...current.lines, ...adj);
    postedTotals.push(...current.totals, ...adjTotals);
    approved.push(run.period);
    results.push({ period: run.period, current, adjustments: adj, adjustmentTotals: adjTotals });
  }
  return results;
}

/** The figures of a run in the shape of ExpectedRun, for comparison with the file. */
export function asExpected(r: RunResult, balances?: Record<string, Record<string, string>>): ExpectedRun {
  const out: ExpectedRun = {
    totals: r.current.totals.map((t) => ({ licence: t.licenceId, recognised: String(t.recognised), fee: String(t.fee), net: String(t.net) })),
    lines: r.current.lines.map((l) => ({ licence: l.licenceId, work: l.workId, holder: l.holderKey, units: String(l.units), amount: String(l.amount), consent: l.consentRecordId })),
  };
  if (r.adjustments.length) {
    out.adjustments = r.adjustments.map((a) => ({ originalPeriod: a.originalPeriod, licence: a.licenceId, work: a.workId, holder: a.holderKey, amount: String(a.amount) }));
  }
  if (r.adjustmentTotals.length) {
    out.adjustmentTotals = r.adjustmentTotals.map((a) => ({ originalPeriod: a.originalPeriod, licence: a.licenceId, recognised: String(a.recognised), fee: String(a.fee) }));
  }
  if (balances) out.balances = balances;
  return out;
}

/** Per holder and currency, the sum of everything posted up to and including run `upTo`. */
export function balancesAfter(results: RunResult[], upTo: number): Record<string, Record<string, string>> {
  const b: Record<string, Record<string, bigint>> = {};
  for (const r of results.slice(0, upTo + 1)) {
    for (const l of [...r.current.lines, ...r.adjustments]) {
      b[l.holderKey] ??= {};
      b[l.holderKey][l.currency] = (b[l.holderKey][l.currency] ?? 0n) + l.amount;
    }
  }
  const out: Record<string, Record<string, string>> = {};
  for (const h of Object.keys(b).sort()) {
    out[h] = {};
    for (const c of Object.keys(b[h]).sort()) out[h][c] = String(b[h][c]);
  }
  return out;
}
