import { GraphQLError } from 'graphql';
import { checkDayRange, monthsOf } from './dayRange';

/** The argument a refused range names (BAD_USER_INPUT), or the range when it is accepted. */
function argumentOf(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    expect((err as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', argument: expect.any(String) });
    return (err as GraphQLError).extensions.argument;
  }
}

describe('checkDayRange', () => {
  it('lets either end be absent and keeps an inclusive one-day span', () => {
    expect(checkDayRange(null, undefined)).toEqual({ from: null, to: null });
    expect(checkDayRange('2025-03-01', '2025-03-01')).toEqual({ from: '2025-03-01', to: '2025-03-01' });
  });
  it('refuses from after to, naming from', () => {
    expect(argumentOf(() => checkDayRange('2025-03-02', '2025-03-01'))).toBe('from');
    expect(argumentOf(() => checkDayRange('2025-03-02', '2025-03-01', 'filter.'))).toBe('filter.from');
  });
  it('names the malformed end; an empty string is malformed, not absent', () => {
    expect(argumentOf(() => checkDayRange('2025-03-01', '2025/03/09'))).toBe('to');
    expect(argumentOf(() => checkDayRange('', null))).toBe('from');
    expect(argumentOf(() => checkDayRange(null, '', 'filter.'))).toBe('filter.to');
    expect(argumentOf(() => checkDayRange('2025-02-30', null))).toBe('from');
  });
});

describe('monthsOf', () => {
  it('lists the months of a range, at most 60', () => {
    expect(monthsOf({ from: '2025-11-30', to: '2026-02-01' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsOf({ from: '2021-01-01', to: '2025-12-31' })).toHaveLength(60);
    expect(() => monthsOf({ from: '2021-01-01', to: '2026-01-01' })).toThrow(/at most 60/);
    expect(() => monthsOf({ from: null, to: '2026-01-01' })).toThrow(/needs `from`/);
  });
});
