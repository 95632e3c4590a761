import { csvField, flatten, toCsv } from './csv';

describe('CSV for spreadsheets', () => {
  it('quotes fields with commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvField('连山区')).toBe('连山区');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField(0)).toBe('0');
    expect(csvField(null)).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField(-1)).toBe('-1');
  });

  it('flattens nested statistics to dotted columns and gathers withheld cells in one column', () => {
    const cells = flatten({ code: '211402', policeStatistics: { incidents: null, casesFiled: 12, suppressedFields: ['incidents'] }, caseFlow: null });
    expect([...cells]).toEqual([['code', '211402'], ['policeStatistics.incidents', null], ['policeStatistics.casesFiled', 12], ['caseFlow', null], ['suppressed', 'policeStatistics.incidents']]);
  });

  it('writes UTF-8 with a byte-order mark and CRLF, one header for all rows', () => {
    const csv = toCsv([{ code: '211402', name: '连山区', s: { n: 1, suppressedFields: [] } }, { code: '211403', name: '龙港区', s: { n: null, suppressedFields: ['n'] } }]);
    expect(csv).toBe('\uFEFFcode,name,s.n,suppressed\r\n211402,连山区,1,\r\n211403,龙港区,,s.n\r\n');
  });
});
