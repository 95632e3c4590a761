import { handledBy, type CaseLink, type CaseLinkFinder } from '../../kit/caseLinks';
import { CaseParticipant, PoliceCase } from './entities';

/* The police's keys: the cases a key links to (the gateway's purpose check). */

/** Police cases among the keys: handled by the district's police or the investigating officer; linked to the incident and the participants. */
export const policeCaseLinks: CaseLinkFinder = async (keys, ctx) => {
  const cases = await ctx.em.find(PoliceCase, { caseNo: { $in: keys } });
  if (!cases.length) return [];
  const participants = await ctx.em.find(CaseParticipant, { caseNo: { $in: cases.map((c) => c.caseNo) } });
  return cases.map((c): CaseLink => ({
    caseNo: c.caseNo,
    handled: handledBy(ctx.viewer, 'police', c.gridCode, c.officerId),
    linked: [c.incidentId, ...participants.filter((p) => p.caseNo === c.caseNo).map((p) => p.personId)],
  }));
};
