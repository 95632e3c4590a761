import { checkCharacter, idNumberProblem, isValidIdNumber, makeIdNumber, parseIdNumber } from './idNumber';

describe('national ID number (GB 11643)', () => {
  // A well-known published example: 11010519491231002X (check character X).
  it('accepts a valid number with an X check character, in either case', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
  });

  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkCharacter('21140219900307123')).toBe(makeIdNumber('211402', '1990-03-07', 123)[17]);
  });

  it('names what is wrong', () => {
    expect(idNumberProblem('1101051949123100')).toBe('FORMAT');
    expect(idNumberProblem('11010519491231002Y')).toBe('FORMAT');
    expect(idNumberProblem('99010519491231002X')).toBe('REGION');
    expect(idNumberProblem(makeIdNumber('210000', '1980-01-01', 11))).toBe('REGION');
    expect(idNumberProblem(makeIdNumber('211402', '1990-02-30', 11))).toBe('BIRTH_DATE');
    expect(idNumberProblem(makeIdNumber('211402', '1899-12-31', 11))).toBe('BIRTH_DATE');
    expect(idNumberProblem('110105194912310021')).toBe('CHECK_DIGIT');
  });

  it('refuses birth dates in the future', () => {
    const id = makeIdNumber('211402', '2030-01-01', 11);
    expect(idNumberProblem(id, new Date('2026-11-29'))).toBe('BIRTH_DATE');
    expect(idNumberProblem(id, new Date('2031-01-01'))).toBeNull();
  });

  it('parses region, birth date and gender (odd sequence = male)', () => {
    expect(parseIdNumber(makeIdNumber('211481', '1975-06-15', 13))).toEqual({
      idNumber: makeIdNumber('211481', '1975-06-15', 13),
      regionCode: '211481',
      birthDate: '1975-06-15',
      gender: 'MALE',
    });
    expect(parseIdNumber(makeIdNumber('211481', '1975-06-15', 14)).gender).toBe('FEMALE');
    expect(() => parseIdNumber('110105194912310021')).toThrow(/check digit/);
  });

  it('detects every single-digit change (the check character catches substitutions)', () => {
    const id = makeIdNumber('211402', '1988-08-08', 321);
    for (let i = 0; i < 17; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === id[i]) continue;
        const changed = `${id.slice(0, i)}${d}${id.slice(i + 1)}`;
        expect(isValidIdNumber(changed)).toBe(false);
      }
    }
  });
});
