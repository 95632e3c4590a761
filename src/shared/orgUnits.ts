import { CITY_CODE, CITY_NAME, DISTRICTS, townshipsOf, type District, type Township } from './huludao';

/*
 * Organisational units (机构): the police stations, justice offices, tribunals, procuratorate
 * departments and 综治中心 that handle a record. One catalogue for the whole hub, built from the
 * divisions without any random draw, so that every subgraph, the token check and the seed agree
 * and no demo id shifts. docs/domain.md ("Organisational units") says which names are real.
 */

/** The departments that have units; `zongzhi` is the 综治中心 (社会治安综合治理中心). */
export const UNIT_DEPARTMENTS = ['police', 'procuratorate', 'court', 'justice', 'zongzhi'] as const;
export type UnitDepartment = (typeof UNIT_DEPARTMENTS)[number];

/** The tier a unit works at: the city (市), a county-level district (县区) or a township (乡镇街道). */
export type UnitLevel = 'CITY' | 'COUNTY' | 'TOWNSHIP';

export interface OrgUnitRecord {
  /** Department prefix + 12 digits; see `UNIT_CODE`. */
  code: string;
  name: string;
  department: UnitDepartment;
  level: UnitLevel;
  /** The unit it reports to; null for a city-level unit. */
  parentCode: string | null;
  /** The county-level district it works in, or the city code for a city-level unit. */
  districtCode: string;
  /** The township it works in (township units only). */
  townshipCode: string | null;
}

/**
 * A unit code: a department prefix, then 12 digits — the 9-digit township code (a district's or the
 * city's 6 digits + `000` for a unit above townships), then a 3-digit number (`000` the division's
 * own unit, `001…` a department or a second unit inside it). The police's 12 digits are its
 * 公安机关机构代码 (6-digit division + 6 digits), as in a platform case number's unit code.
 */
export const UNIT_CODE = /^(GA|JC|FY|SF|ZZ)(\d{12})$/;

/** Each department's letters at the head of its unit codes. */
export const UNIT_PREFIX: Record<UnitDepartment, string> = { police: 'GA', procuratorate: 'JC', court: 'FY', justice: 'SF', zongzhi: 'ZZ' };

/** `连山街道` → `连山`, `沙后所满族镇` → `沙后所`: how a station or office named after its township is called. */
function shortName(township: Township): string {
  return township.name.replace(/(满族)?(街道|镇|乡)$/, '');
}

/** `连山区` → `连山`; county-level cities and counties keep their full name in their units. */
function districtShort(district: District): string {
  return district.name.replace(/区$/, '');
}

/** The city's own districts (区) have sub-bureaus of the city bureau; counties and county-level cities their own bureau. */
function isUrbanDistrict(district: District): boolean {
  return district.name.endsWith('区');
}

function unit(department: UnitDepartment, digits: string, rest: Omit<OrgUnitRecord, 'code' | 'department'>): OrgUnitRecord {
  return { code: UNIT_PREFIX[department] + digits, department, ...rest };
}

/** 2019 reform's numbered departments of a basic procuratorate (捕诉一体): what each one handles. */
const PROCURATORATE_DEPARTMENTS = ['第一检察部', '第二检察部', '第三检察部', '第四检察部'] as const;

/** How many of a district's towns (镇) have a people's tribunal (人民法庭) in the demo city. */
const TRIBUNALS_PER_DISTRICT = 2;

function buildCatalogue(): OrgUnitRecord[] {
  const city = CITY_CODE;
  const c = (d: UnitDepartment) => UNIT_PREFIX[d] + city + '000000';
  const units: OrgUnitRecord[] = [
    unit('police', `${city}000000`, { name: `${CITY_NAME}公安局`, level: 'CITY', parentCode: null, districtCode: city, townshipCode: null }),
    unit('procuratorate', `${city}000000`, { name: `${CITY_NAME}人民检察院`, level: 'CITY', parentCode: null, districtCode: city, townshipCode: null }),
    unit('court', `${city}000000`, { name: `${CITY_NAME}中级人民法院`, level: 'CITY', parentCode: null, districtCode: city, townshipCode: null }),
    unit('justice', `${city}000000`, { name: `${CITY_NAME}司法局`, level: 'CITY', parentCode: null, districtCode: city, townshipCode: null }),
    unit('zongzhi', `${city}000000`, { name: `${CITY_NAME}社会治安综合治理中心`, level: 'CITY', parentCode: null, districtCode: city, townshipCode: null }),
  ];
  for (const district of DISTRICTS) {
    const d = district.code;
    const county = (department: UnitDepartment, name: string) =>
      unit(department, `${d}000000`, { name, level: 'COUNTY', parentCode: c(department), districtCode: d, townshipCode: null });
    const police = isUrbanDistrict(district) ? `${CITY_NAME}公安局${districtShort(district)}分局` : `${district.name}公安局`;
    units.push(
      county('police', police),
      county('procuratorate', `${district.name}人民检察院`),
      county('court', `${district.name}人民法院`),
      county('justice', `${district.name}司法局`),
      county('zongzhi', `${district.name}社会治安综合治理中心`),
    );
    PROCURATORATE_DEPARTMENTS.forEach((name, i) =>
      units.push(
        unit('procuratorate', `${d}000${String(i + 1).padStart(3, '0')}`, {
          name: `${district.name}人民检察院${name}`,
          level: 'COUNTY',
          parentCode: `JC${d}000000`,
          districtCode: d,
          townshipCode: null,
        }),
      ),
    );
    const townships = townshipsOf(district);
    for (const t of townships) {
      const at = (department: UnitDepartment, name: string) =>
        unit(department, `${t.code}000`, {
          name,
          level: 'TOWNSHIP',
          parentCode: UNIT_PREFIX[department] + `${d}000000`,
          districtCode: d,
          townshipCode: t.code,
        });
      units.push(at('police', `${shortName(t)}派出所`), at('justice', `${shortName(t)}司法所`), at('zongzhi', `${t.name}综治中心`));
    }
    for (const t of townships.filter((t) => t.kind === 'TOWN').slice(0, TRIBUNALS_PER_DISTRICT)) {
      units.push(
        unit('court', `${t.code}000`, {
          name: `${district.name}人民法院${shortName(t)}人民法庭`,
          level: 'TOWNSHIP',
          parentCode: `FY${d}000000`,
          districtCode: d,
          townshipCode: t.code,
        }),
      );
    }
  }
  // 杨家杖子经济开发区: a city-run development zone inside 连山区 whose police is a sub-bureau of the city bureau.
  units.push(
    unit('police', '211402900000', {
      name: `${CITY_NAME}公安局杨家杖子分局`,
      level: 'COUNTY',
      parentCode: c('police'),
      districtCode: '211402',
      townshipCode: null,
    }),
  );
  return units;
}

