import { makeIdNumber } from './idNumber';
import { isPersonKey, personKey } from './personKey';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

describe('person key', () => {
  const id = makeIdNumber('211402', '1990-03-07', 123);

  it('is stable for the same ID number and secret, and opaque', () => {
    const key = personKey(id, SECRET);
    expect(personKey(id, SECRET)).toBe(key);
    expect(isPersonKey(key)).toBe(true);
    expect(key).not.toContain(id.slice(6, 14));
  });

  it('normalises a lower-case x check character', () => {
    const withX = '11010519491231002X';
    expect(personKey(withX.toLowerCase(), SECRET)).toBe(personKey(withX, SECRET));
  });

  it('depends on the secret', () => {
    expect(personKey(id, SECRET)).not.toBe(personKey(id, `${SECRET}-other`));
  });

  it('differs between people', () => {
    const keys = new Set(Array.from({ length: 500 }, (_, i) => personKey(makeIdNumber('211402', '1990-03-07', i), SECRET)));
    expect(keys.size).toBe(500);
  });

  it('refuses an invalid ID number rather than hashing it', () => {
    expect(() => personKey('110105194912310021', SECRET)).toThrow(/invalid ID number/);
  });
});
