import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../shared/errors';
import { handledBy, type CaseLink, type CaseLinkFinder } from '../../kit/caseLinks';
import { CourtCase, CourtParty } from './entities';

/* The court's keys: its case numbers (案号), the district a court code serves, and the cases a key links to (the gateway's purpose check). */

/**
 * Court case numbers (案号) in the national format: `(2025)辽1402刑初123号` — year, province
 * abbreviation, court code (2 digits for an intermediate court, 4 for a basic court), case type
 * (刑初, 民初, 民特, 执, …) and sequence. Documents print the year in full-width brackets
 * `（2025）`; the hub's canonical form, and every key, uses ASCII brackets.
 */
const PROVINCES = '京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵';
const CASE_NO = new RegExp(`^\\((19|20)\\d{2}\\)[${PROVINCES}]\\d{2}(\\d{2})?[\\u4e00-\\u9fff]{1,4}[1-9]\\d*号$`);

/** GB/T 2260 province prefix of the court codes the hub serves. */
const PROVINCE_CODES: Readonly<Record<string, string>> = { 辽: '21' };

export function isCourtCaseNo(value: string): boolean {
  return CASE_NO.test(value);
}

/** A case number from a caller, in canonical form; BAD_USER_INPUT naming `argument` when it is not one. */
export function checkCourtCaseNo(argument: string, value: string): string {
  const canonical = value.trim().replace('（', '(').replace('）', ')');
  if (!isCourtCaseNo(canonical)) throw badInput(argument, 'expected a court case number such as (2025)辽1402刑初123号');
  return canonical;
}

/** The type code (案件类型代字) in a case number: `刑终` in `(2026)辽14刑终12号`; null when the number is not a court case number. */
export function caseTypeOf(caseNo: string): string | null {
  return isCourtCaseNo(caseNo) ? /^\(\d{4}\).\d+([\u4e00-\u9fff]+?)\d+号$/.exec(caseNo)![1] : null;
}

/** A new number of `courtCode` in the day's year from the court's sequence, e.g. `(2026)辽1402民特500012号`, `(2026)辽14刑终500013号`. */
export async function nextCaseNo(em: EntityManager, courtCode: string, day: string, type: string): Promise<string> {
  const [{ seq }] = await em.execute<Array<{ seq: string }>>(`select nextval('"court"."court_case_seq"') as seq`);
  return `(${day.slice(0, 4)})${courtCode}${type}${seq}号`;
}

/** The division a court serves, from its code: 辽1402 (连山区 court) → 211402, 辽14 (intermediate court) → 211400. */
export function districtOfCourt(courtCode: string): string {
  const province = PROVINCE_CODES[courtCode[0]];
  const digits = courtCode.slice(1);
  if (!province || !/^\d{2}(\d{2})?$/.test(digits)) throw new RangeError(`not a court code the hub knows: ${courtCode}`);
  return (province + digits).padEnd(6, '0');
}

/**
 * Court cases among the keys, or filed on a prosecution among them: handled by the district's court
 * or the presiding judge; linked to the prosecution, its parties related. An appeal is linked to the
 * first instance it hears, its parties related (an appeal has no party rows of its own: they are the
 * first instance's).
 */
export const courtCaseLinks: CaseLinkFinder = async (keys, ctx) => {
  const cases = await ctx.em.find(CourtCase, { $or: [{ caseNo: { $in: keys } }, { prosecutionCaseNo: { $in: keys } }] });
  if (!cases.length) return [];
  const partiesOf = (c: CourtCase) => c.appealOfCaseNo ?? c.caseNo;
  const parties = await ctx.em.find(CourtParty, { caseNo: { $in: cases.map(partiesOf) } });
  return cases.map((c): CaseLink => ({
    caseNo: c.caseNo,
    handled: handledBy(ctx.viewer, 'court', c.townshipCode, c.judgeId),
    linked: [...(c.prosecutionCaseNo ? [c.prosecutionCaseNo] : []), ...(c.appealOfCaseNo ? [c.appealOfCaseNo] : [])],
    related: parties.filter((p) => p.caseNo === partiesOf(c)).map((p) => p.personId),
  }));
};
