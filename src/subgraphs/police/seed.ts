import { each, eachMany } from '../../kit/bulk';
import { seedTable, type SeedSettings, type SeedTable } from '../../kit/department';
import type { DemoCitySource } from '../../demo/types';
import { personKey } from '../../shared/personKey';
import { handlingUnitCode } from '../../shared/orgUnits';
import { policeCaseUnitCode } from './keys';
import { AuxiliaryOfficer, CaseParticipant, CaseParticipantRole, Incident, PoliceCase, PoliceCaseStage } from './entities';

/**
 * The police department's part of the demo city: every incident (the calls that stayed calls and
 * those that became criminal cases), the cases with their participants, and the auxiliary officers.
 */
export function seedPolice(city: DemoCitySource, settings: SeedSettings): SeedTable[] {
  const key = (idNumber: string) => personKey(idNumber, settings.personKeySecret);
  return [
    seedTable(Incident, () => ({
      expected: city.incidents.length + city.criminalChains.length,
      *[Symbol.iterator]() {
        for (const i of city.incidents) {
          yield {
            id: i.id,
            kind: i.kind,
            summary: i.summary,
            reportedAt: new Date(i.reportedAt),
            districtCode: i.districtCode,
            gridCode: i.gridCode,
            unitCode: handlingUnitCode('police', i.gridCode),
            reporterId: i.reporterIdNumber ? key(i.reporterIdNumber) : null,
          };
        }
        // A crime is reported when it happens, by its (first) victim; victimless offences are found by the police.
        for (const c of city.criminalChains) {
          yield {
            id: c.incidentId,
            kind: '刑事',
            summary: `接报涉嫌${c.charge}警情，经初查符合立案条件，立为刑事案件。`,
            reportedAt: new Date(c.occurredAt),
            districtCode: c.districtCode,
            gridCode: c.gridCode,
            unitCode: handlingUnitCode('police', c.gridCode),
            reporterId: c.victimIdNumbers.length > 0 ? key(c.victimIdNumbers[0]) : null,
          };
        }
      },
    })),
    seedTable(PoliceCase, () =>
      each(city.criminalChains, (c) => ({
        caseNo: c.policeCaseNo,
        charge: c.charge,
        stage: c.stage as PoliceCaseStage,
        filedOn: c.filedOn,
        occurredAt: new Date(c.occurredAt),
        districtCode: c.districtCode,
        gridCode: c.gridCode,
        unitCode: policeCaseUnitCode(c.policeCaseNo, c.gridCode),
        officerId: c.officerId,
        incidentId: c.incidentId,
        sealed: c.sealed,
        // The day the procuratorate received the case for prosecution review (审查起诉).
        transferredOn: c.prosecution?.receivedOn ?? null,
      })),
    ),
    seedTable(CaseParticipant, () =>
      eachMany(city.criminalChains, (c) => [
        ...c.suspectIdNumbers.map((id) => ({ caseNo: c.policeCaseNo, personId: key(id), role: CaseParticipantRole.SUSPECT })),
        ...c.victimIdNumbers.map((id) => ({ caseNo: c.policeCaseNo, personId: key(id), role: CaseParticipantRole.VICTIM })),
        ...c.witnessIdNumbers.map((id) => ({ caseNo: c.policeCaseNo, personId: key(id), role: CaseParticipantRole.WITNESS })),
      ]),
    ),
    seedTable(AuxiliaryOfficer, () => city.auxiliaryOfficers),
  ];
}
