import type { Period } from '@fairshare/domain';
import { fee } from './fee';
import { holderShares } from './holder-shares';
import { recognise } from './recognise';
import type { LicencePeriodInput, LicencePeriodTotal, PeriodInput, PeriodResult, RoyaltyLine, HolderShare } from './types';
import { usesUnits, workShares } from './work-shares';

export class RuleInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Rules 2 to 6 for one licence and one period: recognised amount, fee, then one line per
 * (work, holder): under the equal key every manifest work has lines, under the usage key every
 * work with units (even when its share rounds to zero, so a statement shows every use).
 */
export function computeLicencePeriod(
  period: Period,
  l: LicencePeriodInput,
  sharesByWork: ReadonlyMap<string, ReadonlyArray<HolderShare>>,
): { total: LicencePeriodTotal; lines: RoyaltyLine[] } {
  const recognised = recognise(l, [period]).get(period)!;
  const f = fee(recognised, l.adminFeeBps);
  const net = recognised - f;
  const total: LicencePeriodTotal = { period, licenceId: l.id, currency: l.currency, recognised, fee: f, net };
  const lines: RoyaltyLine[] = [];
  if (recognised === 0n) return { total, lines };
  if (l.manifest.length === 0) {
    throw new RuleInputError('EMPTY_MANIFEST', `Licence ${l.id} recognises revenue in ${period} but has no works.`);
  }
  const byUnits = usesUnits(l.distributionKey, l.manifest, l.unitsByWork);
  const perWork = workShares(net, l.distributionKey, l.manifest, l.unitsByWork);
  for (const m of l.manifest) {
    const amount = perWork.get(m.workId)!;
    const units = l.unitsByWork.get(m.workId) ?? 0n;
    if (byUnits && units === 0n) continue;
    const shares = sharesByWork.get(m.workId);
    if (!shares || shares.length === 0) {
      throw new RuleInputError('NO_SPLIT', `Work ${m.workId} has no rights holders in ${period}.`);
    }
    for (const [holderKey, part] of holderShares(amount, shares)) {
      const s = shares.find((x) => x.holderKey === holderKey)!;
      lines.push({
        period,
        licenceId: l.id,
        currency: l.currency,
        workId: m.workId,
        holderKey,
        holderKind: s.holderKind,
        units,
        amount: part,
        consentRecordId: m.consentRecordId,
      });
    }
  }
  return { total, lines };
}

/** Rules 2 to 6 for every licence of a period (a licence that recognises nothing in it has no figures). */
export function computePeriod(input: PeriodInput): PeriodResult {
  const totals: LicencePeriodTotal[] = [];
  const lines: RoyaltyLine[] = [];
  for (const l of input.licences) {
    const r = computeLicencePeriod(input.period, l, input.sharesByWork);
    if (r.total.recognised === 0n) continue;
    totals.push(r.total);
    lines.push(...r.lines);
  }
  return { totals, lines };
}
