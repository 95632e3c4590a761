import { badInput } from '../../shared/errors';
import { handledBy, type CaseLink, type CaseLinkFinder } from '../../kit/caseLinks';
import { ArrestReview, ProsecutionCase, ProsecutionDefendant } from './entities';

/* The procuratorate's keys: its document numbers (and the shape of the police case numbers it is handed), and the cases a key links to (the gateway's purpose check). */

/**
 * Procuratorate document numbers (文书编号): the procuratorate's abbreviation, 检, the kind of
 * case, the year in 〔〕 and a sequence — `连检刑诉〔2025〕17号` (审查起诉), `连检捕〔2025〕17号`
 * (审查逮捕). Prefixes vary between procuratorates (`葫连检…`), so only the shape is checked.
 */
const MAX_LENGTH = 40;
const PROSECUTION_CASE_NO = /^\p{Script=Han}{1,10}检刑诉〔\d{4}〕\d{1,6}号$/u;
const ARREST_REVIEW_CASE_NO = /^\p{Script=Han}{1,10}检捕〔\d{4}〕\d{1,6}号$/u;
/** Police case numbers (`A211402202500017`): a letter and digits; police own the exact format. */
const POLICE_CASE_NO = /^[A-Z]\d{10,30}$/;

export const isProsecutionCaseNo = (value: string): boolean => value.length <= MAX_LENGTH && PROSECUTION_CASE_NO.test(value);
export const isArrestReviewCaseNo = (value: string): boolean => value.length <= MAX_LENGTH && ARREST_REVIEW_CASE_NO.test(value);
export const isPoliceCaseNo = (value: string): boolean => POLICE_CASE_NO.test(value);

function check(argument: string, value: string, valid: (v: string) => boolean, example: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw badInput(argument, 'must not be empty');
  if (trimmed.length > MAX_LENGTH) throw badInput(argument, `must be at most ${MAX_LENGTH} characters`);
  if (!valid(trimmed)) throw badInput(argument, `expected a case number like ${example}`);
  return trimmed;
}

export function checkProsecutionCaseNo(argument: string, value: string): string {
  return check(argument, value, isProsecutionCaseNo, '连检刑诉〔2025〕17号');
}

export function checkArrestReviewCaseNo(argument: string, value: string): string {
  return check(argument, value, isArrestReviewCaseNo, '连检捕〔2025〕17号');
}

/**
 * Prosecutions and arrest reviews among the keys, or of a police case among them (the procuratorate
 * knows the police case number of the stage before): handled by the district's procuratorate or
 * the prosecutor in charge; linked to the police case, the arrest review and the defendants.
 */
export const procuratorateCaseLinks: CaseLinkFinder = async (keys, ctx) => {
  const [prosecutions, reviews] = await Promise.all([
    ctx.em.find(ProsecutionCase, { $or: [{ caseNo: { $in: keys } }, { policeCaseNo: { $in: keys } }] }),
    ctx.em.find(ArrestReview, { $or: [{ caseNo: { $in: keys } }, { policeCaseNo: { $in: keys } }] }),
  ]);
  const defendants = prosecutions.length ? await ctx.em.find(ProsecutionDefendant, { caseNo: { $in: prosecutions.map((p) => p.caseNo) } }) : [];
  return [
    ...prosecutions.map((p): CaseLink => ({
      caseNo: p.caseNo,
      handled: handledBy(ctx.viewer, 'procuratorate', p.townshipCode, p.prosecutorId),
      linked: [
        p.policeCaseNo,
        ...(p.arrestReviewCaseNo ? [p.arrestReviewCaseNo] : []),
        ...defendants.filter((d) => d.caseNo === p.caseNo).map((d) => d.personId),
      ],
    })),
    ...reviews.map((r): CaseLink => ({ caseNo: r.caseNo, handled: handledBy(ctx.viewer, 'procuratorate', r.townshipCode, null), linked: [r.policeCaseNo] })),
  ];
};
