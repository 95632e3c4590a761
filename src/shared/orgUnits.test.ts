import { allUnits, courtUnitCode, handlingUnitCode, policeUnitOf, UNIT_CODE, unitByCode, unitsIn } from './orgUnits';

describe('organisational units', () => {
  it('gives every unit a unique code in the documented form, a parent one level up in the same department, inside its area', () => {
    const units = allUnits();
    expect(new Set(units.map((u) => u.code)).size).toBe(units.length);
    for (const u of units) {
      expect(u.code).toMatch(UNIT_CODE);
      if (u.level === 'CITY') {
        expect(u.parentCode).toBeNull();
        continue;
      }
      const parent = unitByCode(u.parentCode!)!;
      expect(parent.department).toBe(u.department);
      expect(u.districtCode.startsWith(parent.level === 'CITY' ? '2114' : parent.districtCode)).toBe(true);
    }
  });

  it('has the three 综治中心 levels, a 派出所 and a 司法所 per township, and the basic courts with tribunals', () => {
    expect(unitByCode('ZZ211400000000')?.name).toBe('葫芦岛市社会治安综合治理中心');
    expect(unitByCode('ZZ211402000000')?.parentCode).toBe('ZZ211400000000');
    expect(unitByCode('ZZ211402001000')).toMatchObject({ name: '连山街道综治中心', level: 'TOWNSHIP', parentCode: 'ZZ211402000000' });
    expect(unitByCode('GA211402101000')?.name).toBe('钢屯派出所');
    expect(unitByCode('GA211402000000')?.name).toBe('葫芦岛市公安局连山分局');
    expect(unitByCode('GA211421000000')?.name).toBe('绥中县公安局');
    expect(unitByCode('GA211402900000')).toMatchObject({ name: '葫芦岛市公安局杨家杖子分局', parentCode: 'GA211400000000' });
    expect(unitByCode('SF211481102000')?.name).toBe('沙后所司法所');
    expect(unitsIn('court', '211421').map((u) => u.name)).toEqual(['绥中县人民法院', '绥中县人民法院绥中人民法庭', '绥中县人民法院前所人民法庭']);
    expect(unitsIn('procuratorate', '211402').map((u) => u.name)).toContain('连山区人民检察院第一检察部');
    expect(unitsIn('zongzhi', '211400')).toHaveLength(1 + 6 + 59);
  });

  it('names the handling unit from a grid or township code, deterministically', () => {
    expect(handlingUnitCode('police', '211402001001')).toBe('GA211402001000');
    expect(handlingUnitCode('zongzhi', '211403201')).toBe('ZZ211403201000');
    expect(handlingUnitCode('procuratorate', '211402001001')).toBe('JC211402000001');
    // No tribunal in a subdistrict: the basic court.
    expect(handlingUnitCode('court', '211402001001')).toBe('FY211402000000');
    expect(() => handlingUnitCode('police', '219999001001')).toThrow(RangeError);
  });

  it('sends civil cases and confirmations to the township’s tribunal, inside the court’s district; public prosecutions and enforcement to the basic court', () => {
    // 绥中镇 (211421101) has a tribunal of the 绥中县 court (211421).
    expect(courtUnitCode('CIVIL', '211421', '211421101')).toBe('FY211421101000');
    expect(courtUnitCode('SPECIAL_PROCEDURE', '211421', '211421101')).toBe('FY211421101000');
    expect(courtUnitCode('CRIMINAL', '211421', '211421101')).toBe('FY211421000000');
    expect(courtUnitCode('ENFORCEMENT', '211421', '211421101')).toBe('FY211421000000');
    // A party living in another district: the case stays with the court's own district.
    expect(courtUnitCode('CIVIL', '211402', '211421101')).toBe('FY211402000000');
    // Appeals (二审) go to the intermediate court, whichever district the case came from.
    expect(courtUnitCode('CRIMINAL_APPEAL', '211421', '211421101')).toBe('FY211400000000');
    expect(courtUnitCode('CIVIL_APPEAL', '211402', '211402001')).toBe('FY211400000000');
  });

  it('reads the police unit of a platform case number where the catalogue has it', () => {
    expect(policeUnitOf('211402001000')?.name).toBe('连山派出所');
    expect(policeUnitOf('211402040000')).toBeNull();
  });
});
