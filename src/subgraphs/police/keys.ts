import { handlingUnitCode, PLATFORM_CASE_NO, policeUnitOf } from '../../shared/orgUnits';
import { handledBy, type CaseLink, type CaseLinkFinder } from '../../kit/caseLinks';
import { CaseParticipant, PoliceCase } from './entities';

/* The police's keys: its case numbers, and the cases a key links to (the gateway's purpose check). */

/**
 * A police case number (案件编号) taken apart. Two forms are issued:
 * - the police platform's (警综平台): `A` (criminal case) + the 12-digit code of the unit that
 *   filed it (公安机关机构代码: the district's 6-digit division code + 6 digits naming the
 *   sub-bureau or 派出所) + year + month + a 4-digit monthly sequence —
 *   `A2114020400002025010012` is 211402 连山区, unit 040000, January 2025, case 12;
 * - the compact one the demo city issues: `A` + district code + year + a 5-digit yearly sequence
 *   (`A211402202500109`).
 * Records from the real platform join as they are; the year is read, never assumed.
 */
export interface PoliceCaseNumber {
  form: 'platform' | 'compact';
  /** The 12-digit unit code (platform form) or the district code (compact form). */
  unitCode: string;
  districtCode: string;
  year: number;
  /** The month of filing (platform form only). */
  month: number | null;
  sequence: number;
}

const COMPACT_CASE_NO = /^A(\d{6})((?:19|20)\d{2})(\d{5})$/;

/** The parts of a police case number, or null when it is in neither form (a sequence of 0 included). */
export function parsePoliceCaseNo(value: string): PoliceCaseNumber | null {
  const platform = PLATFORM_CASE_NO.exec(value);
  if (platform) {
    const [, district, unit, year, month, sequence] = platform;
    return Number(sequence) > 0
      ? { form: 'platform', unitCode: district + unit, districtCode: district, year: Number(year), month: Number(month), sequence: Number(sequence) }
      : null;
  }
  const compact = COMPACT_CASE_NO.exec(value);
  if (compact) {
    const [, district, year, sequence] = compact;
    return Number(sequence) > 0
      ? { form: 'compact', unitCode: district, districtCode: district, year: Number(year), month: null, sequence: Number(sequence) }
      : null;
  }
  return null;
}

/**
 * The unit that handles a case: the filing unit a platform case number names, where the unit
 * catalogue holds it; otherwise the 派出所 of the township the offence happened in.
 */
export function policeCaseUnitCode(caseNo: string, gridCode: string): string {
  const parsed = parsePoliceCaseNo(caseNo);
  const filing = parsed?.form === 'platform' ? policeUnitOf(parsed.unitCode) : null;
  return filing?.code ?? handlingUnitCode('police', gridCode);
}

export function isPoliceCaseNo(value: string): boolean {
  return parsePoliceCaseNo(value) !== null;
}

/** Police cases among the keys: handled by the district's police or the investigating officer; the incident and the participants join the journey (`related`). */
export const policeCaseLinks: CaseLinkFinder = async (keys, ctx) => {
  const cases = await ctx.em.find(PoliceCase, { caseNo: { $in: keys } });
  if (!cases.length) return [];
  const participants = await ctx.em.find(CaseParticipant, { caseNo: { $in: cases.map((c) => c.caseNo) } });
  return cases.map((c): CaseLink => ({
    caseNo: c.caseNo,
    handled: handledBy(ctx.viewer, 'police', c.gridCode, c.officerId),
    linked: [],
    related: [c.incidentId, ...participants.filter((p) => p.caseNo === c.caseNo).map((p) => p.personId)],
  }));
};
