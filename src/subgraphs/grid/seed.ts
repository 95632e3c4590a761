import type { EntityManager } from '@mikro-orm/postgresql';
import type { SeedSettings } from '../../kit/department';
import type { DemoCity } from '../../shared/demo/types';
import { personKey } from '../../shared/personKey';
import { District, DivisionLevel, Gender, Grid, GridEvent, GridEventKind, GridEventStatus, GridWorker, HouseholdStatus, Person, Volunteer } from './entities';

/** The grid department's part of the demo city: divisions, grids, workers, residents, events, volunteers. */
export async function seedGrid(em: EntityManager, city: DemoCity, settings: SeedSettings): Promise<Record<string, number>> {
  const key = (idNumber: string) => personKey(idNumber, settings.personKeySecret);
  const rows = {
    district: city.divisions.map((d) => ({ code: d.code, name: d.name, level: d.level as DivisionLevel, parentCode: d.parentCode })),
    grid: city.grids.map((g) => ({ code: g.code, name: g.name, village: g.village, townshipCode: g.townshipCode, districtCode: g.districtCode, workerId: g.workerId })),
    gridWorker: city.gridWorkers.map((w) => ({ id: w.id, name: w.name, phone: w.phone, gridCode: w.gridCode })),
    person: city.persons.map((p) => ({
      id: key(p.idNumber),
      name: p.name,
      gender: p.gender as Gender,
      birthDate: p.birthDate,
      idNumber: p.idNumber,
      phone: p.phone,
      address: p.address,
      householdStatus: p.householdStatus as HouseholdStatus,
      rentalHousing: p.rentalHousing,
      gridCode: p.gridCode,
    })),
    gridEvent: city.gridEvents.map((e) => ({
      id: e.id,
      kind: e.kind as GridEventKind,
      title: e.title,
      description: e.description,
      status: e.status as GridEventStatus,
      gridCode: e.gridCode,
      reportedBy: e.reportedBy,
      reportedAt: new Date(e.reportedAt),
      involvedPersonIds: e.involvedIdNumbers.map(key),
    })),
    volunteer: city.volunteers,
  };
  await em.insertMany(District, rows.district);
  await em.insertMany(Grid, rows.grid);
  await em.insertMany(GridWorker, rows.gridWorker);
  await em.insertMany(Person, rows.person);
  await em.insertMany(GridEvent, rows.gridEvent);
  await em.insertMany(Volunteer, rows.volunteer);
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length]));
}
