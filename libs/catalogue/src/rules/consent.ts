/** A work's consent: per use, plus commercial licensees, the collective licence and excluded organisations. */
export interface ConsentState {
  train: boolean;
  fineTune: boolean;
  retrieval: boolean;
  evaluation: boolean;
  commercial: boolean;
  collective: boolean;
  excludedOrganisationIds: string[];
}

/** Fairshare is opt-in: a new work allows nothing. */
export const NO_CONSENT: ConsentState = Object.freeze({
  train: false,
  fineTune: false,
  retrieval: false,
  evaluation: false,
  commercial: false,
  collective: false,
  excludedOrganisationIds: [],
}) as ConsentState;

export const anyUseAllowed = (c: ConsentState): boolean => c.train || c.fineTune || c.retrieval || c.evaluation;

/** The uses a consent allows, in the vocabulary of licences (`train`, `fine_tune`, …). */
export function usesAllowed(c: ConsentState): ('train' | 'fine_tune' | 'retrieval' | 'evaluation')[] {
  const out: ('train' | 'fine_tune' | 'retrieval' | 'evaluation')[] = [];
  if (c.train) out.push('train');
  if (c.fineTune) out.push('fine_tune');
  if (c.retrieval) out.push('retrieval');
  if (c.evaluation) out.push('evaluation');
  return out;
}

/** Normalises an input consent: organisation IDs lower-cased, de-duplicated and sorted. */
export function normaliseConsent(c: ConsentState): ConsentState {
  return { ...c, excludedOrganisationIds: [...new Set(c.excludedOrganisationIds.map((s) => s.toLowerCase()))].sort() };
}
