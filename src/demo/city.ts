/**
 * Builds the demo city: one deterministic plan of people, grids, disputes and criminal cases that
 * every department's seed reads its own part of. `buildDemoCity(size, seed)` is a pure function:
 * the same input gives byte-identical output (no clock, no Math.random()).
 */

import { makeIdNumber } from '../shared/idNumber';
import {
  CHARGES,
  CITY_VOLUNTEER_GROUP,
  DISPUTES,
  GRID_EVENTS,
  INCIDENTS,
  JUVENILE_DEFENCE_MATTER,
  LEGAL_AID_MATTERS,
  volunteerGroupsOf,
  type Setting,
} from './catalog';
import { allot, residentsPerGrid } from './allotment';
import { addDays, addMonths, addYears, ageOn, dayOfYear, daysBetween, maxDate, minDate } from './dates';
import { CITY_CODE, CITY_NAME, DISTRICTS, ORIGIN_REGION_CODES, PROVINCE_NAME, localityNames, townshipsOf, type District, type Township } from './divisions';
import { mobilePhone, personName, surname, type Gender } from './names';
import { BirthIndex, NumberMap, Population, dayNumber, type Pool } from './population';
import { openCorrectionFiles } from './corrections';
import { referToMediation } from './mediationReferrals';
import { escalateDisputes } from './civilToCriminal';
import { Random } from './random';
import type {
  DemoAuxiliaryOfficer,
  DemoCity,
  DemoCitySize,
  DemoCitySource,
  DemoCriminalChain,
  DemoDisputeChain,
  DemoDivision,
  DemoEnforcementCase,
  DemoGrid,
  DemoGridEvent,
  DemoGridWorker,
  DemoIncident,
  DemoLegalAid,
  DemoMediationPoint,
  DemoMediator,
  DemoPerson,
  DemoVolunteer,
  GridEventStatus,
  MediationPointKind,
} from './types';

export const DEMO_SIZES: Record<'small' | 'medium', DemoCitySize> = {
  small: {
    townshipsPerDistrict: 2,
    gridsPerTownship: 3,
    personsPerGrid: 20,
    volunteersPerDistrict: 10,
    disputes: 40,
    criminalChains: 40,
    extraIncidents: 60,
    enforcementCases: 15,
    legalAid: 20,
  },
  medium: {
    townshipsPerDistrict: 6,
    gridsPerTownship: 5,
    personsPerGrid: 40,
    volunteersPerDistrict: 100,
    disputes: 400,
    criminalChains: 400,
    extraIncidents: 600,
    enforcementCases: 150,
    legalAid: 200,
  },
};

/** Disputes need two adults from different households in every grid, whatever its district's share. */
const MIN_RESIDENTS_PER_GRID = 10;

/** The demo's fixed "today": open cases, active corrections and pending decisions are as of this day. */
export const DEMO_TODAY = '2026-11-29';
/** Every dated event of the demo falls in its period, which ends here whatever its length. */
export const DEMO_PERIOD_END = '2026-11-28';
/** The history the demo has always had: 2025-01 … 2026-11. */
export const DEFAULT_HISTORY_MONTHS = 23;
/** The history lengths a demo city may have (`hub seed --history-months`): a year at least, ten at most. */
export const HISTORY_MONTHS_RANGE = { min: 12, max: 120 } as const;

/** The days a demo city's records fall in: whole months back from DEMO_PERIOD_END's, that month included. */
export interface DemoPeriod {
  start: string;
  end: string;
}

/** The demo period of `months` months, the last one the month of DEMO_PERIOD_END. */
export function demoPeriod(months = DEFAULT_HISTORY_MONTHS): DemoPeriod {
  if (!Number.isInteger(months) || months < HISTORY_MONTHS_RANGE.min || months > HISTORY_MONTHS_RANGE.max) {
    throw new RangeError(`the history must be a whole number of months from ${HISTORY_MONTHS_RANGE.min} to ${HISTORY_MONTHS_RANGE.max}, got ${months}`);
  }
  return { start: addMonths(`${DEMO_PERIOD_END.slice(0, 7)}-01`, 1 - months), end: DEMO_PERIOD_END };
}

/** The default period's first day. */
export const DEMO_PERIOD_START = demoPeriod().start;
/**
 * Of the suspects of offences punishable with 有期徒刑 that the police transfer, the share they first
 * ask the procuratorate to arrest (提请批准逮捕); the others come on bail (取保候审). Nationally the
 * procuratorates review about half as many people for arrest as they review for prosecution
 * (docs/domain.md).
 */
const ARREST_REQUEST_SHARE = 0.55;

/** Districts with a personal mediation room (个人调解室) named after its mediator, like 老肖调解室. */
const PERSONAL_ROOM_DISTRICTS: ReadonlySet<string> = new Set(['211402', '211403', '211421', '211422']);
/** The "1+10+24+N" non-litigation service network is anchored in 兴城. */
const NON_LITIGATION_DISTRICT = '211481';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A timestamp on `day` between 08:00 and 23:59 Beijing time, i.e. 00:00–15:59 UTC, so that the
 * date part of the ISO string is the same day in both zones and compares with plain dates.
 */
function momentOn(rng: Random, day: string): string {
  return rng.timestamp(`${day}T00:00:00Z`, `${day}T15:59:59Z`);
}

/** A uniform pick from a pool read in place (the same draw as `Random.pick`). */
function pickFrom(rng: Random, pool: Pool): number {
  const picked = pool.at(rng.index(pool.length));
  if (picked === undefined) throw new RangeError('cannot pick from an empty list');
  return picked;
}

function rangeInt(rng: Random, [min, max]: readonly [number, number]): number {
  return rng.int(min, max);
}

/** How documents name a party: surname + 某, with 甲/乙 when two parties share a surname. */
function anonymousLabels(names: readonly string[]): string[] {
  const surnames = names.map((name) => name[0]);
  return surnames.map((s, i) => (surnames.filter((x) => x === s).length > 1 ? `${s}某${'甲乙丙丁'[i]}` : `${s}某`));
}

interface NumberRequest {
  /** Sequence counter: one per issuing office and kind of number. */
  key: string;
  date: string;
  /** Roughly how many numbers the office issues a day, so that numbers grow with the date. */
  perDay: number;
  /** Restarts every calendar year (case numbers) or runs on (record ids). */
  yearly: boolean;
  assign(seq: number, year: string): void;
}

/**
 * Hands out case numbers and record ids once every record is dated: in date order, strictly
 * increasing per counter (so unique), and about as high as a real office would have reached by
 * that day, the demo's cases being a sample of everything the office handles.
 */
class Numbering {
  private readonly requests: NumberRequest[] = [];

  /** Record ids (not restarting yearly) count days from `firstDay`, the period's start. */
  constructor(private readonly firstDay: string) {}

  request(request: NumberRequest): void {
    this.requests.push(request);
  }

  clear(): void {
    this.requests.length = 0;
  }

  assignAll(rng: Random): void {
    // Array.prototype.sort is stable, so same-day requests keep their generation order.
    const ordered = [...this.requests].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
    const last = new Map<string, number>();
    for (const r of ordered) {
      const year = r.date.slice(0, 4);
      const counter = r.yearly ? `${r.key}|${year}` : r.key;
      const day = r.yearly ? dayOfYear(r.date) : daysBetween(this.firstDay, r.date) + 1;
      const expected = Math.floor((day - 1) * r.perDay) + rng.int(1, Math.ceil(r.perDay));
      const seq = Math.max((last.get(counter) ?? 0) + 1, expected);
      last.set(counter, seq);
      r.assign(seq, year);
    }
  }
}

