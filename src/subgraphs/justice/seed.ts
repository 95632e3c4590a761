import type { EntityManager } from '@mikro-orm/postgresql';
import type { SeedSettings } from '../../kit/department';
import type { DemoCity } from '../../shared/demo/types';
import { personKey } from '../../shared/personKey';
import {
  CommunityCorrection, CorrectionStatus, LegalAidCase, LegalAidStatus, MediationCase, MediationOutcome, MediationParty, MediationPoint,
  MediationPointKind, Mediator,
} from './entities';

/**
 * The justice bureau's part of the demo city: mediation points and mediators, the mediation of
 * each dispute, the community corrections of probation sentences, and legal aid.
 */
export async function seedJustice(em: EntityManager, city: DemoCity, settings: SeedSettings): Promise<Record<string, number>> {
  const key = (idNumber: string) => personKey(idNumber, settings.personKeySecret);
  const points = new Map(city.mediationPoints.map((p) => [p.id, p]));
  const pointOf = (id: string) => {
    const point = points.get(id);
    if (!point) throw new Error(`demo dispute refers to unknown mediation point ${id}`);
    return point;
  };
  const rows = {
    mediationPoint: city.mediationPoints.map((p) => ({ ...p, kind: p.kind as MediationPointKind })),
    mediator: city.mediators,
    mediationCase: city.disputes.map((d) => ({
      id: d.mediationId,
      gridEventId: d.gridEventId,
      pointId: d.pointId,
      mediatorId: d.mediatorId,
      startedOn: d.startedOn,
      outcome: d.outcome as MediationOutcome,
      agreement: d.agreement,
      closedOn: d.closedOn,
      // A case is handled, and counted, where its mediation point is.
      districtCode: pointOf(d.pointId).districtCode,
      townshipCode: pointOf(d.pointId).townshipCode,
    })),
    mediationParty: city.disputes.flatMap((d) => d.partyIdNumbers.map((idNumber, seq) => ({ mediationId: d.mediationId, personId: key(idNumber), seq }))),
    // The plan holds one correction per judgment; it is served by the principal (first-named) defendant.
    communityCorrection: city.criminalChains.flatMap((c) => (c.correction && c.trial ? [{
      id: c.correction.id,
      personId: key(c.suspectIdNumbers[0]),
      courtCaseNo: c.trial.courtCaseNo,
      startOn: c.correction.startOn,
      endOn: c.correction.endOn,
      status: c.correction.status as CorrectionStatus,
      officerId: c.correction.officerId,
      districtCode: c.districtCode,
    }] : [])),
    legalAidCase: city.legalAid.map((l) => ({
      id: l.id,
      applicantId: key(l.applicantIdNumber),
      matter: l.matter,
      appliedOn: l.appliedOn,
      status: l.status as LegalAidStatus,
      districtCode: l.districtCode,
    })),
  };
  await em.insertMany(MediationPoint, rows.mediationPoint);
  await em.insertMany(Mediator, rows.mediator);
  await em.insertMany(MediationCase, rows.mediationCase);
  await em.insertMany(MediationParty, rows.mediationParty);
  await em.insertMany(CommunityCorrection, rows.communityCorrection);
  await em.insertMany(LegalAidCase, rows.legalAidCase);
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length]));
}
