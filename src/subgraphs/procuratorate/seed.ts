import { eachMany } from '../../kit/bulk';
import { seedTable, type SeedSettings, type SeedTable } from '../../kit/department';
import type { DemoCitySource } from '../../demo/types';
import { handlingUnitCode } from '../../shared/orgUnits';
import { personKey } from '../../shared/personKey';
import { ArrestDecision, ArrestReview, ProsecutionCase, ProsecutionDecision, ProsecutionDefendant } from './entities';

/** The procuratorate's part of the demo city: the arrest and prosecution reviews of the criminal cases transferred by the police. */
export function seedProcuratorate(city: DemoCitySource, settings: SeedSettings): SeedTable[] {
  const transferred = () => city.criminalChains.flatMap((c) => (c.prosecution ? [{ chain: c, p: c.prosecution }] : []));
  return [
    seedTable(ProsecutionCase, () =>
      transferred().map(({ chain, p }) => ({
        caseNo: p.prosecutionCaseNo,
        policeCaseNo: chain.policeCaseNo,
        arrestReviewCaseNo: p.arrestReview?.caseNo ?? null,
        charges: [chain.charge],
        receivedOn: p.receivedOn,
        decision: p.decision as ProsecutionDecision,
        decidedOn: p.decidedOn,
        prosecutorId: p.prosecutorId,
        sealed: chain.sealed,
        districtCode: chain.districtCode,
        townshipCode: chain.gridCode.slice(0, 9),
        unitCode: handlingUnitCode('procuratorate', chain.districtCode),
      })),
    ),
    seedTable(ArrestReview, () =>
      transferred()
        .flatMap(({ chain, p }) => (p.arrestReview ? [{ chain, review: p.arrestReview }] : []))
        .map(({ chain, review }) => ({
          caseNo: review.caseNo,
          policeCaseNo: chain.policeCaseNo,
          decision: review.decision as ArrestDecision,
          decidedOn: review.decidedOn,
          sealed: chain.sealed,
          districtCode: chain.districtCode,
          townshipCode: chain.gridCode.slice(0, 9),
          unitCode: handlingUnitCode('procuratorate', chain.districtCode),
        })),
    ),
    seedTable(ProsecutionDefendant, () =>
      eachMany(transferred(), ({ chain, p }) =>
        chain.suspectIdNumbers.map((idNumber, i) => ({
          caseNo: p.prosecutionCaseNo,
          personId: personKey(idNumber, settings.personKeySecret),
          position: i + 1,
        })),
      ),
    ),
  ];
}
