import { changeFrom, yearEarlier, yearOnYearFigures } from './yearOnYear';

describe('yearEarlier', () => {
  it('keeps the day of the month, and the last day of a month the last day (whole months stay whole)', () => {
    expect(yearEarlier('2026-03-01')).toBe('2025-03-01');
    expect(yearEarlier('2026-03-17')).toBe('2025-03-17');
    expect(yearEarlier('2026-10-31')).toBe('2025-10-31');
    expect(yearEarlier('2025-02-28')).toBe('2024-02-29');
    expect(yearEarlier('2024-02-29')).toBe('2023-02-28');
    expect(yearEarlier('2024-02-28')).toBe('2023-02-28');
  });
});

describe('changeFrom (同比增长率)', () => {
  it('is (this − last year) ÷ last year, and null when last year counted nothing', () => {
    expect(changeFrom(4, 5)).toBe(0.25);
    expect(changeFrom(8, 2)).toBe(-0.75);
    expect(changeFrom(3, 3)).toBe(0);
    expect(changeFrom(0, 7)).toBeNull();
  });
});

describe('yearOnYearFigures', () => {
  it('withholds (and names) a change where either count is withheld; a null of no count last year is not named', () => {
    const current = { values: { a: 6, b: null, c: 2, d: 1 }, suppressed: ['b' as const] };
    const previous = { values: { a: 3, b: 4, c: null, d: 0 }, suppressed: ['c' as const] };
    expect(yearOnYearFigures(['a', 'b', 'c', 'd'], current, previous)).toEqual({ values: { a: 1, b: null, c: null, d: null }, suppressed: ['b', 'c'] });
  });
});
