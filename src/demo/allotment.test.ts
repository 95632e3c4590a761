import { apportion, residentsPerGrid } from './allotment';

describe('apportion', () => {
  it('splits a total by weight and gives the remainders to the largest fractions', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(100, [19, 12, 7, 20, 19, 23])).toEqual([19, 12, 7, 20, 19, 23]);
    expect(apportion(7, [2, 1]).reduce((s, n) => s + n, 0)).toBe(7);
  });
});

describe('residentsPerGrid', () => {
  it('keeps the total, spreads each district over its grids and never goes below the floor', () => {
    const grids = residentsPerGrid(
      120,
      [
        { census: 90, grids: 2 },
        { census: 10, grids: 2 },
      ],
      10,
    );
    // 10 % of 120 would be 12 for two grids: held at 20, the other district takes the remaining 100.
    expect(grids).toEqual([50, 50, 10, 10]);
  });

  it('refuses a total too small for the floor', () => {
    expect(() => residentsPerGrid(15, [{ census: 1, grids: 2 }], 10)).toThrow(RangeError);
  });
});