interface GridPlan {
  grid: DemoGrid;
  district: District;
  township: Township;
  /** Covers a village (村) rather than a residential community (社区). */
  rural: boolean;
  /** The first grid of its village or community (several grids share one in a large city). */
  firstOfLocality: boolean;
}

/** Every region code a resident's ID number may start with: the city's districts, then where floating residents come from. */
const REGION_CODES: readonly string[] = [...DISTRICTS.map((d) => d.code), ...ORIGIN_REGION_CODES.map(([code]) => code)];
const REGION_INDEX = new Map(REGION_CODES.map((code, i) => [code, i]));

interface MemberPlan {
  gender: Gender;
  /** Age on the first day of the demo period. */
  age: number;
  /** Carries the household's surname (a husband, his children and his father). */
  inherits: boolean;
}

const HEAD_AGES: readonly (readonly [readonly [number, number], number])[] = [
  [[22, 34], 22],
  [[35, 49], 32],
  [[50, 64], 28],
  [[65, 85], 18],
];
const SINGLE_AGES: readonly (readonly [readonly [number, number], number])[] = [
  [[18, 30], 4],
  [[31, 64], 3],
  [[65, 90], 4],
];

function randomGender(rng: Random, femaleShare = 0.5): Gender {
  return rng.chance(femaleShare) ? 'FEMALE' : 'MALE';
}

/** Who lives in one household, head first and children last (minors share the head's phone). */
function householdPlan(rng: Random): MemberPlan[] {
  const shape = rng.weighted([
    ['single', 15],
    ['couple', 22],
    ['one-child', 30],
    ['two-children', 15],
    ['three-generations', 12],
    ['single-parent', 6],
  ] as const);
  if (shape === 'single') {
    return [{ gender: randomGender(rng), age: rangeInt(rng, rng.weighted(SINGLE_AGES)), inherits: true }];
  }
  const members: MemberPlan[] = [];
  let motherAge: number;
  if (shape === 'single-parent') {
    const gender = randomGender(rng, 0.7);
    motherAge = rng.int(28, 50);
    members.push({ gender, age: motherAge, inherits: gender === 'MALE' });
  } else {
    const husbandAge = rangeInt(rng, rng.weighted(HEAD_AGES));
    motherAge = Math.min(90, Math.max(20, husbandAge + rng.int(-6, 2)));
    members.push({ gender: 'MALE', age: husbandAge, inherits: true }, { gender: 'FEMALE', age: motherAge, inherits: false });
    const elderAge = husbandAge + rng.int(24, 32);
    if (shape === 'three-generations' && elderAge <= 90) {
      const gender = randomGender(rng, 0.65);
      members.push({ gender, age: elderAge, inherits: gender === 'MALE' });
    }
  }
  const children = { couple: 0, 'one-child': 1, 'two-children': 2, 'three-generations': rng.int(1, 2), 'single-parent': 1 }[shape];
  for (let i = 0; i < children; i++) {
    const age = motherAge - rng.int(22, 36);
    if (age >= 0) members.push({ gender: randomGender(rng, 0.48), age, inherits: true });
  }
  return members;
}

type CriminalFate = 'FILED' | 'INVESTIGATING' | 'CLOSED' | 'PROSECUTE' | 'NOT_PROSECUTE' | 'PENDING';
type TrialFate = 'GUILTY' | 'NOT_GUILTY' | 'AWAITING_JUDGMENT';

/** A case still open at the end of the period started recently: at most this many days before its last step. */
function openForDays(fate: CriminalFate, trialFate: TrialFate | undefined): number | undefined {
  switch (fate) {
    case 'FILED':
      return 7;
    case 'INVESTIGATING':
      return 120;
    case 'PENDING':
      return 40;
    default:
      return trialFate === 'AWAITING_JUDGMENT' ? 25 : undefined;
  }
}

/** Days from the offence to each step of a criminal case (absent steps are undefined). */
interface CriminalTimeline {
  filed: number;
  arrest?: number;
  received?: number;
  decided?: number;
  courtFiled?: number;
  hearing?: number;
  judged?: number;
  correction?: number;
}

/** What the stories of the city are built into; persons are streamed, never kept. */
type CityRecords = Omit<DemoCity, 'persons'>;

class CityBuilder {
  readonly city: CityRecords;
  private readonly plans: GridPlan[] = [];
  /** Residents of each grid (by plan index): the districts in their census shares. */
  private readonly gridResidents: number[];
  private readonly plansByDistrict = new Map<string, GridPlan[]>();
  /** Each grid's residents are the indexes [start, end) of the population. */
  private readonly residentsOfGrid = new Map<string, { start: number; end: number }>();
  private readonly residentsOfDistrict = new Map<string, { start: number; end: number }>();
  private readonly adultsByGrid = new Map<string, number[]>();
  private readonly birthIndexes = new Map<string, BirthIndex>();
  private readonly people: Population;
  private readonly phones: NumberMap;
  private readonly pointsByTownship = new Map<string, DemoMediationPoint[]>();
  private readonly mediatorsByPoint = new Map<string, DemoMediator[]>();
  private readonly numbering: Numbering;
  /** Juvenile defences and the case each serves: linked once the cases have their numbers. */
  private readonly defences: Array<[DemoLegalAid, DemoCriminalChain]> = [];
  private shuffleBuffer?: Int32Array;
  /** Whether the police ask to arrest a suspect they transfer (see `ARREST_REQUEST_SHARE`). */
  private readonly arrestRequests: Random;
  private readonly period: DemoPeriod;
  /** Everyone is born before the period starts, so every ID number is valid on any day of it. */
  private readonly lastBirthYear: number;
  /** Adults through the whole demo period were born on or before this day. */
  private readonly adultBornBy: number;

  constructor(
    private readonly size: DemoCitySize,
    private readonly rng: Random,
    seed: number,
  ) {
    this.arrestRequests = rng.fork('arrest-requests');
    this.period = demoPeriod(size.historyMonths);
    this.lastBirthYear = Number(this.period.start.slice(0, 4)) - 1;
    this.adultBornBy = dayNumber(addYears(this.period.start, -18));
    this.numbering = new Numbering(this.period.start);
    this.city = {
      seed,
      period: this.period,
      divisions: [],
      grids: [],
      gridWorkers: [],
      volunteers: [],
      gridEvents: [],
      mediationPoints: [],
      mediators: [],
      disputes: [],
      incidents: [],
      criminalChains: [],
      auxiliaryOfficers: [],
      enforcementCases: [],
      legalAid: [],
    };
    const residents = CityBuilder.residentsOf(size);
    // Residents, grid workers, volunteers and a few thousand officers and mediators each have a phone.
    this.phones = new NumberMap(residents + 6 * size.volunteersPerDistrict + 20_000);
    this.layOutGrids();
    this.gridResidents = residentsPerGrid(
      residents,
      DISTRICTS.map((d) => ({ census: d.census2020, grids: this.plansByDistrict.get(d.code)?.length ?? 0 })),
      MIN_RESIDENTS_PER_GRID,
    );
    this.people = new Population(residents, REGION_CODES);
  }

  get residentCount(): number {
    return this.people.capacity;
  }

  /** Residents each district will have, known from the layout before any is generated. */
  residentsByDistrict(): Map<string, number> {
    const byDistrict = new Map<string, number>();
    this.plans.forEach((plan, i) => byDistrict.set(plan.district.code, (byDistrict.get(plan.district.code) ?? 0) + this.gridResidents[i]));
    return byDistrict;
  }

  private static residentsOf(size: DemoCitySize): number {
    const townships = DISTRICTS.reduce((n, d) => n + Math.min(d.townships.length, size.townshipsPerDistrict), 0);
    return (size.grids ?? townships * size.gridsPerTownship) * size.personsPerGrid;
  }

