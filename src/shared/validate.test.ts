import { GraphQLError } from 'graphql';
import { checkDate, checkDateSpan } from './validate';

function argumentOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    expect((err as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return (err as GraphQLError).extensions.argument;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('checkDate', () => {
  it('accepts real calendar dates', () => {
    expect(checkDate('d', '2024-02-29')).toBe('2024-02-29');
  });
  it.each(['2025-02-30', '2025-13-01', '2025-1-01', '20250101', '2025-01-01T00:00:00Z', ''])('refuses %p, naming the argument', (value) => {
    expect(argumentOf(() => checkDate('filter.from', value))).toBe('filter.from');
  });
});

describe('checkDateSpan', () => {
  it('lets either end be absent and keeps an inclusive one-day span', () => {
    expect(checkDateSpan(null, undefined)).toEqual({ from: null, to: null });
    expect(checkDateSpan('2025-03-01', '2025-03-01')).toEqual({ from: '2025-03-01', to: '2025-03-01' });
  });
  it('refuses from after to, naming from', () => {
    expect(argumentOf(() => checkDateSpan('2025-03-02', '2025-03-01'))).toBe('from');
    expect(argumentOf(() => checkDateSpan('2025-03-02', '2025-03-01', { from: 'filter.from', to: 'filter.to' }))).toBe('filter.from');
  });
  it('names the malformed end; an empty string is malformed, not absent', () => {
    expect(argumentOf(() => checkDateSpan('2025-03-01', '2025/03/09'))).toBe('to');
    expect(argumentOf(() => checkDateSpan('', null))).toBe('from');
  });
});
