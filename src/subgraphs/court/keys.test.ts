import { caseTypeOf, checkCourtCaseNo, districtOfCourt, isCourtCaseNo } from './keys';

describe('court case numbers (案号)', () => {
  it('reads the type code of first-instance, enforcement and appeal numbers, basic and intermediate court alike', () => {
    expect(caseTypeOf('(2026)辽1402刑初123号')).toBe('刑初');
    expect(caseTypeOf('(2025)辽1481民初7号')).toBe('民初');
    expect(caseTypeOf('(2025)辽1402民特500012号')).toBe('民特');
    expect(caseTypeOf('(2025)辽1402执45号')).toBe('执');
    expect(caseTypeOf('(2025)辽1402民诉前调3号')).toBe('民诉前调');
    expect(caseTypeOf('(2026)辽14刑终12号')).toBe('刑终');
    expect(caseTypeOf('(2026)辽14民终500001号')).toBe('民终');
    expect(caseTypeOf('辽14刑终12号')).toBeNull();
    expect(caseTypeOf('(2026)辽14刑终012号')).toBeNull();
  });

  it('takes an appeal number in full-width brackets, and places the intermediate court at the city', () => {
    expect(isCourtCaseNo('(2026)辽14刑终12号')).toBe(true);
    expect(checkCourtCaseNo('caseNo', '（2026）辽14民终8号')).toBe('(2026)辽14民终8号');
    expect(districtOfCourt('辽14')).toBe('211400');
    expect(districtOfCourt('辽1402')).toBe('211402');
  });
});