  /** The residents, grid by grid, as they are generated (first phase: everything else picks from them). */
  *populateAll(): Generator<DemoPerson> {
    for (let i = 0; i < this.plans.length; i++) yield* this.populate(this.plans[i], i);
  }

  /** Everything after the residents; call once they have all been generated. */
  finish(): CityRecords {
    if (this.people.count !== this.people.capacity) throw new Error('the residents must be generated before the rest of the city');
    this.recruitVolunteers();
    this.openMediationPoints();
    this.runDisputes();
    this.reportOtherGridEvents();
    this.runCriminalCases();
    this.logOtherIncidents();
    this.postAuxiliaryOfficers();
    this.fileEnforcementCases();
    this.grantLegalAid();
    this.numbering.assignAll(this.rng.fork('numbers'));
    // After the numbering: the corrections it adds are numbered after the others, so no id shifts.
    openCorrectionFiles(this.city.criminalChains, this.rng.fork('correction-files'), DEMO_TODAY);
    // After the numbering too: the referrals' mediations are numbered after the grid disputes' of their year.
    referToMediation(this.city, this.rng.fork('mediation-referrals'), this.period);
    for (const [aid, chain] of this.defences) aid.policeCaseNo = chain.policeCaseNo;
    this.sortRecords();
    // Last, and listed last: the escalations pick among every mediation, and no earlier record or its place in a list shifts.
    escalateDisputes(this.city, this.rng.fork('civil-to-criminal'), (idNumber) => this.residence(idNumber), { end: DEMO_PERIOD_END });
    // The records are complete: what only their stories needed can go before the records are loaded.
    this.numbering.clear();
    this.adultsByGrid.clear();
    this.birthIndexes.clear();
    this.shuffleBuffer = undefined;
    this.defences.length = 0;
    return this.city;
  }

  /** Grid code of the resident with this ID number. */
  residence(idNumber: string): string | undefined {
    const i = this.people.indexOf(idNumber);
    return i === undefined ? undefined : this.plans[this.people.grid[i]].grid.code;
  }

  // ---- places and people -------------------------------------------------------------------

  /** How many grids township number `t` (counted across the city) has. */
  private gridsIn(t: number, townships: number): number {
    const total = this.size.grids;
    if (total === undefined) return this.size.gridsPerTownship;
    return Math.floor(total / townships) + (t < total % townships ? 1 : 0);
  }

  private layOutGrids(): void {
    const perLocality = this.size.gridsPerLocality ?? 1;
    const townships = DISTRICTS.reduce((n, d) => n + townshipsOf(d).slice(0, this.size.townshipsPerDistrict).length, 0);
    let t = 0;
    // The city itself is a division too: its statistics are the city totals (全市合计).
    this.city.divisions.push({ code: CITY_CODE, name: CITY_NAME, level: 'CITY', parentCode: null });
    for (const district of DISTRICTS) {
      this.city.divisions.push({ code: district.code, name: district.name, level: 'COUNTY', parentCode: CITY_CODE });
      const plans: GridPlan[] = [];
      this.plansByDistrict.set(district.code, plans);
      for (const township of townshipsOf(district).slice(0, this.size.townshipsPerDistrict)) {
        this.city.divisions.push({ code: township.code, name: township.name, level: 'TOWNSHIP', parentCode: district.code });
        const grids = this.gridsIn(t++, townships);
        const localities = localityNames(this.rng.fork(`localities/${township.code}`), township.kind, Math.ceil(grids / perLocality));
        for (let i = 0; i < grids; i++) {
          const village = localities[Math.floor(i / perLocality)];
          const code = township.code + pad(i + 1, 3);
          const name = perLocality === 1 ? `${village}网格` : `${village}第${(i % perLocality) + 1}网格`;
          const grid: DemoGrid = {
            code,
            name,
            townshipCode: township.code,
            districtCode: district.code,
            village,
            workerId: `gw-${code}`,
          };
          const rng = this.rng.fork(`grid-worker/${code}`);
          const birthYear = rng.int(1966, 1998);
          this.city.grids.push(grid);
          this.city.gridWorkers.push({
            id: grid.workerId,
            name: personName(rng, randomGender(rng, 0.6), birthYear),
            phone: this.phone(rng),
            gridCode: code,
          });
          const plan: GridPlan = { grid, district, township, rural: township.kind !== 'SUBDISTRICT', firstOfLocality: i % perLocality === 0 };
          this.plans.push(plan);
          plans.push(plan);
        }
      }
    }
  }

  private *populate(plan: GridPlan, gridIndex: number): Generator<DemoPerson> {
    // One stream per grid: a grid's residents do not change when other grids are added.
    const rng = this.rng.fork(`residents/${plan.grid.code}`);
    const start = this.people.count;
    let generated = 0;
    const houses = new Set<string>();
    const residents = this.gridResidents[gridIndex];
    while (generated < residents) {
      const members = householdPlan(rng).slice(0, residents - generated);
      const floating = rng.chance(0.15);
      const regionCode = floating ? rng.weighted(ORIGIN_REGION_CODES) : plan.district.code;
      const region = REGION_INDEX.get(regionCode)!;
      const rentalHousing = rng.chance(floating ? 0.2 : 0.05);
      const address = this.address(rng, plan, houses);
      const family = surname(rng);
      const household = start + generated;
      let headPhone = '';
      for (const member of members) {
        const birthYear = this.lastBirthYear - member.age;
        const birthDate = rng.date(`${birthYear}-01-01`, `${birthYear}-12-31`);
        const birthDay = dayNumber(birthDate);
        const sequence = this.idSequence(rng, region, birthDay, member.gender);
        const name = personName(rng, member.gender, birthYear, member.inherits ? family : undefined);
        // Children under 14 rarely have a phone of their own; the household gives the head's.
        const phone = member.age < 14 && headPhone !== '' ? headPhone : this.phone(rng);
        if (headPhone === '') headPhone = phone;
        this.people.add({ grid: gridIndex, household, birthDay, male: member.gender === 'MALE', region, sequence, surname: name });
        generated++;
        yield {
          idNumber: makeIdNumber(regionCode, birthDate, sequence),
          name,
          gender: member.gender,
          birthDate,
          phone,
          address,
          householdStatus: floating ? 'FLOATING' : 'REGISTERED',
          rentalHousing,
          gridCode: plan.grid.code,
        };
      }
    }
    this.residentsOfGrid.set(plan.grid.code, { start, end: this.people.count });
    const inDistrict = this.residentsOfDistrict.get(plan.district.code);
    // Grids are laid out district by district, so a district's residents are one run too.
    if (inDistrict) inDistrict.end = this.people.count;
    else this.residentsOfDistrict.set(plan.district.code, { start, end: this.people.count });
  }

  private address(rng: Random, plan: GridPlan, taken: Set<string>): string {
    for (;;) {
      const house = plan.rural ? `${rng.int(1, 8)}组${rng.int(1, 120)}号` : `${rng.int(1, 30)}号楼${rng.int(1, 6)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室`;
      if (!taken.has(house)) {
        taken.add(house);
        return `${PROVINCE_NAME}${CITY_NAME}${plan.district.name}${plan.township.name}${plan.grid.village}${house}`;
      }
    }
  }

  /** The sequence part of a unique ID number; odd for men and even for women (GB 11643). */
  private idSequence(rng: Random, region: number, birthDay: number, gender: Gender): number {
    for (;;) {
      const sequence = gender === 'MALE' ? 2 * rng.int(0, 499) + 1 : 2 * rng.int(1, 499);
      if (!this.people.hasIdKey(Population.idKey(region, birthDay, sequence))) return sequence;
    }
  }

  private phone(rng: Random): string {
    for (;;) {
      const phone = mobilePhone(rng);
      const key = Number(phone);
      if (!this.phones.has(key)) {
        this.phones.set(key, 1);
        return phone;
      }
    }
  }

