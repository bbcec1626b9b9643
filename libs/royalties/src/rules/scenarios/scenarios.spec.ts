import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asExpected, balancesAfter, runScenario, type ExpectedRun, type ScenarioFile } from './scenario-runner';

const dir = __dirname;
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

/** Order-insensitive comparison: sort every list by its JSON. */
function normalise(e: ExpectedRun): ExpectedRun {
  const sort = <T>(xs: T[] | undefined) => (xs ? [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : undefined);
  const out: ExpectedRun = { totals: sort(e.totals)!, lines: sort(e.lines)! };
  if (e.adjustments?.length) out.adjustments = sort(e.adjustments);
  if (e.adjustmentTotals?.length) out.adjustmentTotals = sort(e.adjustmentTotals);
  if (e.balances) out.balances = e.balances;
  return out;
}

describe('distribution rules: scenario files', () => {
  it('has the scenarios the issue asks for', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  describe.each(files)('%s', (file) => {
    const scenario = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ScenarioFile;
    const results = runScenario(scenario);

    it.each(scenario.runs.map((r, i) => [r.period, i] as const))('run %s gives the expected statement figures', (_period, i) => {
      const expected = scenario.runs[i].expect;
      const actual = asExpected(results[i], expected.balances ? balancesAfter(results, i) : undefined);
      expect(normalise(actual)).toEqual(normalise(expected));
    });

    it('recognised = fee + Σ lines for every licence and period, adjustments included', () => {
      for (const r of results) {
        for (const t of r.current.totals) {
          const lines = r.current.lines.filter((l) => l.licenceId === t.licenceId).reduce((a, l) => a + l.amount, 0n);
          expect(t.recognised).toBe(t.fee + lines);
        }
        for (const t of r.adjustmentTotals) {
          const lines = r.adjustments.filter((l) => l.licenceId === t.licenceId && l.originalPeriod === t.originalPeriod).reduce((a, l) => a + l.amount, 0n);
          expect(t.recognised).toBe(t.fee + lines);
        }
      }
    });
  });
});
