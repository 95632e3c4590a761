import { isArrestReviewCaseNo, isProsecutionCaseNo, parseProcuratorateDocumentNo } from './keys';

describe('procuratorate document numbers', () => {
  it('reads the form a real case system issues: procuratorate, department, kind, year, lettered sequence', () => {
    expect(parseProcuratorateDocumentNo('葫连检一部刑诉〔2025〕Z91号')).toEqual({
      procuratorate: '葫连',
      department: '一部',
      kind: 'prosecution',
      year: 2025,
      sequence: 'Z91',
    });
    expect(parseProcuratorateDocumentNo('葫龙检未检部捕〔2026〕3号')).toEqual({
      procuratorate: '葫龙',
      department: '未检部',
      kind: 'arrestReview',
      year: 2026,
      sequence: '3',
    });
  });

  it("reads the demo city's form, and tells prosecutions from arrest reviews", () => {
    expect(parseProcuratorateDocumentNo('连检刑诉〔2025〕17号')).toEqual({
      procuratorate: '连',
      department: null,
      kind: 'prosecution',
      year: 2025,
      sequence: '17',
    });
    expect([isProsecutionCaseNo('连检刑诉〔2025〕17号'), isArrestReviewCaseNo('连检刑诉〔2025〕17号')]).toEqual([true, false]);
    expect([isProsecutionCaseNo('连检捕〔2025〕17号'), isArrestReviewCaseNo('连检捕〔2025〕17号')]).toEqual([false, true]);
  });

  it.each([
    ['', 'empty'],
    ['连检刑诉(2025)17号', 'ASCII brackets'],
    ['连检刑诉〔25〕17号', 'two-digit year'],
    ['连检刑诉〔2025〕号', 'no sequence'],
    ['连检刑诉〔2025〕ZZ9号', 'two letters'],
    ['检刑诉〔2025〕17号', 'no procuratorate'],
    ['连检民诉〔2025〕17号', 'a kind the hub does not hold'],
    [`连检刑诉〔2025〕${'1'.repeat(40)}号`, 'longer than any issued'],
  ])('refuses %j (%s)', (value) => {
    expect(parseProcuratorateDocumentNo(value)).toBeNull();
  });
});