  private recruitVolunteers(): void {
    let seq = 0;
    for (const district of DISTRICTS) {
      const rng = this.rng.fork(`volunteers/${district.code}`);
      const groups = volunteerGroupsOf(district);
      for (let i = 0; i < this.size.volunteersPerDistrict; i++) {
        const birthYear = rng.int(1950, 2006);
        this.city.volunteers.push({
          id: `VO${pad(++seq, 6)}`,
          name: personName(rng, randomGender(rng, 0.55), birthYear),
          phone: this.phone(rng),
          groupName: rng.chance(0.08) ? CITY_VOLUNTEER_GROUP : rng.pick(groups),
          districtCode: district.code,
          serviceHours: rangeInt(
            rng,
            rng.weighted([
              [[0, 50], 50],
              [[51, 200], 30],
              [[201, 800], 15],
              [[801, 2000], 5],
            ] as const),
          ),
        });
      }
    }
  }

  private openMediationPoints(): void {
    const rng = this.rng.fork('mediation-points');
    let mediatorSeq = 0;
    const open = (point: Omit<DemoMediationPoint, 'id'>, mediators: number, leadSurname?: string): void => {
      const id = `MP${pad(this.city.mediationPoints.length + 1, 4)}`;
      const record = { id, ...point };
      this.city.mediationPoints.push(record);
      const inTownship = this.pointsByTownship.get(point.townshipCode) ?? [];
      inTownship.push(record);
      this.pointsByTownship.set(point.townshipCode, inTownship);
      const staff: DemoMediator[] = [];
      this.mediatorsByPoint.set(id, staff);
      for (let i = 0; i < mediators; i++) {
        // Mediators are mostly experienced locals: retired cadres, teachers, village elders.
        const birthYear = rng.int(1950, 1985);
        const name = personName(rng, randomGender(rng, 0.35), birthYear, i === 0 ? leadSurname : undefined);
        const mediator = { id: `MD${pad(++mediatorSeq, 5)}`, name, phone: this.phone(rng), pointId: id };
        this.city.mediators.push(mediator);
        staff.push(mediator);
      }
    };
    for (const district of DISTRICTS) {
      const plans = this.plansByDistrict.get(district.code) ?? [];
      const townships = plans.filter((p) => p.grid.code === `${p.township.code}001`);
      // One talk point per township; at the scale of the real city, one per village (1,066) and community (245).
      const talkPoints = this.size.talkPointPerLocality ? plans.filter((p) => p.firstOfLocality) : townships;
      for (const { township, grid } of talkPoints) {
        const kind: MediationPointKind = township.kind === 'SUBDISTRICT' ? 'RESIDENT_TALK_POINT' : 'VILLAGE_TALK_POINT';
        const base = { townshipCode: township.code, districtCode: district.code };
        open({ name: `${township.name}${grid.village}评理说事点`, kind, ...base }, rng.int(2, 3));
      }
      const seat = townships[0];
      const base = { townshipCode: seat.township.code, districtCode: district.code };
      if (PERSONAL_ROOM_DISTRICTS.has(district.code)) {
        // The first room sits in the district's seat, further ones in its other townships in turn.
        for (let r = 0; r < (this.size.personalRoomsPerDistrict ?? 1); r++) {
          const lead = surname(rng);
          const where = { townshipCode: townships[r % townships.length].township.code, districtCode: district.code };
          open({ name: `老${lead}调解室`, kind: 'PERSONAL_MEDIATION_ROOM', ...where }, rng.int(2, 3), lead);
        }
      }
      if (district.code === NON_LITIGATION_DISTRICT) {
        open({ name: `${district.name}非诉讼服务中心`, kind: 'NON_LITIGATION_CENTER', ...base }, 3);
      }
    }
  }

  // ---- who may be picked -------------------------------------------------------------------

  private fits(plan: GridPlan, setting: Setting): boolean {
    return setting === 'any' || (setting === 'village') === plan.rural;
  }

  /** Residents (indexes, in resident order) who are adults through the whole demo period. */
  private adultsOf(gridCode: string): number[] {
    let adults = this.adultsByGrid.get(gridCode);
    if (!adults) {
      adults = [];
      const run = this.residentsOfGrid.get(gridCode);
      if (run) for (let i = run.start; i < run.end; i++) if (this.people.birthDay[i] <= this.adultBornBy) adults.push(i);
      this.adultsByGrid.set(gridCode, adults);
    }
    return adults;
  }

  /**
   * Residents of a district aged `min`–`max` on a day (compared as birth-date bounds), men only
   * if asked, in resident order: read in place from the district's birth index, not collected.
   */
  private residentsAged(districtCode: string, on: string, min: number, max: number, exclude: ReadonlySet<number>, menOnly = false): Pool {
    let index = this.birthIndexes.get(districtCode);
    if (!index) {
      const run = this.residentsOfDistrict.get(districtCode) ?? { start: 0, end: 0 };
      index = new BirthIndex(this.people, run.start, run.end);
      this.birthIndexes.set(districtCode, index);
    }
    return index.pool(dayNumber(addYears(on, -(max + 1))), dayNumber(addYears(on, -min)), menOnly, exclude);
  }

  private districtOf(person: number): District {
    return this.plans[this.people.grid[person]].district;
  }

  /** Day 0 of a story whose last step is `lastOffset` days later, placed inside the demo period — within the last `recentWithin` days when the story is still open. */
  private anchor(rng: Random, lastOffset: number, recentWithin?: number): string {
    const latest = addDays(DEMO_PERIOD_END, -lastOffset);
    if (latest < this.period.start) throw new RangeError(`a ${lastOffset}-day story does not fit the demo period`);
    const earliest = recentWithin === undefined ? this.period.start : maxDate(this.period.start, addDays(latest, -recentWithin));
    return rng.date(earliest, latest);
  }

  // ---- grid events and mediation -----------------------------------------------------------

  /** Records a grid event; `numbered` hears its id once ids are handed out. */
  private newGridEvent(event: Omit<DemoGridEvent, 'id'>, numbered?: (id: string) => void): void {
    const record: DemoGridEvent = { id: '', ...event };
    this.city.gridEvents.push(record);
    this.numbering.request({
      key: 'GE',
      date: event.reportedAt,
      perDay: 120,
      yearly: false,
      assign: (seq, year) => {
        record.id = `GE${year}${pad(seq, 6)}`;
        numbered?.(record.id);
      },
    });
  }

  private runDisputes(): void {
    const rng = this.rng.fork('disputes');
    // People's mediation settles well over 90 % of the disputes it ends in official reporting
    // (docs/domain.md): here 0.8 / (0.8 + 0.05), about 94 %.
    const outcomes = allot(rng, this.size.disputes, [
      ['SUCCEEDED', 0.8],
      ['FAILED', 0.05],
      ['IN_PROGRESS', 0.15],
    ] as const);
    const confirmed = allot(rng, outcomes.filter((o) => o === 'SUCCEEDED').length, [
      [true, 0.5],
      [false, 0.5],
    ] as const);
    const sued = allot(rng, outcomes.filter((o) => o === 'FAILED').length, [
      [true, 0.8],
      [false, 0.2],
    ] as const);
    for (const outcome of outcomes) {
      const toCourt = outcome === 'SUCCEEDED' ? confirmed.pop() === true : outcome === 'FAILED' && sued.pop() === true;
      this.runDispute(rng, outcome, toCourt);
    }
  }

