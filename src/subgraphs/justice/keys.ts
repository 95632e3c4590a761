import { handledBy, type CaseLink, type CaseLinkFinder } from '../../kit/caseLinks';
import { CommunityCorrection } from './entities';

/* The justice bureau's keys: the community corrections a key links to (the gateway's purpose check). */

/** Community corrections among the keys, or executing a judgment among them: handled by the district's justice bureau or the correction officer; linked to the judgment and the person. */
export const justiceCaseLinks: CaseLinkFinder = async (keys, ctx) => {
  const corrections = await ctx.em.find(CommunityCorrection, { $or: [{ id: { $in: keys } }, { courtCaseNo: { $in: keys } }] });
  return corrections.map((c): CaseLink => ({
    caseNo: c.id,
    handled: handledBy(ctx.viewer, 'justice', c.districtCode, c.officerId),
    linked: [c.courtCaseNo, c.personId],
  }));
};
