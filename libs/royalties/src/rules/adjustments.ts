import type { Period } from '@fairshare/domain';
import type { HolderKind, LicencePeriodTotal, RoyaltyLine } from './types';

/** What an adjustment carries: the difference, tagged with the period it belongs to. */
export interface AdjustmentLine extends RoyaltyLine {
  readonly originalPeriod: Period;
}
export interface AdjustmentTotal extends LicencePeriodTotal {
  readonly originalPeriod: Period;
}

const lineKey = (l: Pick<RoyaltyLine, 'period' | 'licenceId' | 'workId' | 'holderKey'>) => `${l.period}|${l.licenceId}|${l.workId}|${l.holderKey}`;

/**
 * Rule 7 — corrections. `previouslyPosted`: every line posted so far (original lines and earlier
 * adjustments, each with `period` = the period it belongs to); `now`: the lines the rules give for
 * the same periods with today's data. Returns, per (period, licence, work, holder), the difference
 * now − posted when it is not zero, as an adjustment line tagged with its original period. Units
 * and consent record are those of now (or of the posted line when the holder has left).
 */
export function adjustments(previouslyPosted: ReadonlyArray<RoyaltyLine>, now: ReadonlyArray<RoyaltyLine>): AdjustmentLine[] {
  const posted = new Map<string, { sum: bigint; line: RoyaltyLine }>();
  for (const l of previouslyPosted) {
    const k = lineKey(l);
    const prev = posted.get(k);
    posted.set(k, { sum: (prev?.sum ?? 0n) + l.amount, line: l });
  }
  const current = new Map<string, { sum: bigint; line: RoyaltyLine }>();
  for (const l of now) {
    const k = lineKey(l);
    const prev = current.get(k);
    current.set(k, { sum: (prev?.sum ?? 0n) + l.amount, line: l });
  }
  const out: AdjustmentLine[] = [];
  const keys = new Set([...posted.keys(), ...current.keys()]);
  for (const k of [...keys].sort()) {
    const p = posted.get(k);
    const c = current.get(k);
    const diff = (c?.sum ?? 0n) - (p?.sum ?? 0n);
    if (diff === 0n) continue;
    const base = (c ?? p)!.line;
    out.push({
      ...base,
      holderKind: base.holderKind as HolderKind,
      units: c ? c.line.units : 0n,
      amount: diff,
      originalPeriod: base.period,
    });
  }
  return out;
}

/** Rule 7 for the (period, licence) figures: recognised and fee differences, non-zero only. */
export function totalAdjustments(previouslyPosted: ReadonlyArray<LicencePeriodTotal>, now: ReadonlyArray<LicencePeriodTotal>): AdjustmentTotal[] {
  const key = (t: LicencePeriodTotal) => `${t.period}|${t.licenceId}`;
  const sum = (list: ReadonlyArray<LicencePeriodTotal>) => {
    const m = new Map<string, { r: bigint; f: bigint; t: LicencePeriodTotal }>();
    for (const t of list) {
      const prev = m.get(key(t));
      m.set(key(t), { r: (prev?.r ?? 0n) + t.recognised, f: (prev?.f ?? 0n) + t.fee, t });
    }
    return m;
  };
  const p = sum(previouslyPosted);
  const c = sum(now);
  const out: AdjustmentTotal[] = [];
  for (const k of [...new Set([...p.keys(), ...c.keys()])].sort()) {
    const r = (c.get(k)?.r ?? 0n) - (p.get(k)?.r ?? 0n);
    const f = (c.get(k)?.f ?? 0n) - (p.get(k)?.f ?? 0n);
    if (r === 0n && f === 0n) continue;
    const base = (c.get(k) ?? p.get(k))!.t;
    out.push({ period: base.period, licenceId: base.licenceId, currency: base.currency, recognised: r, fee: f, net: r - f, originalPeriod: base.period });
  }
  return out;
}
