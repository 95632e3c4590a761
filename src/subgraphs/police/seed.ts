import type { EntityManager } from '@mikro-orm/postgresql';
import type { SeedSettings } from '../../kit/department';
import type { DemoCity } from '../../shared/demo/types';
import { personKey } from '../../shared/personKey';
import { AuxiliaryOfficer, CaseParticipant, CaseParticipantRole, Incident, PoliceCase, PoliceCaseStage } from './entities';

/**
 * The police department's part of the demo city: every incident (the calls that stayed calls and
 * those that became criminal cases), the cases with their participants, and the auxiliary officers.
 */
export async function seedPolice(em: EntityManager, city: DemoCity, settings: SeedSettings): Promise<Record<string, number>> {
  const key = (idNumber: string) => personKey(idNumber, settings.personKeySecret);
  const chains = city.criminalChains;
  const rows = {
    incident: [
      ...city.incidents.map((i) => ({
        id: i.id,
        kind: i.kind,
        summary: i.summary,
        reportedAt: new Date(i.reportedAt),
        districtCode: i.districtCode,
        gridCode: i.gridCode,
        reporterId: i.reporterIdNumber ? key(i.reporterIdNumber) : null,
      })),
      // A crime is reported when it happens, by its (first) victim; victimless offences are found by the police.
      ...chains.map((c) => ({
        id: c.incidentId,
        kind: '刑事',
        summary: `接报涉嫌${c.charge}警情，经初查符合立案条件，立为刑事案件。`,
        reportedAt: new Date(c.occurredAt),
        districtCode: c.districtCode,
        gridCode: c.gridCode,
        reporterId: c.victimIdNumbers.length > 0 ? key(c.victimIdNumbers[0]) : null,
      })),
    ],
    policeCase: chains.map((c) => ({
      caseNo: c.policeCaseNo,
      charge: c.charge,
      stage: c.stage as PoliceCaseStage,
      filedOn: c.filedOn,
      occurredAt: new Date(c.occurredAt),
      districtCode: c.districtCode,
      gridCode: c.gridCode,
      officerId: c.officerId,
      incidentId: c.incidentId,
      // The day the procuratorate received the case for prosecution review (审查起诉).
      transferredOn: c.prosecution?.receivedOn ?? null,
    })),
    caseParticipant: chains.flatMap((c) => [
      ...c.suspectIdNumbers.map((id) => ({ caseNo: c.policeCaseNo, personId: key(id), role: CaseParticipantRole.SUSPECT })),
      ...c.victimIdNumbers.map((id) => ({ caseNo: c.policeCaseNo, personId: key(id), role: CaseParticipantRole.VICTIM })),
      ...c.witnessIdNumbers.map((id) => ({ caseNo: c.policeCaseNo, personId: key(id), role: CaseParticipantRole.WITNESS })),
    ]),
    auxiliaryOfficer: city.auxiliaryOfficers,
  };
  await em.insertMany(Incident, rows.incident);
  await em.insertMany(PoliceCase, rows.policeCase);
  await em.insertMany(CaseParticipant, rows.caseParticipant);
  await em.insertMany(AuxiliaryOfficer, rows.auxiliaryOfficer);
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length]));
}
