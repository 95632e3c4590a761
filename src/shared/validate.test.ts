import { GraphQLError } from 'graphql';
import { checkDate, checkText } from './validate';

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

describe('checkText', () => {
  it('stores the NFC form, trimmed', () => {
    // "é" as e + combining acute (NFD) becomes the one code point U+00E9.
    expect(checkText('t', '  cafe\u0301 纠纷  ', 1, 20)).toBe('caf\u00e9 纠纷');
    expect(checkText('t', '第一行\n第二行\t完', 1, 20)).toBe('第一行\n第二行\t完');
  });
  it.each([
    ['a NUL byte', '邻里\u0000纠纷'],
    ['another control character', '邻里\u001b[31m纠纷'],
    ['a C1 control character', '邻里\u0085纠纷'],
    ['a right-to-left override', '邻里纠纷\u202egpj.exe'],
    ['a bidi isolate', '\u2067邻里纠纷\u2069'],
    ['only zero-width characters', '\u200b\u200c\u200d\ufeff'],
    ['only spaces', '   \u3000 '],
    ['nothing', ''],
  ])('refuses %s', (_what, value) => {
    expect(argumentOf(() => checkText('input.title', value, 1, 100))).toBe('input.title');
  });
  it('counts the length after normalising', () => {
    expect(argumentOf(() => checkText('t', 'a'.repeat(11), 1, 10))).toBe('t');
    expect(checkText('t', 'e\u0301'.repeat(10), 1, 10)).toHaveLength(10);
  });
});
