import type { ConsentState } from './consent';

/**
 * RSL 1.0 (Really Simple Licensing) documents for a catalogue. Usage tokens come from the RSL
 * vocabulary; Fairshare's uses map onto them as documented in docs/consent.md:
 * - `ai-train`: train AND fine_tune both consented (RSL's token covers both);
 * - `ai-input`: retrieval (RAG / model input at inference);
 * - `ai-all`: every Fairshare use consented (train, fine_tune, retrieval, evaluation);
 * - `ai-index`, `search`: not Fairshare uses; never permitted (prohibited when anything AI is).
 * Anything not fully consented is prohibited: a partial consent (e.g. train without fine_tune,
 * or evaluation alone) is licensable only through Fairshare's licence terms, not by the token.
 */
export const RSL_NAMESPACE = 'https://rslstandard.org/rsl';
export const RSL_USAGE_TOKENS = ['all', 'ai-all', 'ai-train', 'ai-input', 'ai-index', 'search'] as const;
export type RslUsage = (typeof RSL_USAGE_TOKENS)[number];
export const RSL_USER_TOKENS = ['commercial', 'non-commercial', 'education', 'government', 'personal'] as const;
export const RSL_ELEMENTS = ['rsl', 'content', 'license', 'permits', 'prohibits', 'payment', 'standard', 'custom', 'amount', 'legal', 'schema', 'copyright', 'terms'] as const;

export interface RslTerms {
  permits: RslUsage[];
  prohibits: RslUsage[];
  /** User types prohibited (commercial when commercial licensees are not consented). */
  prohibitsUser: (typeof RSL_USER_TOKENS)[number][];
}

/** The RSL usage terms of a work; `licensable` false (disputed, rejected) prohibits every AI use. */
export function rslTermsOf(c: ConsentState, licensable: boolean): RslTerms {
  const train = licensable && c.train && c.fineTune;
  const input = licensable && c.retrieval;
  const all = licensable && c.train && c.fineTune && c.retrieval && c.evaluation;
  if (all) return { permits: ['ai-all'], prohibits: [], prohibitsUser: c.commercial ? [] : ['commercial'] };
  const permits: RslUsage[] = [];
  if (train) permits.push('ai-train');
  if (input) permits.push('ai-input');
  const prohibits: RslUsage[] = permits.length === 0 ? ['ai-all'] : [...(train ? [] : ['ai-train' as const]), ...(input ? [] : ['ai-input' as const]), 'ai-index'];
  return { permits, prohibits, prohibitsUser: c.commercial || permits.length === 0 ? [] : ['commercial'] };
}

export interface RslPayment {
  type: string;
  /** URL of the rate card / offer. */
  custom?: string;
  amount?: { value: string; currency: string };
}

export interface RslContent {
  url: string;
  terms?: string;
  license: RslTerms;
  payment?: RslPayment[];
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text and attribute values; drops characters XML 1.0 cannot carry. */
export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

export function renderRslContent(c: RslContent): string {
  const lines = [`  <content url="${xmlEscape(c.url)}">`];
  if (c.terms) lines.push(`    <terms>${xmlEscape(c.terms)}</terms>`);
  lines.push('    <license>');
  if (c.license.permits.length) lines.push(`      <permits type="usage">${c.license.permits.join(' ')}</permits>`);
  if (c.license.prohibits.length) lines.push(`      <prohibits type="usage">${c.license.prohibits.join(' ')}</prohibits>`);
  if (c.license.prohibitsUser.length) lines.push(`      <prohibits type="user">${c.license.prohibitsUser.join(' ')}</prohibits>`);
  for (const p of c.payment ?? []) {
    lines.push(`      <payment type="${xmlEscape(p.type)}">`);
    if (p.custom) lines.push(`        <custom>${xmlEscape(p.custom)}</custom>`);
    if (p.amount) lines.push(`        <amount currency="${xmlEscape(p.amount.currency)}">${xmlEscape(p.amount.value)}</amount>`);
    lines.push('      </payment>');
  }
  lines.push('    </license>', '  </content>');
  return lines.join('\n') + '\n';
}

export const RSL_HEADER = `<?xml version="1.0" encoding="UTF-8"?>\n<rsl xmlns="${RSL_NAMESPACE}">\n`;
export const RSL_FOOTER = '</rsl>\n';

/** An active collective offer, as far as RSL needs to know it. */
export interface RslOffer {
  url: string;
  uses: readonly string[];
  commercial: boolean;
  /** The price in the currency's major unit, as text ("1000.00"). */
  price: string;
  currency: string;
}

/**
 * The payment terms of a work: every active collective offer that would include it under its
 * current consent (all the offer's uses consented, collective, commercial if the offer is), as an
 * RSL `purchase` with the offer's URL and price. Dataset offers are negotiated per list of works and
 * are not advertised here.
 */
export function rslPaymentsFor(c: ConsentState, licensable: boolean, offers: readonly RslOffer[]): RslPayment[] {
  if (!licensable || !c.collective) return [];
  const allowed: Record<string, boolean> = { train: c.train, fine_tune: c.fineTune, retrieval: c.retrieval, evaluation: c.evaluation };
  return offers
    .filter((o) => o.uses.every((u) => allowed[u] === true) && (!o.commercial || c.commercial))
    .map((o) => ({ type: 'purchase', custom: o.url, amount: { value: o.price, currency: o.currency } }));
}
