/** The portal's plural rule (apps/portal is outside jest's paths; its pure helpers are tested from here). */
import { en } from '../../apps/portal/src/i18n/en';
import { fr } from '../../apps/portal/src/i18n/fr';
import { pluralForm } from '../../apps/portal/src/i18n/plural';

describe('pluralForm', () => {
  it('French: 0 and 1 are singular, 2 and more plural', () => {
    expect([0, 1, 2, 10, 21].map((n) => pluralForm('fr', n))).toEqual(['one', 'one', 'other', 'other', 'other']);
  });
  it('English: only 1 is singular', () => {
    expect([0, 1, 2, 11].map((n) => pluralForm('en', n))).toEqual(['other', 'one', 'other', 'other']);
  });
  it('reads counts sent as strings of digits (API counters), leading zeros and signs included', () => {
    expect(pluralForm('en', '1')).toBe('one');
    expect(pluralForm('en', '01')).toBe('one');
    expect(pluralForm('fr', '-1')).toBe('one');
    expect(pluralForm('fr', '12345678901234567890')).toBe('other');
    expect(pluralForm('en', 1n)).toBe('one');
    expect(pluralForm('en', '1+')).toBe('other');
  });
  it('every count label with a singular has its plural, in both languages', () => {
    for (const dict of [en, fr] as Record<string, string>[]) {
      const keys = Object.keys(dict);
      for (const k of keys.filter((x) => x.endsWith('.one'))) expect(keys).toContain(k.replace(/\.one$/, '.other'));
    }
  });
});