  private runDispute(rng: Random, outcome: DemoDisputeChain['outcome'], toCourt: boolean): void {
    const { plan, template, parties } = this.disputeParties(rng);
    const startLag = rng.int(0, 3);
    const closeLag = outcome === 'SUCCEEDED' ? rng.int(1, 30) : outcome === 'FAILED' ? rng.int(7, 45) : 0;
    // A confirmation must be applied for within 30 days of the agreement; a lawsuit takes longer to file.
    const courtLag = toCourt ? (outcome === 'SUCCEEDED' ? rng.int(1, 25) : rng.int(5, 60)) : 0;
    const reportDay = this.anchor(rng, startLag + closeLag + courtLag, outcome === 'IN_PROGRESS' ? 40 : undefined);
    const startedOn = addDays(reportDay, startLag);
    const closedOn = outcome === 'IN_PROGRESS' ? null : addDays(startedOn, closeLag);
    const labels = anonymousLabels(parties.map((p) => this.people.surnameOf(p)));
    const [minAmount, maxAmount] = template.amount;
    const text = { a: labels[0], b: labels[1], amount: rng.int(minAmount / 100, maxAmount / 100) * 100 };
    const partyIdNumbers = parties.map((p) => this.people.idNumber(p));
    const points = this.pointsByTownship.get(plan.township.code) ?? [];
    const point = rng.weighted(points.map((p) => [p, p.kind === 'NON_LITIGATION_CENTER' ? 4 : p.kind === 'PERSONAL_MEDIATION_ROOM' ? 3 : 6] as const));
    const dispute: DemoDisputeChain = {
      source: 'GRID_EVENT',
      gridEventId: '',
      incidentId: null,
      petition: null,
      mediationId: '',
      pointId: point.id,
      mediatorId: rng.pick(this.mediatorsByPoint.get(point.id) ?? []).id,
      partyIdNumbers,
      startedOn,
      outcome,
      agreement: outcome === 'SUCCEEDED' ? template.agree(text) : null,
      closedOn,
      confirmationCaseNo: null,
      lawsuitCaseNo: null,
      courtCode: plan.district.courtCode,
    };
    this.city.disputes.push(dispute);
    this.newGridEvent(
      {
        kind: 'DISPUTE',
        title: template.title,
        description: template.describe(text),
        status: outcome === 'SUCCEEDED' ? 'RESOLVED' : 'REFERRED',
        gridCode: plan.grid.code,
        reportedBy: plan.grid.workerId,
        reportedAt: momentOn(rng, reportDay),
        involvedIdNumbers: [...partyIdNumbers],
      },
      (id) => {
        dispute.gridEventId = id;
      },
    );
    this.numbering.request({
      key: 'MC',
      date: startedOn,
      perDay: 15,
      yearly: false,
      assign: (seq, year) => {
        dispute.mediationId = `MC${year}${pad(seq, 6)}`;
      },
    });
    if (toCourt && closedOn !== null) {
      const type = outcome === 'SUCCEEDED' ? '民特' : '民初';
      const courtCode = plan.district.courtCode;
      this.numbering.request({
        key: `${courtCode}${type}`,
        date: addDays(closedOn, courtLag),
        perDay: type === '民特' ? 1.5 : 12,
        yearly: true,
        assign: (seq, year) => {
          const caseNo = `(${year})${courtCode}${type}${seq}号`;
          if (type === '民特') dispute.confirmationCaseNo = caseNo;
          else dispute.lawsuitCaseNo = caseNo;
        },
      });
    }
  }

  /** A grid, a fitting kind of dispute and its two parties: neighbours, or one household's members for a family dispute. */
  private disputeParties(rng: Random): { plan: GridPlan; template: (typeof DISPUTES)[number]; parties: number[] } {
    const { household, birthDay } = this.people;
    for (;;) {
      const plan = rng.pick(this.plans);
      const template = rng.pick(DISPUTES.filter((t) => this.fits(plan, t.setting)));
      const adults = this.adultsOf(plan.grid.code);
      if (template.family) {
        const households = [...new Set(adults.map((p) => household[p]))].map((h) => adults.filter((p) => household[p] === h)).filter((h) => h.length >= 2);
        if (households.length === 0) continue;
        // The elder party comes first in the texts.
        const parties = rng.sample(rng.pick(households), 2).sort((x, y) => (birthDay[x] < birthDay[y] ? -1 : 1));
        return { plan, template, parties };
      }
      if (adults.length < 2) continue;
      const first = rng.pick(adults);
      // A household shares one address, and no two households of a grid share one.
      const neighbours = adults.filter((p) => household[p] !== household[first]);
      if (neighbours.length === 0) continue;
      return { plan, template, parties: [first, rng.pick(neighbours)] };
    }
  }

  private reportOtherGridEvents(): void {
    const rng = this.rng.fork('grid-events');
    const count = this.size.otherGridEvents ?? Math.round(this.size.disputes * 1.5);
    for (let i = 0; i < count; i++) {
      const plan = rng.pick(this.plans);
      const template = rng.pick(GRID_EVENTS.filter((t) => this.fits(plan, t.setting)));
      const day = rng.date(this.period.start, this.period.end);
      const recent = daysBetween(day, DEMO_PERIOD_END) < 14;
      const status: GridEventStatus = recent
        ? rng.weighted([
            ['REPORTED', 4],
            ['IN_PROGRESS', 4],
            ['RESOLVED', 2],
          ] as const)
        : rng.weighted([
            ['RESOLVED', 8],
            ['REFERRED', 2],
          ] as const);
      const adults = this.adultsOf(plan.grid.code);
      const involved = rng.sample(adults, Math.min(adults.length, rangeInt(rng, template.involved)));
      this.newGridEvent({
        kind: template.kind,
        title: template.title,
        description: template.description,
        status,
        gridCode: plan.grid.code,
        reportedBy: plan.grid.workerId,
        reportedAt: momentOn(rng, day),
        involvedIdNumbers: involved.map((p) => this.people.idNumber(p)),
      });
    }
  }

  // ---- criminal cases ----------------------------------------------------------------------

  private runCriminalCases(): void {
    const rng = this.rng.fork('criminal');
    const fates = allot<CriminalFate>(rng, this.size.criminalChains, [
      ['INVESTIGATING', 0.1],
      ['FILED', 0.05],
      ['CLOSED', 0.05],
      ['PROSECUTE', 0.64],
      ['NOT_PROSECUTE', 0.096],
      ['PENDING', 0.064],
    ]);
    const prosecuted = fates.filter((f) => f === 'PROSECUTE').length;
    const trials = allot<TrialFate>(rng, prosecuted, [
      // Acquittals are rare in Chinese criminal courts: well under 0.1 % of the people judged (docs/domain.md).
      ['GUILTY', 0.8995],
      ['AWAITING_JUDGMENT', 0.1],
      ['NOT_GUILTY', 0.0005],
    ]);
    // Juvenile cases: a few tried, one given a (conditional) non-prosecution, as prosecutors often do for minors.
    let juvenileTrials = Math.min(prosecuted, Math.max(2, Math.round(prosecuted * 0.08)));
    let juvenileNonProsecutions = 1;
    const usedJuveniles = new Set<number>();
    for (const fate of fates) {
      let juvenile = false;
      if (fate === 'PROSECUTE' && juvenileTrials > 0) {
        juvenile = true;
        juvenileTrials--;
      } else if (fate === 'NOT_PROSECUTE' && juvenileNonProsecutions > 0) {
        juvenile = true;
        juvenileNonProsecutions--;
      }
      this.runCriminalCase(rng, fate, fate === 'PROSECUTE' ? trials.pop() : undefined, juvenile, usedJuveniles);
    }
  }

