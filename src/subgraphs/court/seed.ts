import { eachMany } from '../../kit/bulk';
import { seedTable, type SeedSettings, type SeedTable } from '../../kit/department';
import type { DemoCitySource } from '../../demo/types';
import { personKey } from '../../shared/personKey';
import { CourtCase, CourtParty, Hearing } from './entities';
import { courtCasesOf, type CourtCaseRecord } from './plan';

/** The court's part of the demo city: criminal trials, judicial confirmations, lawsuits and enforcement cases. */
export function seedCourt(city: DemoCitySource, settings: SeedSettings): SeedTable[] {
  const key = (idNumber: string) => personKey(idNumber, settings.personKeySecret);
  let planned: CourtCaseRecord[] | undefined;
  const cases = () => (planned ??= courtCasesOf(city));
  return [
    seedTable(CourtCase, () => cases().map(({ parties: _parties, hearings: _hearings, ...row }) => row)),
    seedTable(CourtParty, () => eachMany(cases(), (c) => c.parties.map((p) => ({ caseNo: c.caseNo, personId: key(p.idNumber), role: p.role })))),
    seedTable(Hearing, () => eachMany(cases(), (c) => c.hearings.map((h) => ({ caseNo: c.caseNo, ...h })))),
  ];
}
