import type { CryptoKey } from 'jose';
import { makeIdNumber } from '../shared/idNumber';
import { signCallerToken } from './callerToken';
import { divisionUnit, UNIT_DEPARTMENTS, type UnitDepartment } from '../shared/orgUnits';
import { CITY_ROLE, callerClaimsProblem } from './claims';
import type { Agency } from './viewer';

/**
 * The grid the ready-made grid worker works in: the first grid of the demo city (连山街道站前社区's
 * first grid), a constant so that nothing builds the demo city to find it; src/demo/city.test.ts
 * checks it against the city.
 */
export const DEV_GRID_CODE = '211402001001';

export interface DevIdentity {
  agency: Agency;
  sub: string;
  name: string;
  roles: string[];
  jurisdiction: string[];
  description: string;
  /** The organisational unit the token names; by default the one of its single jurisdiction code (`devUnit`). */
  unit?: string;
  /** Citizens only: whose access report the token reads. */
  idNumber?: string;
}

/**
 * One ready-made identity per agency for embedded mode, matching the demo data: 连山区 (211402)
 * officers, a grid worker of one grid, and city-wide analyst, oversight and admin.
 */
export function devIdentities(gridCode: string): DevIdentity[] {
  return [
    {
      agency: 'police',
      sub: 'po-211402-001',
      name: '连山公安分局 民警',
      roles: ['investigator'],
      jurisdiction: ['211402'],
      description: 'police officer, 连山区',
    },
    {
      agency: 'procuratorate',
      sub: 'pr-211402-001',
      name: '连山区检察院 检察官',
      roles: ['prosecutor'],
      jurisdiction: ['211402'],
      description: 'prosecutor, 连山区',
    },
    { agency: 'court', sub: 'ju-211402-001', name: '连山区法院 法官', roles: ['judge'], jurisdiction: ['211402'], description: 'judge, 连山区 court' },
    {
      agency: 'justice',
      sub: 'co-211402-001',
      name: '连山区司法局 工作人员',
      roles: ['mediation', 'corrections'],
      jurisdiction: ['211402'],
      description: 'justice bureau, 连山区',
    },
    { agency: 'grid', sub: `gw-${gridCode}`, name: '网格员', roles: ['grid-worker'], jurisdiction: [gridCode], description: `grid worker of grid ${gridCode}` },
    {
      agency: 'zongzhi',
      sub: 'zz-211402-001',
      name: '连山区综治中心 调度员',
      roles: ['dispatcher'],
      jurisdiction: ['211402'],
      description: '综治中心 dispatcher, 连山区',
    },
    {
      agency: 'analyst',
      sub: 'an-211400-001',
      name: '市委政法委 分析员',
      roles: ['analyst'],
      jurisdiction: ['211400'],
      description: 'analyst, city-wide (aggregates only)',
    },
    {
      agency: 'oversight',
      sub: 'ov-211400-001',
      name: '监督员',
      roles: ['auditor'],
      jurisdiction: ['211400'],
      description: 'oversight, reads the audit trail',
    },
    { agency: 'admin', sub: 'ad-211400-001', name: '系统管理员', roles: ['admin'], jurisdiction: ['211400'], description: 'administrator' },
    // A resident of 连山区 reading who looked at them: a citizen token carries the ID number (`idNumber`).
    {
      agency: 'citizen',
      sub: 'ci-000001',
      name: '居民',
      roles: [],
      jurisdiction: [],
      idNumber: makeIdNumber('211402', '19800101', 1),
      description: 'a resident reading who looked at them',
    },
  ];
}

export class DevIdentityError extends Error {}

/** What makes a ready-made officer city-wide, as a city bureau's officer is: the city code and the `city` role. */
export function cityWideChange(agency: Agency): { jurisdiction: string[]; roles: string[] } {
  const base = devIdentities('').find((d) => d.agency === agency)!;
  return { jurisdiction: ['211400'], roles: base.roles.includes(CITY_ROLE) ? base.roles : [...base.roles, CITY_ROLE] };
}

/**
 * The ready-made identity of `agency`, optionally moved to other jurisdiction codes (a grid worker
 * of another grid, a justice officer of another district) or given other roles. Shared by `hub
 * token` and the console's `GET /dev/token`, so both hand out the same officers — and refuse what
 * the gateway would refuse (a grid worker of a whole district, a city-wide officer without the
 * `city` role).
 */
export function devIdentityFor(agency: Agency, defaultGridCode: string, change: { jurisdiction?: string[]; roles?: string[] } = {}): DevIdentity {
  const base = devIdentities(defaultGridCode).find((d) => d.agency === agency)!;
  const roles = change.roles ?? base.roles;
  const jurisdiction = change.jurisdiction?.length ? change.jurisdiction : base.jurisdiction;
  const problem = callerClaimsProblem({ sub: base.sub, agency, roles, jurisdiction, exp: 0, ...(base.idNumber ? { idNumber: base.idNumber } : {}) });
  if (problem) throw new DevIdentityError(problem);
  if (!change.jurisdiction?.length) return { ...base, roles };
  const where = jurisdiction.join(', ');
  // A grid worker's subject names their grid, as the demo data's grid workers do.
  if (agency === 'grid') return { ...base, roles, sub: `gw-${jurisdiction[0]}`, jurisdiction, description: `grid worker of grid ${where}` };
  return { ...base, roles, jurisdiction, description: `${base.description.replace(/,.*$/, '')}, jurisdiction ${where}` };
}

/**
 * The unit a ready-made officer works in: their jurisdiction's own unit of their department (连山区's
 * 公安分局 for the 连山区 police officer, 连山区综治中心 for the dispatcher, a township's 派出所 when
 * moved to a township); none for agencies without units, several codes, or a division without one.
 */
export function devUnit(agency: Agency, jurisdiction: readonly string[]): string | undefined {
  if (jurisdiction.length !== 1 || !(UNIT_DEPARTMENTS as readonly string[]).includes(agency)) return undefined;
  return divisionUnit(agency as UnitDepartment, jurisdiction[0])?.code;
}

export async function devToken(key: CryptoKey, issuer: string, audience: string, who: DevIdentity, ttl = '8h'): Promise<string> {
  return signCallerToken(key, issuer, audience, { ...who, unit: who.unit ?? devUnit(who.agency, who.jurisdiction), ttl });
}