const CATALOGUE: readonly OrgUnitRecord[] = buildCatalogue();
const BY_CODE = new Map(CATALOGUE.map((u) => [u.code, u]));

/** Every unit, city first, then district by district. */
export function allUnits(): readonly OrgUnitRecord[] {
  return CATALOGUE;
}

export function unitByCode(code: string): OrgUnitRecord | null {
  return BY_CODE.get(code) ?? null;
}

/** The units of a department inside a division (a district's or township's code; the city code: all of them). */
export function unitsIn(department: UnitDepartment, divisionCode: string): OrgUnitRecord[] {
  const prefix = divisionCode === CITY_CODE ? '' : divisionCode;
  return CATALOGUE.filter((u) => u.department === department && (u.townshipCode ?? u.districtCode).startsWith(prefix));
}

/** The division code a unit covers: its township, or its district (the city code for a city unit). */
export function unitArea(u: OrgUnitRecord): string {
  return u.townshipCode ?? u.districtCode;
}

/** A division's own unit of `department` (the city's, a district's or a township's), when it has one there. */
export function divisionUnit(department: UnitDepartment, divisionCode: string): OrgUnitRecord | null {
  return BY_CODE.get(UNIT_PREFIX[department] + divisionCode.padEnd(12, '0')) ?? null;
}

/**
 * The unit that handles a record of `department` located in `gridCode` (12 digits) or a township:
 * the township's unit where the department has one there (派出所, 司法所, 人民法庭, 综治中心), else
 * the district's (the basic procuratorate's 第一检察部 for a prosecution, the basic court).
 */
export function handlingUnitCode(department: UnitDepartment, gridOrTownship: string): string {
  const township = gridOrTownship.slice(0, 9);
  const district = gridOrTownship.slice(0, 6);
  const local = BY_CODE.get(`${UNIT_PREFIX[department]}${township}000`);
  if (local) return local.code;
  if (department === 'procuratorate') return `JC${district}000001`;
  const county = BY_CODE.get(`${UNIT_PREFIX[department]}${district}000000`);
  if (!county) throw new RangeError(`no ${department} unit covers division ${district}`);
  return county.code;
}

/** The police unit a 12-digit 公安机关机构代码 (as in a platform case number) names, when the catalogue holds it. */
export function policeUnitOf(machineCode: string): OrgUnitRecord | null {
  return BY_CODE.get(`GA${machineCode}`) ?? null;
}

/**
 * The police platform's case number (警综平台): `A` + the filing unit's 12-digit code (division +
 * 6 digits) + year + month + a 4-digit monthly sequence. A POSIX-compatible pattern, so that the
 * migrations' SQL reads a number exactly as src/subgraphs/police/keys.ts does.
 */
export const PLATFORM_CASE_NO = /^A(\d{6})(\d{6})((?:19|20)\d{2})(0[1-9]|1[0-2])(\d{4})$/;

/**
 * The court kinds a people's tribunal (人民法庭) hears: civil cases and judicial confirmations.
 * Public prosecutions and enforcement stay with the basic court (最高人民法院关于全面加强人民法庭工作的决定,
 * 2005: tribunals hear civil cases and private prosecutions).
 */
export const TRIBUNAL_KINDS: readonly string[] = ['CIVIL', 'SPECIAL_PROCEDURE'];

/** The court kinds heard on appeal (二审), by the intermediate court whatever the district (刑事诉讼法 art. 227, 民事诉讼法 art. 171). */
export const APPEAL_KINDS: readonly string[] = ['CRIMINAL_APPEAL', 'CIVIL_APPEAL'];

/** The court unit of a case: the intermediate court for an appeal; the tribunal of its township for the kinds a tribunal hears, inside the court's district; else the basic court. */
export function courtUnitCode(kind: string, districtCode: string, townshipCode: string): string {
  if (APPEAL_KINDS.includes(kind)) return handlingUnitCode('court', CITY_CODE);
  return handlingUnitCode('court', TRIBUNAL_KINDS.includes(kind) && townshipCode.startsWith(districtCode) ? townshipCode : districtCode);
}