  private runCriminalCase(rng: Random, fate: CriminalFate, trialFate: TrialFate | undefined, juvenile: boolean, usedJuveniles: Set<number>): void {
    const charge = rng.weighted(CHARGES.map((c) => [c, juvenile ? c.juvenileWeight : c.weight] as const));
    // Minors are punished more lightly (刑法 art. 17), and more often on probation.
    const sentenceMonths = trialFate === 'GUILTY' ? (juvenile ? rng.int(6, 24) : rangeInt(rng, charge.sentence)) : null;
    const probation = sentenceMonths !== null && sentenceMonths <= 36 && rng.chance(juvenile ? 0.7 : 0.4);
    const t = this.criminalTimeline(rng, fate, trialFate, probation);
    const last = Math.max(...Object.values(t).filter((v): v is number => v !== undefined));
    const recentWithin = openForDays(fate, trialFate);

    const minor = juvenile ? this.juvenileSuspect(rng, last, recentWithin, usedJuveniles) : null;
    const suspects: number[] = minor ? [minor.person] : [];
    const day = minor ? minor.day : this.anchor(rng, last, recentWithin);
    const district = minor ? this.districtOf(minor.person) : rng.pick(DISTRICTS);
    const taken = new Set<number>(suspects);
    const suspectCount = rng.chance(0.25) ? 2 : 1;
    // A minor's co-suspect is a young adult.
    while (suspects.length < suspectCount) {
      const maxAge = minor ? 30 : 65;
      const pool = this.residentsAged(district.code, day, 18, maxAge, taken);
      const men = rng.chance(0.85) ? this.residentsAged(district.code, day, 18, maxAge, taken, true) : pool;
      const suspect = pickFrom(rng, men.length > 0 ? men : pool);
      suspects.push(suspect);
      taken.add(suspect);
    }
    const victims = this.pickDistinct(rng, this.residentsAged(district.code, day, 12, 90, taken), rangeInt(rng, charge.victims), taken);
    const witnesses = this.pickDistinct(rng, this.residentsAged(district.code, day, 18, 80, taken), rng.chance(0.5) ? 1 : 0, taken);
    const scene = rng.pick(this.plansByDistrict.get(district.code) ?? []);
    const on = (offset: number | undefined): string | null => (offset === undefined ? null : addDays(day, offset));
    const must = (offset: number | undefined): string => {
      const date = on(offset);
      if (date === null) throw new Error('criminal timeline step missing');
      return date;
    };
    const occurredAt = momentOn(rng, day);
    const transferred = fate === 'PROSECUTE' || fate === 'NOT_PROSECUTE' || fate === 'PENDING';
    const chain: DemoCriminalChain = {
      incidentId: '',
      policeCaseNo: '',
      charge: charge.name,
      districtCode: district.code,
      gridCode: scene.grid.code,
      occurredAt,
      filedOn: must(t.filed),
      suspectIdNumbers: suspects.map((p) => this.people.idNumber(p)),
      victimIdNumbers: victims.map((p) => this.people.idNumber(p)),
      witnessIdNumbers: witnesses.map((p) => this.people.idNumber(p)),
      officerId: `po-${district.code}-${pad(rng.int(1, 20), 3)}`,
      stage: transferred ? 'TRANSFERRED' : fate,
      sealed: false,
      escalatedFrom: null,
      prosecution: null,
      trial: null,
      correction: null,
    };
    this.city.criminalChains.push(chain);
    this.numbering.request({
      key: 'JQ',
      date: occurredAt,
      perDay: 300,
      yearly: false,
      assign: (seq, year) => {
        chain.incidentId = `JQ${year}${pad(seq, 6)}`;
      },
    });
    this.numbering.request({
      key: `police${district.code}`,
      date: chain.filedOn,
      perDay: 5,
      yearly: true,
      assign: (seq, year) => {
        chain.policeCaseNo = `A${district.code}${year}${pad(seq, 5)}`;
      },
    });
    if (!transferred) return;

    const juvenileAtOffence = suspects.some((p) => ageOn(this.people.birthDate(p), occurredAt) < 18);
    // 少捕慎诉: minors are detained far less often.
    const arrestDecision = rng.chance(juvenileAtOffence ? 0.35 : 0.75) ? 'APPROVED' : 'NOT_APPROVED';
    // Whether the police asked to arrest at all: drawn from a stream of its own, so the rest of the city stays as it was.
    const arrestAsked = charge.gravest === 'imprisonment' && this.arrestRequests.chance(ARREST_REQUEST_SHARE);
    const prosecution: NonNullable<DemoCriminalChain['prosecution']> = {
      arrestReview: arrestAsked ? { caseNo: '', decision: arrestDecision, decidedOn: must(t.arrest) } : null,
      prosecutionCaseNo: '',
      receivedOn: must(t.received),
      decision: fate === 'PROSECUTE' ? 'PROSECUTE' : fate === 'NOT_PROSECUTE' ? 'NOT_PROSECUTE' : 'PENDING',
      decidedOn: on(t.decided),
      prosecutorId: `pr-${district.code}-${pad(rng.int(1, 8), 3)}`,
    };
    chain.prosecution = prosecution;
    // The procuratorate seals a minor's case it ends without prosecution (不起诉).
    chain.sealed = juvenileAtOffence && prosecution.decision === 'NOT_PROSECUTE';
    const review = prosecution.arrestReview;
    if (review)
      this.numbering.request({
        key: `arrest${district.abbreviation}`,
        date: review.decidedOn,
        perDay: 0.6,
        yearly: true,
        assign: (seq, year) => {
          review.caseNo = `${district.abbreviation}检捕〔${year}〕${seq}号`;
        },
      });
    this.numbering.request({
      key: `prosecution${district.abbreviation}`,
      date: prosecution.receivedOn,
      perDay: 0.9,
      yearly: true,
      assign: (seq, year) => {
        prosecution.prosecutionCaseNo = `${district.abbreviation}检刑诉〔${year}〕${seq}号`;
      },
    });
    if (trialFate === undefined) return;

    const judged = trialFate !== 'AWAITING_JUDGMENT';
    const trial: NonNullable<DemoCriminalChain['trial']> = {
      courtCaseNo: '',
      courtCode: district.courtCode,
      filedOn: must(t.courtFiled),
      juvenile: juvenileAtOffence,
      hearingOn: must(t.hearing),
      judgedOn: on(t.judged),
      verdict: judged ? (trialFate === 'GUILTY' ? 'GUILTY' : 'NOT_GUILTY') : null,
      sentenceMonths,
      probation,
      publicSurveillance: false,
      judgeId: `ju-${district.code}-${pad(rng.int(1, 6), 3)}`,
      assessment: null,
    };
    chain.trial = trial;
    // The court seals a minor's case punished with at most five years (or not yet judged: sealed unless a longer sentence comes).
    chain.sealed = juvenileAtOffence && (sentenceMonths === null || sentenceMonths <= 60);
    this.numbering.request({
      key: `${district.courtCode}刑初`,
      date: trial.filedOn,
      perDay: 0.8,
      yearly: true,
      assign: (seq, year) => {
        trial.courtCaseNo = `(${year})${district.courtCode}刑初${seq}号`;
      },
    });
    if (!probation || sentenceMonths === null) return;

    // Probation (刑法 art. 73) runs from the sentence up to a year longer for 拘役 (危险驾驶), and
    // from the sentence up to five years, but at least one year, for a prison term.
    const probationMonths = charge.name === '危险驾驶罪' ? sentenceMonths + rng.int(0, 6) : Math.min(60, Math.max(12, sentenceMonths + rng.int(0, 12)));
    const startOn = must(t.correction);
    const endOn = addDays(addMonths(startOn, probationMonths), -1);
    const correction: NonNullable<DemoCriminalChain['correction']> = {
      id: '',
      startOn,
      endOn,
      status: endOn < DEMO_TODAY ? 'COMPLETED' : 'ACTIVE',
      officerId: `co-${district.code}-${pad(rng.int(1, 5), 3)}`,
      // The file (kind, report, entries, group) is drawn afterwards, from a stream of its own (corrections.ts).
      kind: 'PROBATION',
      reportedOn: startOn,
      events: [],
      group: [],
    };
    chain.correction = correction;
    this.numbering.request({
      key: 'CC',
      date: startOn,
      perDay: 2,
      yearly: false,
      assign: (seq, year) => {
        correction.id = `CC${year}${pad(seq, 6)}`;
      },
    });
  }

