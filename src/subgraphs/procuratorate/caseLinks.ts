import { handledBy, type CaseLink, type CaseLinkFinder } from '../../kit/caseLinks';
import { ArrestReview, ProsecutionCase, ProsecutionDefendant } from './entities';

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
      linked: [p.policeCaseNo, ...(p.arrestReviewCaseNo ? [p.arrestReviewCaseNo] : []), ...defendants.filter((d) => d.caseNo === p.caseNo).map((d) => d.personId)],
    })),
    ...reviews.map((r): CaseLink => ({ caseNo: r.caseNo, handled: handledBy(ctx.viewer, 'procuratorate', r.townshipCode, null), linked: [r.policeCaseNo] })),
  ];
};
