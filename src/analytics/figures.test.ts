import { perTenThousand } from './figures';

describe('perTenThousand', () => {
  it('divides two published counts', () => {
    expect(perTenThousand(3, 1500, 'rate')).toEqual({ values: { rate: 20 }, suppressed: [] });
  });

  it('is withheld, and named, with either count: a rate never gives a withheld count away', () => {
    expect(perTenThousand(null, 1500, 'rate')).toEqual({ values: { rate: null }, suppressed: ['rate'] });
    expect(perTenThousand(3, null, 'rate')).toEqual({ values: { rate: null }, suppressed: ['rate'] });
  });

  it('is null, not withheld, without residents', () => {
    expect(perTenThousand(0, 0, 'rate')).toEqual({ values: { rate: null }, suppressed: [] });
  });
});
