import { eachMany } from '../../kit/bulk';
import { seedTable, type SeedSettings, type SeedTable } from '../../kit/department';
import type { DemoCitySource } from '../../demo/types';
import { handlingUnitCode } from '../../shared/orgUnits';
import { personKey } from '../../shared/personKey';
import {
  CommunityCorrection,
  CorrectionEvent,
  CorrectionEventKind,
  CorrectionGroupMember,
  CorrectionGroupRole,
  CorrectionKind,
  CorrectionStatus,
  LegalAidCase,
  LegalAidStatus,
  MediationCase,
  MediationOutcome,
  MediationParty,
  MediationPoint,
  MediationPointKind,
  MediationSource,
  Mediator,
  PreSentenceAssessment,
} from './entities';

/**
 * The justice bureau's part of the demo city: mediation points and mediators, the mediation of
 * each dispute (a grid event's, or one the police or the petition bureau referred), the community corrections with their files and groups, the pre-sentence assessments, and legal aid.
 */
export function seedJustice(city: DemoCitySource, settings: SeedSettings): SeedTable[] {
  const key = (idNumber: string) => personKey(idNumber, settings.personKeySecret);
  return [
    seedTable(MediationPoint, () => city.mediationPoints.map((p) => ({ ...p, kind: p.kind as MediationPointKind }))),
    seedTable(Mediator, () => city.mediators),
    seedTable(MediationCase, () => {
      const points = new Map(city.mediationPoints.map((p) => [p.id, p]));
      return city.disputes.map((d) => {
        const point = points.get(d.pointId);
        if (!point) throw new Error(`demo dispute refers to unknown mediation point ${d.pointId}`);
        return {
          id: d.mediationId,
          gridEventId: d.gridEventId,
          source: d.source as MediationSource,
          incidentId: d.incidentId,
          petitionCaseId: d.petition?.caseId ?? null,
          pointId: d.pointId,
          mediatorId: d.mediatorId,
          startedOn: d.startedOn,
          outcome: d.outcome as MediationOutcome,
          agreement: d.agreement,
          closedOn: d.closedOn,
          // A case is handled, and counted, where its mediation point is.
          districtCode: point.districtCode,
          townshipCode: point.townshipCode,
          unitCode: handlingUnitCode('justice', point.townshipCode),
        };
      });
    }),
    seedTable(MediationParty, () =>
      eachMany(city.disputes, (d) => d.partyIdNumbers.map((idNumber, seq) => ({ mediationId: d.mediationId, personId: key(idNumber), seq }))),
    ),
    // The plan holds one correction per judgment; it is served by the principal (first-named) defendant.
    seedTable(CommunityCorrection, () =>
      city.criminalChains.flatMap((c) =>
        c.correction && c.trial
          ? [
              {
                id: c.correction.id,
                personId: key(c.suspectIdNumbers[0]),
                courtCaseNo: c.trial.courtCaseNo,
                startOn: c.correction.startOn,
                endOn: c.correction.endOn,
                status: c.correction.status as CorrectionStatus,
                kind: c.correction.kind as CorrectionKind,
                reportedOn: c.correction.reportedOn,
                officerId: c.correction.officerId,
                sealed: c.sealed,
                districtCode: c.districtCode,
                unitCode: handlingUnitCode('justice', c.districtCode),
              },
            ]
          : [],
      ),
    ),
    seedTable(CorrectionEvent, () =>
      eachMany(city.criminalChains, (c) =>
        (c.correction?.events ?? []).map((e) => ({
          correctionId: c.correction!.id,
          kind: e.kind as CorrectionEventKind,
          occurredOn: e.occurredOn,
          reason: e.reason,
          officerId: e.officerId,
        })),
      ),
    ),
    seedTable(CorrectionGroupMember, () =>
      eachMany(city.criminalChains, (c) =>
        (c.correction?.group ?? []).map((m) => ({ correctionId: c.correction!.id, role: m.role as CorrectionGroupRole, name: m.name })),
      ),
    ),
    seedTable(PreSentenceAssessment, () =>
      city.criminalChains.flatMap((c) => (c.trial?.assessment ? [{ ...c.trial.assessment, courtCaseNo: c.trial.courtCaseNo }] : [])),
    ),
    // A juvenile defence carries the seal of the case it serves, as every department's record of that case does.
    seedTable(LegalAidCase, () => {
      const sealed = new Map(city.criminalChains.map((c) => [c.policeCaseNo, c.sealed]));
      return city.legalAid.map((l) => ({
        id: l.id,
        applicantId: key(l.applicantIdNumber),
        policeCaseNo: l.policeCaseNo,
        sealed: l.policeCaseNo !== null && sealed.get(l.policeCaseNo) === true,
        matter: l.matter,
        appliedOn: l.appliedOn,
        status: l.status as LegalAidStatus,
        districtCode: l.districtCode,
        unitCode: handlingUnitCode('justice', l.districtCode),
      }));
    }),
  ];
}
