import { isPoliceCaseNo, parsePoliceCaseNo } from './keys';

describe('police case numbers', () => {
  it('reads the police platform form (警综平台): unit, year, month, sequence', () => {
    expect(parsePoliceCaseNo('A2114020400002025010012')).toEqual({
      form: 'platform',
      unitCode: '211402040000',
      districtCode: '211402',
      year: 2025,
      month: 1,
      sequence: 12,
    });
    expect(parsePoliceCaseNo('A2114811300002026120001')).toMatchObject({ districtCode: '211481', year: 2026, month: 12, sequence: 1 });
  });

  it("reads the demo city's compact form", () => {
    expect(parsePoliceCaseNo('A211402202500109')).toEqual({
      form: 'compact',
      unitCode: '211402',
      districtCode: '211402',
      year: 2025,
      month: null,
      sequence: 109,
    });
  });

  it.each([
    ['', 'empty'],
    ['A21140220250010', 'compact, one digit short'],
    ['A2114020400002025130012', 'month 13'],
    ['A2114020400002025000012', 'month 00'],
    ['A2114020400002025010000', 'sequence 0'],
    ['A211402202500000', 'compact sequence 0'],
    ['A2114020400001825010012', 'year 1825'],
    ['B2114020400002025010012', 'not a criminal case'],
    ['a211402202500109', 'lower case'],
    ['A211402202500109 ', 'trailing space'],
    ['A２１１４０２202500109', 'full-width digits'],
  ])('refuses %j (%s)', (value) => {
    expect(parsePoliceCaseNo(value)).toBeNull();
    expect(isPoliceCaseNo(value)).toBe(false);
  });
});