  private criminalTimeline(rng: Random, fate: CriminalFate, trialFate: TrialFate | undefined, probation: boolean): CriminalTimeline {
    const t: CriminalTimeline = { filed: rng.int(0, 7) };
    if (fate !== 'PROSECUTE' && fate !== 'NOT_PROSECUTE' && fate !== 'PENDING') return t;
    t.arrest = t.filed + rng.int(7, 30);
    t.received = t.arrest + rng.int(30, 100);
    if (fate === 'PENDING') return t;
    t.decided = t.received + rng.int(15, 45);
    if (fate === 'NOT_PROSECUTE') return t;
    t.courtFiled = t.decided + rng.int(3, 15);
    t.hearing = t.courtFiled + rng.int(15, 50);
    if (trialFate === 'AWAITING_JUDGMENT') return t;
    t.judged = t.hearing + rng.int(0, 20);
    // A judgment takes effect after the ten-day appeal period; the correction starts after that.
    if (probation) t.correction = t.judged + rng.int(10, 20);
    return t;
  }

  /** A resident aged 16 or 17 on some day that can start a story `lastOffset` days long, and that day. */
  private juvenileSuspect(rng: Random, lastOffset: number, recentWithin: number | undefined, used: Set<number>): { person: number; day: string } | null {
    const latestStart = addDays(DEMO_PERIOD_END, -lastOffset);
    const earliestStart = recentWithin === undefined ? this.period.start : maxDate(this.period.start, addDays(latestStart, -recentWithin));
    // Every resident in random order, as indexes shuffled in one reused buffer.
    const order = (this.shuffleBuffer ??= new Int32Array(this.people.count));
    for (let i = 0; i < order.length; i++) order[i] = i;
    for (const person of rng.shuffleInPlace(order)) {
      if (used.has(person)) continue;
      const birthDate = this.people.birthDate(person);
      const from = maxDate(earliestStart, addYears(birthDate, 16));
      const to = minDate(latestStart, addDays(addYears(birthDate, 18), -1));
      if (from <= to) {
        used.add(person);
        return { person, day: rng.date(from, to) };
      }
    }
    return null;
  }

  private pickDistinct(rng: Random, pool: Pool, count: number, taken: Set<number>): number[] {
    const picked = rng.sampleIndices(pool.length, Math.min(count, pool.length)).map((k) => pool.at(k)!);
    for (const p of picked) taken.add(p);
    return picked;
  }

  private logOtherIncidents(): void {
    const rng = this.rng.fork('incidents');
    for (let i = 0; i < this.size.extraIncidents; i++) {
      const plan = rng.pick(this.plans);
      const template = rng.pick(INCIDENTS);
      const adults = this.adultsOf(plan.grid.code);
      const reporter = rng.chance(template.reporterShare) && adults.length > 0 ? rng.pick(adults) : null;
      const incident = {
        id: '',
        kind: template.kind,
        summary: template.summary,
        districtCode: plan.district.code,
        gridCode: plan.grid.code,
        reportedAt: momentOn(rng, rng.date(this.period.start, this.period.end)),
        reporterIdNumber: reporter === null ? null : this.people.idNumber(reporter),
      };
      this.city.incidents.push(incident);
      this.numbering.request({
        key: 'JQ',
        date: incident.reportedAt,
        perDay: 300,
        yearly: false,
        assign: (seq, year) => {
          incident.id = `JQ${year}${pad(seq, 6)}`;
        },
      });
    }
  }

  // ---- police, courts and justice ---------------------------------------------------------

  /** 一村一辅警: one auxiliary officer for every village, posted to its (first) grid. */
  private postAuxiliaryOfficers(): void {
    for (const plan of this.plans.filter((p) => p.rural && p.firstOfLocality)) {
      const rng = this.rng.fork(`auxiliary/${plan.grid.code}`);
      this.city.auxiliaryOfficers.push({
        id: `AX${pad(this.city.auxiliaryOfficers.length + 1, 5)}`,
        name: personName(rng, randomGender(rng, 0.15), rng.int(1975, 2000)),
        phone: this.phone(rng),
        village: plan.grid.village,
        gridCode: plan.grid.code,
        townshipCode: plan.township.code,
      });
    }
  }

  private anyAdult(rng: Random, exclude?: number): number {
    for (;;) {
      const adults = this.adultsOf(rng.pick(this.plans).grid.code).filter((p) => p !== exclude);
      if (adults.length > 0) return rng.pick(adults);
    }
  }

  private fileEnforcementCases(): void {
    const rng = this.rng.fork('enforcement');
    for (let i = 0; i < this.size.enforcementCases; i++) {
      const respondent = this.anyAdult(rng);
      const applicant = this.anyAdult(rng, respondent);
      // Enforcement goes to the court where the respondent lives.
      const courtCode = this.districtOf(respondent).courtCode;
      const filedOn = rng.date(this.period.start, this.period.end);
      const concludedShare = daysBetween(filedOn, DEMO_PERIOD_END) > 180 ? 0.75 : 0.2;
      const record = {
        caseNo: '',
        courtCode,
        applicantIdNumber: this.people.idNumber(applicant),
        respondentIdNumber: this.people.idNumber(respondent),
        amountYuan: rangeInt(
          rng,
          rng.weighted([
            [[3_000, 50_000], 6],
            [[50_001, 300_000], 3],
            [[300_001, 2_000_000], 1],
          ] as const),
        ),
        filedOn,
        status: rng.chance(concludedShare) ? ('CONCLUDED' as const) : ('OPEN' as const),
      };
      this.city.enforcementCases.push(record);
      this.numbering.request({
        key: `${courtCode}执`,
        date: filedOn,
        perDay: 8,
        yearly: true,
        assign: (seq, year) => {
          record.caseNo = `(${year})${courtCode}执${seq}号`;
        },
      });
    }
  }

  private grantLegalAid(): void {
    const rng = this.rng.fork('legal-aid');
    const juveniles = this.city.criminalChains.flatMap((chain) =>
      chain.suspectIdNumbers
        .map((id) => this.people.indexOf(id))
        .filter((p): p is number => p !== undefined && ageOn(this.people.birthDate(p), chain.occurredAt) < 18)
        .map((person) => ({ person, chain })),
    );
    for (let i = 0; i < this.size.legalAid; i++) {
      const juvenile = juveniles[i];
      let request;
      if (juvenile) {
        request = {
          applicant: juvenile.person,
          matter: JUVENILE_DEFENCE_MATTER,
          appliedOn: minDate(addDays(juvenile.chain.filedOn, rng.int(1, 5)), DEMO_PERIOD_END),
          status: 'APPROVED' as const,
        };
      } else {
        const appliedOn = rng.date(this.period.start, this.period.end);
        request = {
          applicant: this.anyAdult(rng),
          matter: rng.pick(LEGAL_AID_MATTERS),
          appliedOn,
          // Applications are decided within days; only the last ones are still open.
          status:
            daysBetween(appliedOn, DEMO_PERIOD_END) < 10
              ? ('PENDING' as const)
              : rng.weighted([
                  ['APPROVED', 85],
                  ['REJECTED', 15],
                ] as const),
        };
      }
      const record: DemoLegalAid = {
        id: '',
        policeCaseNo: null,
        applicantIdNumber: this.people.idNumber(request.applicant),
        matter: request.matter,
        appliedOn: request.appliedOn,
        status: request.status,
        districtCode: this.districtOf(request.applicant).code,
      };
      this.city.legalAid.push(record);
      if (juvenile) this.defences.push([record, juvenile.chain]);
      this.numbering.request({
        key: 'LA',
        date: record.appliedOn,
        perDay: 8,
        yearly: false,
        assign: (seq, year) => {
          record.id = `LA${year}${pad(seq, 6)}`;
        },
      });
    }
  }

