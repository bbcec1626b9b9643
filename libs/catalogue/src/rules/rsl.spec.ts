import { NO_CONSENT } from './consent';
import { renderRslContent, RSL_USAGE_TOKENS, rslPaymentsFor, rslTermsOf, xmlEscape } from './rsl';
import { tdmRepRuleOf } from './tdmrep';

const c = (patch: Partial<typeof NO_CONSENT>) => ({ ...NO_CONSENT, ...patch });

describe('RSL terms from consent', () => {
  it.each([
    [{}, true, [], ['ai-all'], []],
    [{ train: true }, true, [], ['ai-all'], []],
    [{ train: true, fineTune: true, commercial: true }, true, ['ai-train'], ['ai-input', 'ai-index'], []],
    [{ retrieval: true }, true, ['ai-input'], ['ai-train', 'ai-index'], ['commercial']],
    [{ train: true, fineTune: true, retrieval: true }, true, ['ai-train', 'ai-input'], ['ai-index'], ['commercial']],
    [{ train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true }, true, ['ai-all'], [], []],
    [{ train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true }, false, [], ['ai-all'], []],
  ])('%j (licensable %s) → permits %j, prohibits %j, user %j', (patch, licensable, permits, prohibits, user) => {
    const t = rslTermsOf(c(patch), licensable);
    expect(t).toEqual({ permits, prohibits, prohibitsUser: user });
    for (const tok of [...t.permits, ...t.prohibits]) expect(RSL_USAGE_TOKENS).toContain(tok);
  });

  it('escapes everything it writes', () => {
    expect(xmlEscape(`a&b<c>"d"'e'\u0001`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;');
    const xml = renderRslContent({ url: 'https://x.test/?a=1&b="2"', terms: 'https://t.test/<x>', license: rslTermsOf(NO_CONSENT, true) });
    expect(xml).toContain('url="https://x.test/?a=1&amp;b=&quot;2&quot;"');
    expect(xml).toContain('<terms>https://t.test/&lt;x&gt;</terms>');
    expect(xml).toContain('<prohibits type="usage">ai-all</prohibits>');
  });
});

describe('TDMRep rules from consent', () => {
  it('reserves unless training is consented and the work is licensable', () => {
    expect(tdmRepRuleOf('https://x.test/a', c({ train: true }), true, 'https://p')).toEqual({ location: 'https://x.test/a', 'tdm-reservation': 0 });
    expect(tdmRepRuleOf('https://x.test/a', c({ retrieval: true }), true, 'https://p')).toEqual({ location: 'https://x.test/a', 'tdm-reservation': 1, 'tdm-policy': 'https://p' });
    expect(tdmRepRuleOf('https://x.test/a', c({ train: true }), false, 'https://p')['tdm-reservation']).toBe(1);
  });
});

describe('rslPaymentsFor', () => {
  const offer = { url: 'https://x/v1/offers/o1', uses: ['train'], commercial: true, price: '1000.00', currency: 'EUR' };
  const all = { train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true, collective: true, excludedOrganisationIds: [] };
  it('advertises the collective offers a work is included in', () => {
    expect(rslPaymentsFor(all, true, [offer])).toEqual([{ type: 'purchase', custom: offer.url, amount: { value: '1000.00', currency: 'EUR' } }]);
  });
  it.each([
    ['not collective', { ...all, collective: false }, true],
    ['a use of the offer not consented', { ...all, train: false }, true],
    ['commercial offer, no commercial consent', { ...all, commercial: false }, true],
    ['not licensable (disputed)', all, false],
  ])('none when %s', (_what, consent, licensable) => {
    expect(rslPaymentsFor(consent, licensable as boolean, [offer])).toEqual([]);
  });
});
