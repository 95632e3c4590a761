import { badInput } from '../../shared/errors';
import { handledBy, type CaseLink, type CaseLinkFinder } from '../../kit/caseLinks';
import { ArrestReview, ProsecutionCase, ProsecutionDefendant } from './entities';

/* The procuratorate's keys: its document numbers (and the shape of the police case numbers it is handed), and the cases a key links to (the gateway's purpose check). */

/**
 * A procuratorate document number (文书编号) taken apart: the procuratorate's abbreviation, 检,
 * optionally the department that handles it (一部 = 第一检察部, 未检部 …), the kind of case, the
 * year in 〔〕 and a sequence, which some procuratorates prefix with a letter —
 * `连检刑诉〔2025〕17号` (审查起诉, the demo city's), `葫连检一部刑诉〔2025〕Z91号` (the form a real
 * case system issues: 葫芦岛 连山区, first department, sequence Z91), `连检捕〔2025〕17号` (审查逮捕).
 * Abbreviations vary between procuratorates, so they are read, not checked against a list.
 */
export interface ProcuratorateDocumentNumber {
  procuratorate: string;
  department: string | null;
  kind: 'prosecution' | 'arrestReview';
  year: number;
  sequence: string;
}

const MAX_LENGTH = 40;
const DOCUMENT_NO = /^(\p{Script=Han}{1,10}?)检(\p{Script=Han}{1,3}部)?(刑诉|捕)〔((?:19|20)\d{2})〕([A-Z]?\d{1,6})号$/u;
const KINDS = { 刑诉: 'prosecution', 捕: 'arrestReview' } as const;

/** The parts of a procuratorate document number, or null when it is not one (or longer than any issued). */
export function parseProcuratorateDocumentNo(value: string): ProcuratorateDocumentNumber | null {
  const m = value.length <= MAX_LENGTH ? DOCUMENT_NO.exec(value) : null;
  if (!m) return null;
  const [, procuratorate, department, kind, year, sequence] = m;
  return { procuratorate, department: department ?? null, kind: KINDS[kind as keyof typeof KINDS], year: Number(year), sequence };
}

/** Police case numbers (`A211402202500017`, `A2114020400002025010012`): a letter and digits; the police own the exact format. */
const POLICE_CASE_NO = /^[A-Z]\d{10,30}$/;

export const isProsecutionCaseNo = (value: string): boolean => parseProcuratorateDocumentNo(value)?.kind === 'prosecution';
export const isArrestReviewCaseNo = (value: string): boolean => parseProcuratorateDocumentNo(value)?.kind === 'arrestReview';
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
 * the prosecutor in charge; linked to the police case and the arrest review, the defendants related.
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
      linked: [p.policeCaseNo, ...(p.arrestReviewCaseNo ? [p.arrestReviewCaseNo] : [])],
      related: defendants.filter((d) => d.caseNo === p.caseNo).map((d) => d.personId),
    })),
    ...reviews.map((r): CaseLink => ({
      caseNo: r.caseNo,
      handled: handledBy(ctx.viewer, 'procuratorate', r.townshipCode, null),
      linked: [r.policeCaseNo],
      related: [],
    })),
  ];
};
