import type { EntityManager } from '@mikro-orm/postgresql';
import type { SeedSettings } from '../../kit/department';
import type { DemoCity } from '../../shared/demo/types';
import { personKey } from '../../shared/personKey';
import { CourtCase, CourtParty, Hearing } from './entities';
import { courtCasesOf } from './plan';

/** The court's part of the demo city: criminal trials, judicial confirmations, lawsuits and enforcement cases. */
export async function seedCourt(em: EntityManager, city: DemoCity, settings: SeedSettings): Promise<Record<string, number>> {
  const key = (idNumber: string) => personKey(idNumber, settings.personKeySecret);
  const cases = courtCasesOf(city);
  const rows = {
    courtCase: cases.map(({ parties: _parties, hearings: _hearings, ...row }) => row),
    courtParty: cases.flatMap((c) => c.parties.map((p) => ({ caseNo: c.caseNo, personId: key(p.idNumber), role: p.role }))),
    hearing: cases.flatMap((c) => c.hearings.map((h) => ({ caseNo: c.caseNo, ...h }))),
  };
  await em.insertMany(CourtCase, rows.courtCase);
  await em.insertMany(CourtParty, rows.courtParty);
  await em.insertMany(Hearing, rows.hearing);
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length]));
}
