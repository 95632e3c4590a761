import type { EntityManager } from '@mikro-orm/postgresql';
import type { SeedSettings } from '../../kit/department';
import type { DemoCity } from '../../shared/demo/types';
import { personKey } from '../../shared/personKey';
import { ArrestDecision, ArrestReview, ProsecutionCase, ProsecutionDecision, ProsecutionDefendant } from './entities';

/** The procuratorate's part of the demo city: the arrest and prosecution reviews of the criminal cases transferred by the police. */
export async function seedProcuratorate(em: EntityManager, city: DemoCity, settings: SeedSettings): Promise<Record<string, number>> {
  const transferred = city.criminalChains.flatMap((c) => (c.prosecution ? [{ chain: c, p: c.prosecution }] : []));
  const rows = {
    prosecutionCase: transferred.map(({ chain, p }) => ({
      caseNo: p.prosecutionCaseNo,
      policeCaseNo: chain.policeCaseNo,
      arrestReviewCaseNo: p.arrestReviewCaseNo,
      charges: [chain.charge],
      receivedOn: p.receivedOn,
      decision: p.decision as ProsecutionDecision,
      decidedOn: p.decidedOn,
      prosecutorId: p.prosecutorId,
      districtCode: chain.districtCode,
      townshipCode: chain.gridCode.slice(0, 9),
    })),
    arrestReview: transferred.map(({ chain, p }) => ({
      caseNo: p.arrestReviewCaseNo,
      policeCaseNo: chain.policeCaseNo,
      decision: p.arrestDecision as ArrestDecision,
      decidedOn: p.arrestDecidedOn,
      districtCode: chain.districtCode,
      townshipCode: chain.gridCode.slice(0, 9),
    })),
    prosecutionDefendant: transferred.flatMap(({ chain, p }) =>
      chain.suspectIdNumbers.map((idNumber, i) => ({ caseNo: p.prosecutionCaseNo, personId: personKey(idNumber, settings.personKeySecret), position: i + 1 })),
    ),
  };
  await em.insertMany(ProsecutionCase, rows.prosecutionCase);
  await em.insertMany(ArrestReview, rows.arrestReview);
  await em.insertMany(ProsecutionDefendant, rows.prosecutionDefendant);
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length]));
}
