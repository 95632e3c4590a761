import { handledBy, type CaseLink, type CaseLinkFinder } from '../../kit/caseLinks';
import { CommunityCorrection, LegalAidCase } from './entities';

/* The justice bureau's keys: the records a key links to (the gateway's purpose check). */

/**
 * Community corrections among the keys, or executing a judgment among them: handled by the
 * district's justice bureau or the correction officer; linked to the judgment, the person related.
 * Legal aid defending a police case among the keys: handled by the district's justice bureau (its
 * legal aid centre); linked to the case, the applicant related.
 */
export const justiceCaseLinks: CaseLinkFinder = async (keys, ctx) => {
  const [corrections, defences] = await Promise.all([
    ctx.em.find(CommunityCorrection, { $or: [{ id: { $in: keys } }, { courtCaseNo: { $in: keys } }] }),
    ctx.em.find(LegalAidCase, { policeCaseNo: { $in: keys } }),
  ]);
  return [
    ...corrections.map((c): CaseLink => ({
      caseNo: c.id,
      handled: handledBy(ctx.viewer, 'justice', c.districtCode, c.officerId),
      linked: [c.courtCaseNo],
      related: [c.personId],
    })),
    ...defences.map((l): CaseLink => ({
      caseNo: l.id,
      handled: handledBy(ctx.viewer, 'justice', l.districtCode, null),
      linked: [l.policeCaseNo!],
      related: [l.applicantId],
    })),
  ];
};
