import { each } from '../../kit/bulk';
import { seedTable, type SeedSettings, type SeedTable } from '../../kit/department';
import { gridCentroid } from '../../demo/centroids';
import { GridObjectsPlan, type DemoGridObjects } from '../../demo/gridObjects';
import type { DemoCitySource } from '../../demo/types';
import { personKey } from '../../shared/personKey';
import { namePinyin } from '../../shared/pinyin';
import { handlingUnitCode } from '../../shared/orgUnits';
import { House, HouseOccupancy } from './houses';
import { KeyPlace, KeyPlaceKind } from './keyPlaces';
import { SpecialPopulation, SpecialPopulationKind } from './specialPopulations';
import { Visit, VisitPurpose } from './visits';
import { VolunteerActivity, VolunteerProject, VolunteerTheme } from './volunteering';
import { volunteeringOf, type DemoVolunteering } from '../../demo/volunteering';
import { District, DivisionLevel, Gender, Grid, GridEvent, GridEventKind, GridEventStatus, GridWorker, HouseholdStatus, Person, Volunteer } from './entities';

/** The grid department's part of the demo city: divisions, grids, workers, residents, events, volunteers and their projects and activities, and the grid's objects. */
export function seedGrid(city: DemoCitySource, settings: SeedSettings): SeedTable[] {
  const key = (idNumber: string) => personKey(idNumber, settings.personKeySecret);
  // Houses are the residents' households: noted as the residents stream past, finished after them.
  const plan = new GridObjectsPlan(city);
  let finished: DemoGridObjects | undefined;
  const objects = () => (finished ??= plan.finish(city));
  let service: DemoVolunteering | undefined;
  const volunteering = () => (service ??= volunteeringOf(city));
  // Names repeat across a city (a few thousand distinct for millions of residents): each is read once.
  const pinyinOf = new Map<string, string>();
  const pinyin = (name: string) => pinyinOf.get(name) ?? pinyinOf.set(name, namePinyin(name)).get(name)!;
  return [
    seedTable(District, () => city.divisions.map((d) => ({ code: d.code, name: d.name, level: d.level as DivisionLevel, parentCode: d.parentCode }))),
    seedTable(Grid, () =>
      city.grids.map((g) => ({
        code: g.code,
        name: g.name,
        village: g.village,
        townshipCode: g.townshipCode,
        districtCode: g.districtCode,
        workerId: g.workerId,
        ...gridCentroid(city.seed, g.code),
      })),
    ),
    seedTable(GridWorker, () => city.gridWorkers.map((w) => ({ id: w.id, name: w.name, phone: w.phone, gridCode: w.gridCode }))),
    // The residents stream first: everything after them is built from them.
    seedTable(Person, () =>
      each(city.persons, (p) => ({
        id: key(p.idNumber),
        name: p.name,
        namePinyin: pinyin(p.name),
        gender: p.gender as Gender,
        birthDate: p.birthDate,
        idNumber: p.idNumber,
        phone: p.phone,
        address: p.address,
        householdStatus: p.householdStatus as HouseholdStatus,
        rentalHousing: p.rentalHousing,
        gridCode: p.gridCode,
        houseId: plan.resident(p),
      })),
    ),
    seedTable(GridEvent, () =>
      each(city.gridEvents, (e) => ({
        id: e.id,
        kind: e.kind as GridEventKind,
        title: e.title,
        description: e.description,
        status: e.status as GridEventStatus,
        gridCode: e.gridCode,
        unitCode: handlingUnitCode('zongzhi', e.gridCode),
        reportedBy: e.reportedBy,
        reportedAt: new Date(e.reportedAt),
        involvedPersonIds: e.involvedIdNumbers.map(key),
      })),
    ),
    seedTable(Volunteer, () => city.volunteers),
    seedTable(VolunteerProject, () => volunteering().projects.map((p) => ({ ...p, theme: p.theme as VolunteerTheme }))),
    seedTable(VolunteerActivity, () => volunteering().activities),
    seedTable(House, () =>
      each(objects().houses, (h) => ({
        id: h.id,
        gridCode: h.gridCode,
        address: h.address,
        occupancy: h.occupancy as HouseOccupancy,
        ownerId: h.ownerIdNumber && key(h.ownerIdNumber),
        tenantsDeclared: h.tenantsDeclared,
        rentedSince: h.rentedSince,
      })),
    ),
    seedTable(SpecialPopulation, () =>
      each(objects().specialPopulations, (s) => ({
        id: s.id,
        personId: key(s.idNumber),
        gridCode: s.gridCode,
        kind: s.kind as SpecialPopulationKind,
        registeredOn: s.registeredOn,
        responsibleAgency: s.responsibleAgency,
        measures: s.measures,
      })),
    ),
    seedTable(KeyPlace, () => each(objects().keyPlaces, (k) => ({ ...k, kind: k.kind as KeyPlaceKind }))),
    seedTable(Visit, () =>
      each(objects().visits, (v) => ({
        id: v.id,
        gridCode: v.gridCode,
        visitedBy: v.visitedBy,
        visitedAt: new Date(v.visitedAt),
        purpose: v.purpose as VisitPurpose,
        personId: v.idNumber && key(v.idNumber),
        houseId: v.houseId,
        keyPlaceId: v.keyPlaceId,
        note: v.note,
      })),
    ),
  ];
}
