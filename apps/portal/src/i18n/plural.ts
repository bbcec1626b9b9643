/**
 * The plural category of a count, per language: French treats 0 and 1 as singular ("0 ligne
 * refusée"), English only 1 ("0 rows"). Counts may arrive as strings of digits (API counters).
 */
export type PluralForm = 'one' | 'other';

export function pluralForm(lang: 'en' | 'fr', count: number | string | bigint): PluralForm {
  const text = String(count).trim();
  if (!/^-?\d+$/.test(text)) return 'other';
  const abs = text.replace(/^-/, '').replace(/^0+(?=\d)/, '');
  if (lang === 'fr') return abs === '0' || abs === '1' ? 'one' : 'other';
  return abs === '1' ? 'one' : 'other';
}