  /** Records come out in the order of their numbers, which is date order. */
  private sortRecords(): void {
    const by =
      <T>(key: (t: T) => string) =>
      (x: T, y: T) =>
        key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0;
    this.city.gridEvents.sort(by((e) => e.id));
    this.city.disputes.sort(by((d) => d.mediationId));
    this.city.criminalChains.sort(by((c) => c.incidentId));
    this.city.incidents.sort(by((i) => i.id));
    this.city.enforcementCases.sort(by((e) => e.filedOn));
    this.city.legalAid.sort(by((l) => l.id));
  }
}

function checkSize(size: DemoCitySize): void {
  for (const [key, value] of Object.entries(size)) {
    if (typeof value === 'boolean' || value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`demo size ${key} must be a non-negative integer, got ${value}`);
  }
  // A district with fewer townships listed (龙港区 has nine) contributes all it has.
  const maxTownships = Math.max(...DISTRICTS.map((d) => d.townships.length));
  if (size.townshipsPerDistrict < 1 || size.townshipsPerDistrict > maxTownships) {
    throw new RangeError(`townshipsPerDistrict must be 1–${maxTownships}`);
  }
  const townships = DISTRICTS.reduce((n, d) => n + Math.min(d.townships.length, size.townshipsPerDistrict), 0);
  if (size.grids !== undefined && (size.grids < townships || size.grids > townships * 999)) {
    throw new RangeError(`grids must be ${townships}–${townships * 999} for ${townships} townships`);
  }
  if (size.gridsPerLocality !== undefined && size.gridsPerLocality < 1) throw new RangeError('gridsPerLocality must be at least 1');
  // Bounded by the pool of distinct village and community names, not by the 3-digit grid number.
  const gridsPerTownship = size.grids === undefined ? size.gridsPerTownship : Math.ceil(size.grids / townships);
  const localities = Math.ceil(gridsPerTownship / (size.gridsPerLocality ?? 1));
  if (gridsPerTownship < 1 || localities > 99) throw new RangeError('gridsPerTownship must be 1–99 (or 99 localities of gridsPerLocality grids)');
  if (size.personsPerGrid < MIN_RESIDENTS_PER_GRID) throw new RangeError(`personsPerGrid must be at least ${MIN_RESIDENTS_PER_GRID}`);
}

/**
 * The demo city as a plan that streams: the places and the small lists at once, the residents
 * one by one as they are generated (2.4 million at the city's real scale: never all in memory),
 * and the rest — volunteers, events, cases — once the residents exist, since its stories pick
 * from them. `persons` can be iterated once; reading any later list before (or without) that
 * generates the residents silently. `buildDemoCity` is this plan collected into arrays.
 */
export class DemoCityPlan implements DemoCitySource {
  readonly seed: number;
  readonly period: DemoPeriod;
  readonly divisions: DemoDivision[];
  readonly grids: DemoGrid[];
  readonly gridWorkers: DemoGridWorker[];
  /** How many residents `persons` yields. */
  readonly residentCount: number;
  private readonly builder: CityBuilder;
  private phase: 'planned' | 'streaming' | 'populated' = 'planned';
  private records?: CityRecords;

  /** `onPhase` hears when the slow phase after the residents starts and ends (the CLI tells the user). */
  constructor(
    readonly size: DemoCitySize,
    seed = DEMO_SEED,
    private readonly onPhase?: (message: string) => void,
  ) {
    checkSize(size);
    this.seed = seed;
    this.builder = new CityBuilder(size, new Random(seed), seed);
    ({ divisions: this.divisions, grids: this.grids, gridWorkers: this.gridWorkers, period: this.period } = this.builder.city);
    this.residentCount = this.builder.residentCount;
  }

  /** Residents each district will have (its census share of the city), by district code. */
  residentsByDistrict(): Map<string, number> {
    return this.builder.residentsByDistrict();
  }

  get persons(): Iterable<DemoPerson> & { readonly length: number } {
    return { [Symbol.iterator]: () => this.streamPersons(), length: this.residentCount };
  }

  private *streamPersons(): Generator<DemoPerson> {
    if (this.phase !== 'planned') throw new Error('the demo city streams its residents once, and before its other records');
    this.phase = 'streaming';
    yield* this.builder.populateAll();
    this.phase = 'populated';
  }

  private rest(): CityRecords {
    if (this.records) return this.records;
    if (this.phase === 'streaming') throw new Error('the residents are still being streamed: finish them before reading the other records');
    if (this.phase === 'planned') {
      for (const _ of this.streamPersons()) {
        // Generated only for the stories to pick from.
      }
    }
    const started = Date.now();
    this.onPhase?.('generating volunteers, events and cases from the residents…');
    this.records = this.builder.finish();
    this.onPhase?.(`generated volunteers, events and cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return this.records;
  }

  get volunteers(): DemoVolunteer[] {
    return this.rest().volunteers;
  }
  get gridEvents(): DemoGridEvent[] {
    return this.rest().gridEvents;
  }
  get mediationPoints(): DemoMediationPoint[] {
    return this.rest().mediationPoints;
  }
  get mediators(): DemoMediator[] {
    return this.rest().mediators;
  }
  get disputes(): DemoDisputeChain[] {
    return this.rest().disputes;
  }
  get incidents(): DemoIncident[] {
    return this.rest().incidents;
  }
  get criminalChains(): DemoCriminalChain[] {
    return this.rest().criminalChains;
  }
  get auxiliaryOfficers(): DemoAuxiliaryOfficer[] {
    return this.rest().auxiliaryOfficers;
  }
  get enforcementCases(): DemoEnforcementCase[] {
    return this.rest().enforcementCases;
  }
  get legalAid(): DemoLegalAid[] {
    return this.rest().legalAid;
  }

  /** Grid code of the resident with this ID number. */
  residence(idNumber: string): string | undefined {
    this.rest();
    return this.builder.residence(idNumber);
  }
}

/** Grid code of a resident by ID number: from a streaming plan's index, or from the persons of a city in memory. */
export function residenceOf(city: DemoCitySource): (idNumber: string) => string | undefined {
  if (city.residence) return (idNumber) => city.residence?.(idNumber);
  const grids = new Map<string, string>();
  for (const p of city.persons) grids.set(p.idNumber, p.gridCode);
  return (idNumber) => grids.get(idNumber);
}

export const DEMO_SEED = 20251129;

export function buildDemoCity(size: DemoCitySize, seed = DEMO_SEED): DemoCity {
  const plan = new DemoCityPlan(size, seed);
  const persons = [...plan.persons];
  return {
    seed,
    period: plan.period,
    divisions: plan.divisions,
    grids: plan.grids,
    gridWorkers: plan.gridWorkers,
    persons,
    volunteers: plan.volunteers,
    gridEvents: plan.gridEvents,
    mediationPoints: plan.mediationPoints,
    mediators: plan.mediators,
    disputes: plan.disputes,
    incidents: plan.incidents,
    criminalChains: plan.criminalChains,
    auxiliaryOfficers: plan.auxiliaryOfficers,
    enforcementCases: plan.enforcementCases,
    legalAid: plan.legalAid,
  };
}
