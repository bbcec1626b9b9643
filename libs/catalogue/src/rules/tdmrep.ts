import type { ConsentState } from './consent';

/** One rule of /.well-known/tdmrep.json (W3C TDMRep): reserved unless training is consented. */
export interface TdmRepRule {
  location: string;
  'tdm-reservation': 0 | 1;
  'tdm-policy'?: string;
}

export function tdmRepRuleOf(sourceUrl: string, c: ConsentState, licensable: boolean, policyUrl: string): TdmRepRule {
  const open = licensable && c.train;
  return open ? { location: sourceUrl, 'tdm-reservation': 0 } : { location: sourceUrl, 'tdm-reservation': 1, 'tdm-policy': policyUrl };
}
