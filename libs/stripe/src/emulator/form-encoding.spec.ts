import { FormEncodingError, parseForm } from './form-encoding';

describe('parseForm (Stripe bracket notation)', () => {
  it.each([
    ['', {}],
    ['a=1&b=two+words', { a: '1', b: 'two words' }],
    ['metadata[licence_id]=lic_1&metadata[note]=a%26b', { metadata: { licence_id: 'lic_1', note: 'a&b' } }],
    [
      'line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=X&line_items[1][quantity]=2',
      { line_items: [{ price_data: { unit_amount: '500', product_data: { name: 'X' } } }, { quantity: '2' }] },
    ],
    ['expand[]=latest_charge&expand[]=customer', { expand: ['latest_charge', 'customer'] }],
    ['expand[1]=b&expand[0]=a', { expand: ['a', 'b'] }],
    ['created[gte]=10&created[lt]=20', { created: { gte: '10', lt: '20' } }],
    ['metadata%5Bk%5D=v', { metadata: { k: 'v' } }],
    ['flag=', { flag: '' }],
  ])('%s', (body, expected) => {
    expect(JSON.parse(JSON.stringify(parseForm(body)))).toEqual(expected);
  });

  it.each(['a[b=1', '[x]=1', 'a=1&a[b]=2', 'a[b]=1&a=2', '__proto__[x]=1', 'a[constructor]=1', 'a=%E0%A4%A'])('refuses %s', (body) => {
    expect(() => parseForm(body)).toThrow(FormEncodingError);
  });

  it('does not pollute prototypes', () => {
    expect(() => parseForm('a[__proto__][polluted]=1')).toThrow(FormEncodingError);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
