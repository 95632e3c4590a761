import { handledBy, type CaseLink, type CaseLinkFinder } from '../../kit/caseLinks';
import { CourtCase, CourtParty } from './entities';

/** Court cases among the keys, or filed on a prosecution among them: handled by the district's court or the presiding judge; linked to the prosecution and the parties. */
export const courtCaseLinks: CaseLinkFinder = async (keys, ctx) => {
  const cases = await ctx.em.find(CourtCase, { $or: [{ caseNo: { $in: keys } }, { prosecutionCaseNo: { $in: keys } }] });
  if (!cases.length) return [];
  const parties = await ctx.em.find(CourtParty, { caseNo: { $in: cases.map((c) => c.caseNo) } });
  return cases.map((c): CaseLink => ({
    caseNo: c.caseNo,
    handled: handledBy(ctx.viewer, 'court', c.townshipCode, c.judgeId),
    linked: [...(c.prosecutionCaseNo ? [c.prosecutionCaseNo] : []), ...parties.filter((p) => p.caseNo === c.caseNo).map((p) => p.personId)],
  }));
};
