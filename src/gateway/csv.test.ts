import { csvField, DENIED, STATISTICS_QUERIES, toCsv, WITHHELD } from './csv';

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

  const caseFlow = STATISTICS_QUERIES.caseFlow;
  const header = '区划代码,名称,公安·立案,公安·移送审查起诉,检察·受理,检察·提起公诉,法院·刑事一审立案,法院·有罪判决,司法·社区矫正';

  it('labels columns in Chinese from the query, whatever the answer holds: a denied department is marks, not a stray column', () => {
    const rows = [
      { row: { code: '211402', name: '连山区', caseFlow: { police: { filed: 12, transferred: null, suppressedFields: ['transferred'] }, procuratorate: null, court: null, justice: { communityCorrections: 0, suppressedFields: [] } } }, at: ['districts', 0] },
    ];
    // The procuratorate's part was denied (an error on its path); the court's is simply absent.
    const csv = toCsv(caseFlow, rows, new Set(['districts.0.caseFlow.procuratorate']));
    expect(csv.split('\r\n')).toEqual([
      `\uFEFF${header}`,
      `211402,连山区,12,${WITHHELD},${DENIED},${DENIED},,,0`,
      '',
      expect.stringMatching(/^\* 不公开：小于公布门槛的计数/),
      expect.stringMatching(/^— 无权查看：/),
      '',
    ]);
  });

  it('writes UTF-8 with a byte-order mark and CRLF, and no footer when no cell is marked', () => {
    const rows = [{ row: { code: '211403', name: '龙港区', caseFlow: null }, at: ['districts', 1] }];
    expect(toCsv(caseFlow, rows, new Set())).toBe(`\uFEFF${header}\r\n211403,龙港区,,,,,,,\r\n`);
  });
});
