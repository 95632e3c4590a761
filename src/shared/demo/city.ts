/**
 * Builds the demo city: one deterministic plan of people, grids, disputes and criminal cases that
 * every department's seed reads its own part of. `buildDemoCity(size, seed)` is a pure function:
 * the same input gives byte-identical output (no clock, no Math.random()).
 */

import { makeIdNumber } from '../idNumber';
import {
  CHARGES, CITY_VOLUNTEER_GROUP, DISPUTES, GRID_EVENTS, INCIDENTS, JUVENILE_DEFENCE_MATTER, LEGAL_AID_MATTERS,
  volunteerGroupsOf, type Setting,
} from './catalog';
import { addDays, addMonths, addYears, ageOn, dayOfYear, daysBetween, maxDate, minDate } from './dates';
import {
  CITY_CODE, CITY_NAME, DISTRICTS, ORIGIN_REGION_CODES, PROVINCE_NAME, localityNames, townshipsOf,
  type District, type Township,
} from './divisions';
import { mobilePhone, personName, surname, type Gender } from './names';
import { Random } from './random';
import type {
  DemoCity, DemoCitySize, DemoCriminalChain, DemoDisputeChain, DemoGrid, DemoGridEvent, DemoMediationPoint,
  DemoPerson, GridEventStatus, MediationPointKind,
} from './types';

export const DEMO_SIZES: Record<'small' | 'medium', DemoCitySize> = {
  small: {
    townshipsPerDistrict: 2, gridsPerTownship: 3, personsPerGrid: 20, volunteersPerDistrict: 10,
    disputes: 40, criminalChains: 40, extraIncidents: 60, enforcementCases: 15, legalAid: 20,
  },
  medium: {
    townshipsPerDistrict: 6, gridsPerTownship: 5, personsPerGrid: 40, volunteersPerDistrict: 100,
    disputes: 400, criminalChains: 400, extraIncidents: 600, enforcementCases: 150, legalAid: 200,
  },
};

/** The demo's fixed "today": open cases, active corrections and pending decisions are as of this day. */
export const DEMO_TODAY = '2026-11-29';
/** Every dated event of the demo falls in this window. */
export const DEMO_PERIOD_START = '2025-01-01';
export const DEMO_PERIOD_END = '2026-11-28';
/** Everyone is born before the period starts, so every ID number is valid on any day of it. */
const LAST_BIRTH_YEAR = 2024;

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

/** Exactly `round(n × share)` of each value (the last takes the rest), in random order. */
function allot<T>(rng: Random, n: number, shares: readonly (readonly [T, number])[]): T[] {
  const out: T[] = [];
  shares.forEach(([value, share], i) => {
    const count = i === shares.length - 1 ? n - out.length : Math.min(n - out.length, Math.round(n * share));
    for (let k = 0; k < count; k++) out.push(value);
  });
  return rng.shuffle(out);
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

  request(request: NumberRequest): void {
    this.requests.push(request);
  }

  assignAll(rng: Random): void {
    // Array.prototype.sort is stable, so same-day requests keep their generation order.
    const ordered = [...this.requests].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
    const last = new Map<string, number>();
    for (const r of ordered) {
      const year = r.date.slice(0, 4);
      const counter = r.yearly ? `${r.key}|${year}` : r.key;
      const day = r.yearly ? dayOfYear(r.date) : daysBetween(DEMO_PERIOD_START, r.date) + 1;
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
}

interface MemberPlan {
  gender: Gender;
  /** Age on the first day of the demo period. */
  age: number;
  /** Carries the household's surname (a husband, his children and his father). */
  inherits: boolean;
}

const HEAD_AGES: readonly (readonly [readonly [number, number], number])[] = [
  [[22, 34], 22], [[35, 49], 32], [[50, 64], 28], [[65, 85], 18],
];
const SINGLE_AGES: readonly (readonly [readonly [number, number], number])[] = [
  [[18, 30], 4], [[31, 64], 3], [[65, 90], 4],
];

function randomGender(rng: Random, femaleShare = 0.5): Gender {
  return rng.chance(femaleShare) ? 'FEMALE' : 'MALE';
}

/** Who lives in one household, head first and children last (minors share the head's phone). */
function householdPlan(rng: Random): MemberPlan[] {
  const shape = rng.weighted([
    ['single', 15], ['couple', 22], ['one-child', 30], ['two-children', 15], ['three-generations', 12], ['single-parent', 6],
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
    case 'FILED': return 7;
    case 'INVESTIGATING': return 120;
    case 'PENDING': return 40;
    default: return trialFate === 'AWAITING_JUDGMENT' ? 25 : undefined;
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

class CityBuilder {
  private readonly city: DemoCity;
  private readonly plans: GridPlan[] = [];
  private readonly planByGrid = new Map<string, GridPlan>();
  private readonly residentsByGrid = new Map<string, DemoPerson[]>();
  private readonly residentsByDistrict = new Map<string, DemoPerson[]>();
  private readonly adultsByGrid = new Map<string, DemoPerson[]>();
  private readonly householdOf = new Map<DemoPerson, DemoPerson[]>();
  private readonly personById = new Map<string, DemoPerson>();
  private readonly idNumbers = new Set<string>();
  private readonly phones = new Set<string>();
  private readonly numbering = new Numbering();

  constructor(private readonly size: DemoCitySize, private readonly rng: Random, seed: number) {
    this.city = {
      seed, divisions: [], grids: [], gridWorkers: [], persons: [], volunteers: [], gridEvents: [],
      mediationPoints: [], mediators: [], disputes: [], incidents: [], criminalChains: [], auxiliaryOfficers: [],
      enforcementCases: [], legalAid: [],
    };
  }

  build(): DemoCity {
    this.layOutGrids();
    for (const plan of this.plans) this.populate(plan);
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
    this.sortRecords();
    return this.city;
  }

  // ---- places and people -------------------------------------------------------------------

  private layOutGrids(): void {
    for (const district of DISTRICTS) {
      this.city.divisions.push({ code: district.code, name: district.name, level: 'COUNTY', parentCode: CITY_CODE });
      for (const township of townshipsOf(district).slice(0, this.size.townshipsPerDistrict)) {
        this.city.divisions.push({ code: township.code, name: township.name, level: 'TOWNSHIP', parentCode: district.code });
        const localities = localityNames(this.rng.fork(`localities/${township.code}`), township.kind, this.size.gridsPerTownship);
        localities.forEach((village, i) => {
          const code = township.code + pad(i + 1, 3);
          const grid: DemoGrid = {
            code, name: `${village}网格`, townshipCode: township.code, districtCode: district.code, village, workerId: `gw-${code}`,
          };
          const rng = this.rng.fork(`grid-worker/${code}`);
          const birthYear = rng.int(1966, 1998);
          this.city.grids.push(grid);
          this.city.gridWorkers.push({
            id: grid.workerId, name: personName(rng, randomGender(rng, 0.6), birthYear), phone: this.phone(rng), gridCode: code,
          });
          const plan: GridPlan = { grid, district, township, rural: township.kind !== 'SUBDISTRICT' };
          this.plans.push(plan);
          this.planByGrid.set(code, plan);
        });
      }
    }
  }

  private populate(plan: GridPlan): void {
    // One stream per grid: a grid's residents do not change when other grids are added.
    const rng = this.rng.fork(`residents/${plan.grid.code}`);
    const residents: DemoPerson[] = [];
    const houses = new Set<string>();
    while (residents.length < this.size.personsPerGrid) {
      const members = householdPlan(rng).slice(0, this.size.personsPerGrid - residents.length);
      const floating = rng.chance(0.15);
      const regionCode = floating ? rng.weighted(ORIGIN_REGION_CODES) : plan.district.code;
      const rentalHousing = rng.chance(floating ? 0.2 : 0.05);
      const address = this.address(rng, plan, houses);
      const family = surname(rng);
      const household: DemoPerson[] = [];
      for (const member of members) {
        const birthYear = LAST_BIRTH_YEAR - member.age;
        const birthDate = rng.date(`${birthYear}-01-01`, `${birthYear}-12-31`);
        const person: DemoPerson = {
          idNumber: this.idNumber(rng, regionCode, birthDate, member.gender),
          name: personName(rng, member.gender, birthYear, member.inherits ? family : undefined),
          gender: member.gender,
          birthDate,
          // Children under 14 rarely have a phone of their own; the household gives the head's.
          phone: member.age < 14 && household.length > 0 ? household[0].phone : this.phone(rng),
          address,
          householdStatus: floating ? 'FLOATING' : 'REGISTERED',
          rentalHousing,
          gridCode: plan.grid.code,
        };
        household.push(person);
        this.householdOf.set(person, household);
        this.personById.set(person.idNumber, person);
      }
      residents.push(...household);
    }
    this.city.persons.push(...residents);
    this.residentsByGrid.set(plan.grid.code, residents);
    const inDistrict = this.residentsByDistrict.get(plan.district.code) ?? [];
    inDistrict.push(...residents);
    this.residentsByDistrict.set(plan.district.code, inDistrict);
  }

  private address(rng: Random, plan: GridPlan, taken: Set<string>): string {
    for (;;) {
      const house = plan.rural
        ? `${rng.int(1, 8)}组${rng.int(1, 120)}号`
        : `${rng.int(1, 30)}号楼${rng.int(1, 6)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室`;
      if (!taken.has(house)) {
        taken.add(house);
        return `${PROVINCE_NAME}${CITY_NAME}${plan.district.name}${plan.township.name}${plan.grid.village}${house}`;
      }
    }
  }

  /** A unique ID number; the sequence is odd for men and even for women (GB 11643). */
  private idNumber(rng: Random, regionCode: string, birthDate: string, gender: Gender): string {
    for (;;) {
      const sequence = gender === 'MALE' ? 2 * rng.int(0, 499) + 1 : 2 * rng.int(1, 499);
      const id = makeIdNumber(regionCode, birthDate, sequence);
      if (!this.idNumbers.has(id)) {
        this.idNumbers.add(id);
        return id;
      }
    }
  }

  private phone(rng: Random): string {
    for (;;) {
      const phone = mobilePhone(rng);
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
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
          serviceHours: rangeInt(rng, rng.weighted([[[0, 50], 50], [[51, 200], 30], [[201, 800], 15], [[801, 2000], 5]] as const)),
        });
      }
    }
  }

  private openMediationPoints(): void {
    const rng = this.rng.fork('mediation-points');
    let mediatorSeq = 0;
    const open = (point: Omit<DemoMediationPoint, 'id'>, mediators: number, leadSurname?: string): void => {
      const id = `MP${pad(this.city.mediationPoints.length + 1, 4)}`;
      this.city.mediationPoints.push({ id, ...point });
      for (let i = 0; i < mediators; i++) {
        // Mediators are mostly experienced locals: retired cadres, teachers, village elders.
        const birthYear = rng.int(1950, 1985);
        const name = personName(rng, randomGender(rng, 0.35), birthYear, i === 0 ? leadSurname : undefined);
        this.city.mediators.push({ id: `MD${pad(++mediatorSeq, 5)}`, name, phone: this.phone(rng), pointId: id });
      }
    };
    for (const district of DISTRICTS) {
      const townships = this.plans.filter((p) => p.district === district && p.grid.code === `${p.township.code}001`);
      for (const { township, grid } of townships) {
        const kind: MediationPointKind = township.kind === 'SUBDISTRICT' ? 'RESIDENT_TALK_POINT' : 'VILLAGE_TALK_POINT';
        const base = { townshipCode: township.code, districtCode: district.code };
        open({ name: `${township.name}${grid.village}评理说事点`, kind, ...base }, rng.int(2, 3));
      }
      const seat = townships[0];
      const base = { townshipCode: seat.township.code, districtCode: district.code };
      if (PERSONAL_ROOM_DISTRICTS.has(district.code)) {
        const lead = surname(rng);
        open({ name: `老${lead}调解室`, kind: 'PERSONAL_MEDIATION_ROOM', ...base }, rng.int(2, 3), lead);
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

  /** Residents who are adults through the whole demo period. */
  private adultsOf(gridCode: string): DemoPerson[] {
    let adults = this.adultsByGrid.get(gridCode);
    if (!adults) {
      adults = (this.residentsByGrid.get(gridCode) ?? []).filter((p) => ageOn(p.birthDate, DEMO_PERIOD_START) >= 18);
      this.adultsByGrid.set(gridCode, adults);
    }
    return adults;
  }

  /** Residents of a district aged `min`–`max` on a day (compared as birth-date bounds: this runs over every resident). */
  private residentsAged(districtCode: string, on: string, min: number, max: number, exclude: ReadonlySet<DemoPerson>): DemoPerson[] {
    const bornBy = addYears(on, -min);
    const bornAfter = addYears(on, -(max + 1));
    return (this.residentsByDistrict.get(districtCode) ?? [])
      .filter((p) => p.birthDate <= bornBy && p.birthDate > bornAfter && !exclude.has(p));
  }

  private districtOf(person: DemoPerson): District {
    const plan = this.planByGrid.get(person.gridCode);
    if (!plan) throw new Error(`no grid ${person.gridCode}`);
    return plan.district;
  }

  /** Day 0 of a story whose last step is `lastOffset` days later, placed inside the demo period — within the last `recentWithin` days when the story is still open. */
  private anchor(rng: Random, lastOffset: number, recentWithin?: number): string {
    const latest = addDays(DEMO_PERIOD_END, -lastOffset);
    if (latest < DEMO_PERIOD_START) throw new RangeError(`a ${lastOffset}-day story does not fit the demo period`);
    const earliest = recentWithin === undefined ? DEMO_PERIOD_START : maxDate(DEMO_PERIOD_START, addDays(latest, -recentWithin));
    return rng.date(earliest, latest);
  }

  // ---- grid events and mediation -----------------------------------------------------------

  /** Records a grid event; `numbered` hears its id once ids are handed out. */
  private newGridEvent(event: Omit<DemoGridEvent, 'id'>, numbered?: (id: string) => void): void {
    const record: DemoGridEvent = { id: '', ...event };
    this.city.gridEvents.push(record);
    this.numbering.request({
      key: 'GE', date: event.reportedAt, perDay: 120, yearly: false,
      assign: (seq) => {
        record.id = `GE2025${pad(seq, 6)}`;
        numbered?.(record.id);
      },
    });
  }

  private runDisputes(): void {
    const rng = this.rng.fork('disputes');
    const outcomes = allot(rng, this.size.disputes, [['SUCCEEDED', 0.6], ['FAILED', 0.25], ['IN_PROGRESS', 0.15]] as const);
    const confirmed = allot(rng, outcomes.filter((o) => o === 'SUCCEEDED').length, [[true, 0.5], [false, 0.5]] as const);
    const sued = allot(rng, outcomes.filter((o) => o === 'FAILED').length, [[true, 0.8], [false, 0.2]] as const);
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
    const labels = anonymousLabels(parties.map((p) => p.name));
    const [minAmount, maxAmount] = template.amount;
    const text = { a: labels[0], b: labels[1], amount: rng.int(minAmount / 100, maxAmount / 100) * 100 };
    const partyIdNumbers = parties.map((p) => p.idNumber);
    const points = this.city.mediationPoints.filter((p) => p.townshipCode === plan.township.code);
    const point = rng.weighted(points.map((p) => [p, p.kind === 'NON_LITIGATION_CENTER' ? 4 : p.kind === 'PERSONAL_MEDIATION_ROOM' ? 3 : 6] as const));
    const dispute: DemoDisputeChain = {
      gridEventId: '',
      mediationId: '',
      pointId: point.id,
      mediatorId: rng.pick(this.city.mediators.filter((m) => m.pointId === point.id)).id,
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
    this.newGridEvent({
      kind: 'DISPUTE',
      title: template.title,
      description: template.describe(text),
      status: outcome === 'SUCCEEDED' ? 'RESOLVED' : 'REFERRED',
      gridCode: plan.grid.code,
      reportedBy: plan.grid.workerId,
      reportedAt: momentOn(rng, reportDay),
      involvedIdNumbers: [...partyIdNumbers],
    }, (id) => { dispute.gridEventId = id; });
    this.numbering.request({
      key: 'MC', date: startedOn, perDay: 15, yearly: false,
      assign: (seq) => { dispute.mediationId = `MC2025${pad(seq, 6)}`; },
    });
    if (toCourt && closedOn !== null) {
      const type = outcome === 'SUCCEEDED' ? '民特' : '民初';
      const courtCode = plan.district.courtCode;
      this.numbering.request({
        key: `${courtCode}${type}`, date: addDays(closedOn, courtLag), perDay: type === '民特' ? 1.5 : 12, yearly: true,
        assign: (seq, year) => {
          const caseNo = `(${year})${courtCode}${type}${seq}号`;
          if (type === '民特') dispute.confirmationCaseNo = caseNo;
          else dispute.lawsuitCaseNo = caseNo;
        },
      });
    }
  }

  /** A grid, a fitting kind of dispute and its two parties: neighbours, or one household's members for a family dispute. */
  private disputeParties(rng: Random): { plan: GridPlan; template: (typeof DISPUTES)[number]; parties: DemoPerson[] } {
    for (;;) {
      const plan = rng.pick(this.plans);
      const template = rng.pick(DISPUTES.filter((t) => this.fits(plan, t.setting)));
      const adults = this.adultsOf(plan.grid.code);
      if (template.family) {
        const households = [...new Set(adults.map((p) => this.householdOf.get(p) ?? []))]
          .map((h) => adults.filter((p) => h.includes(p)))
          .filter((h) => h.length >= 2);
        if (households.length === 0) continue;
        // The elder party comes first in the texts.
        const parties = rng.sample(rng.pick(households), 2).sort((x, y) => (x.birthDate < y.birthDate ? -1 : 1));
        return { plan, template, parties };
      }
      if (adults.length < 2) continue;
      const first = rng.pick(adults);
      const neighbours = adults.filter((p) => p.address !== first.address);
      if (neighbours.length === 0) continue;
      return { plan, template, parties: [first, rng.pick(neighbours)] };
    }
  }

  private reportOtherGridEvents(): void {
    const rng = this.rng.fork('grid-events');
    const count = Math.round(this.size.disputes * 1.5);
    for (let i = 0; i < count; i++) {
      const plan = rng.pick(this.plans);
      const template = rng.pick(GRID_EVENTS.filter((t) => this.fits(plan, t.setting)));
      const day = rng.date(DEMO_PERIOD_START, DEMO_PERIOD_END);
      const recent = daysBetween(day, DEMO_PERIOD_END) < 14;
      const status: GridEventStatus = recent
        ? rng.weighted([['REPORTED', 4], ['IN_PROGRESS', 4], ['RESOLVED', 2]] as const)
        : rng.weighted([['RESOLVED', 8], ['REFERRED', 2]] as const);
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
        involvedIdNumbers: involved.map((p) => p.idNumber),
      });
    }
  }

  // ---- criminal cases ----------------------------------------------------------------------

  private runCriminalCases(): void {
    const rng = this.rng.fork('criminal');
    const fates = allot<CriminalFate>(rng, this.size.criminalChains, [
      ['INVESTIGATING', 0.1], ['FILED', 0.05], ['CLOSED', 0.05], ['PROSECUTE', 0.64], ['NOT_PROSECUTE', 0.096], ['PENDING', 0.064],
    ]);
    const prosecuted = fates.filter((f) => f === 'PROSECUTE').length;
    const trials = allot<TrialFate>(rng, prosecuted, [['GUILTY', 0.87], ['AWAITING_JUDGMENT', 0.1], ['NOT_GUILTY', 0.03]]);
    // Juvenile cases: a few tried, one given a (conditional) non-prosecution, as prosecutors often do for minors.
    let juvenileTrials = Math.min(prosecuted, Math.max(2, Math.round(prosecuted * 0.08)));
    let juvenileNonProsecutions = 1;
    const usedJuveniles = new Set<DemoPerson>();
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

  private runCriminalCase(rng: Random, fate: CriminalFate, trialFate: TrialFate | undefined, juvenile: boolean, usedJuveniles: Set<DemoPerson>): void {
    const charge = rng.weighted(CHARGES.map((c) => [c, juvenile ? c.juvenileWeight : c.weight] as const));
    // Minors are punished more lightly (刑法 art. 17), and more often on probation.
    const sentenceMonths = trialFate === 'GUILTY' ? (juvenile ? rng.int(6, 24) : rangeInt(rng, charge.sentence)) : null;
    const probation = sentenceMonths !== null && sentenceMonths <= 36 && rng.chance(juvenile ? 0.7 : 0.4);
    const t = this.criminalTimeline(rng, fate, trialFate, probation);
    const last = Math.max(...Object.values(t).filter((v): v is number => v !== undefined));
    const recentWithin = openForDays(fate, trialFate);

    const minor = juvenile ? this.juvenileSuspect(rng, last, recentWithin, usedJuveniles) : null;
    const suspects: DemoPerson[] = minor ? [minor.person] : [];
    const day = minor ? minor.day : this.anchor(rng, last, recentWithin);
    const district = minor ? this.districtOf(minor.person) : rng.pick(DISTRICTS);
    const taken = new Set<DemoPerson>(suspects);
    const suspectCount = rng.chance(0.25) ? 2 : 1;
    // A minor's co-suspect is a young adult.
    while (suspects.length < suspectCount) {
      const pool = this.residentsAged(district.code, day, 18, minor ? 30 : 65, taken);
      const men = pool.filter((p) => p.gender === 'MALE');
      const suspect = rng.pick(rng.chance(0.85) && men.length > 0 ? men : pool);
      suspects.push(suspect);
      taken.add(suspect);
    }
    const victims = this.pickDistinct(rng, this.residentsAged(district.code, day, 12, 90, taken), rangeInt(rng, charge.victims), taken);
    const witnesses = this.pickDistinct(rng, this.residentsAged(district.code, day, 18, 80, taken), rng.chance(0.5) ? 1 : 0, taken);
    const scene = rng.pick(this.plans.filter((p) => p.district === district));
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
      suspectIdNumbers: suspects.map((p) => p.idNumber),
      victimIdNumbers: victims.map((p) => p.idNumber),
      witnessIdNumbers: witnesses.map((p) => p.idNumber),
      officerId: `po-${district.code}-${pad(rng.int(1, 20), 3)}`,
      stage: transferred ? 'TRANSFERRED' : (fate as 'FILED' | 'INVESTIGATING' | 'CLOSED'),
      prosecution: null,
      trial: null,
      correction: null,
    };
    this.city.criminalChains.push(chain);
    this.numbering.request({ key: 'JQ', date: occurredAt, perDay: 300, yearly: false, assign: (seq) => { chain.incidentId = `JQ2025${pad(seq, 6)}`; } });
    this.numbering.request({
      key: `police${district.code}`, date: chain.filedOn, perDay: 5, yearly: true,
      assign: (seq, year) => { chain.policeCaseNo = `A${district.code}${year}${pad(seq, 5)}`; },
    });
    if (!transferred) return;

    const juvenileAtOffence = suspects.some((p) => ageOn(p.birthDate, occurredAt) < 18);
    const prosecution: NonNullable<DemoCriminalChain['prosecution']> = {
      arrestReviewCaseNo: '',
      // 少捕慎诉: minors are detained far less often.
      arrestDecision: rng.chance(juvenileAtOffence ? 0.35 : 0.75) ? 'APPROVED' : 'NOT_APPROVED',
      arrestDecidedOn: must(t.arrest),
      prosecutionCaseNo: '',
      receivedOn: must(t.received),
      decision: fate === 'PROSECUTE' ? 'PROSECUTE' : fate === 'NOT_PROSECUTE' ? 'NOT_PROSECUTE' : 'PENDING',
      decidedOn: on(t.decided),
      prosecutorId: `pr-${district.code}-${pad(rng.int(1, 8), 3)}`,
    };
    chain.prosecution = prosecution;
    this.numbering.request({
      key: `arrest${district.abbreviation}`, date: prosecution.arrestDecidedOn, perDay: 0.6, yearly: true,
      assign: (seq, year) => { prosecution.arrestReviewCaseNo = `${district.abbreviation}检捕〔${year}〕${seq}号`; },
    });
    this.numbering.request({
      key: `prosecution${district.abbreviation}`, date: prosecution.receivedOn, perDay: 0.9, yearly: true,
      assign: (seq, year) => { prosecution.prosecutionCaseNo = `${district.abbreviation}检刑诉〔${year}〕${seq}号`; },
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
      judgeId: `ju-${district.code}-${pad(rng.int(1, 6), 3)}`,
    };
    chain.trial = trial;
    this.numbering.request({
      key: `${district.courtCode}刑初`, date: trial.filedOn, perDay: 0.8, yearly: true,
      assign: (seq, year) => { trial.courtCaseNo = `(${year})${district.courtCode}刑初${seq}号`; },
    });
    if (!probation || sentenceMonths === null) return;

    // Probation (刑法 art. 73) runs from the sentence up to a year longer for 拘役 (危险驾驶), and
    // from the sentence up to five years, but at least one year, for a prison term.
    const probationMonths = charge.name === '危险驾驶罪'
      ? sentenceMonths + rng.int(0, 6)
      : Math.min(60, Math.max(12, sentenceMonths + rng.int(0, 12)));
    const startOn = must(t.correction);
    const endOn = addDays(addMonths(startOn, probationMonths), -1);
    const correction: NonNullable<DemoCriminalChain['correction']> = {
      id: '',
      startOn,
      endOn,
      status: endOn < DEMO_TODAY ? 'COMPLETED' : 'ACTIVE',
      officerId: `co-${district.code}-${pad(rng.int(1, 5), 3)}`,
    };
    chain.correction = correction;
    this.numbering.request({ key: 'CC', date: startOn, perDay: 2, yearly: false, assign: (seq) => { correction.id = `CC2025${pad(seq, 6)}`; } });
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
  private juvenileSuspect(
    rng: Random, lastOffset: number, recentWithin: number | undefined, used: Set<DemoPerson>,
  ): { person: DemoPerson; day: string } | null {
    const latestStart = addDays(DEMO_PERIOD_END, -lastOffset);
    const earliestStart = recentWithin === undefined ? DEMO_PERIOD_START : maxDate(DEMO_PERIOD_START, addDays(latestStart, -recentWithin));
    for (const person of rng.shuffle(this.city.persons)) {
      if (used.has(person)) continue;
      const from = maxDate(earliestStart, addYears(person.birthDate, 16));
      const to = minDate(latestStart, addDays(addYears(person.birthDate, 18), -1));
      if (from <= to) {
        used.add(person);
        return { person, day: rng.date(from, to) };
      }
    }
    return null;
  }

  private pickDistinct(rng: Random, pool: readonly DemoPerson[], count: number, taken: Set<DemoPerson>): DemoPerson[] {
    const picked = rng.sample(pool, Math.min(count, pool.length));
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
        reportedAt: momentOn(rng, rng.date(DEMO_PERIOD_START, DEMO_PERIOD_END)),
        reporterIdNumber: reporter?.idNumber ?? null,
      };
      this.city.incidents.push(incident);
      this.numbering.request({ key: 'JQ', date: incident.reportedAt, perDay: 300, yearly: false, assign: (seq) => { incident.id = `JQ2025${pad(seq, 6)}`; } });
    }
  }

  // ---- police, courts and justice ---------------------------------------------------------

  /** 一村一辅警: one auxiliary officer for every grid that covers a village. */
  private postAuxiliaryOfficers(): void {
    for (const plan of this.plans.filter((p) => p.rural)) {
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

  private anyAdult(rng: Random, exclude?: DemoPerson): DemoPerson {
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
      const filedOn = rng.date(DEMO_PERIOD_START, DEMO_PERIOD_END);
      const concludedShare = daysBetween(filedOn, DEMO_PERIOD_END) > 180 ? 0.75 : 0.2;
      const record = {
        caseNo: '',
        courtCode,
        applicantIdNumber: applicant.idNumber,
        respondentIdNumber: respondent.idNumber,
        amountYuan: rangeInt(rng, rng.weighted([[[3_000, 50_000], 6], [[50_001, 300_000], 3], [[300_001, 2_000_000], 1]] as const)),
        filedOn,
        status: rng.chance(concludedShare) ? ('CONCLUDED' as const) : ('OPEN' as const),
      };
      this.city.enforcementCases.push(record);
      this.numbering.request({
        key: `${courtCode}执`, date: filedOn, perDay: 8, yearly: true,
        assign: (seq, year) => { record.caseNo = `(${year})${courtCode}执${seq}号`; },
      });
    }
  }

  private grantLegalAid(): void {
    const rng = this.rng.fork('legal-aid');
    const juveniles = this.city.criminalChains.flatMap((chain) =>
      chain.suspectIdNumbers
        .map((id) => this.personById.get(id))
        .filter((p): p is DemoPerson => p !== undefined && ageOn(p.birthDate, chain.occurredAt) < 18)
        .map((person) => ({ person, chain })));
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
        const appliedOn = rng.date(DEMO_PERIOD_START, DEMO_PERIOD_END);
        request = {
          applicant: this.anyAdult(rng),
          matter: rng.pick(LEGAL_AID_MATTERS),
          appliedOn,
          // Applications are decided within days; only the last ones are still open.
          status: daysBetween(appliedOn, DEMO_PERIOD_END) < 10
            ? ('PENDING' as const)
            : rng.weighted([['APPROVED', 85], ['REJECTED', 15]] as const),
        };
      }
      const record = {
        id: '',
        applicantIdNumber: request.applicant.idNumber,
        matter: request.matter,
        appliedOn: request.appliedOn,
        status: request.status,
        districtCode: this.districtOf(request.applicant).code,
      };
      this.city.legalAid.push(record);
      this.numbering.request({ key: 'LA', date: record.appliedOn, perDay: 8, yearly: false, assign: (seq) => { record.id = `LA2025${pad(seq, 6)}`; } });
    }
  }

  /** Records come out in the order of their numbers, which is date order. */
  private sortRecords(): void {
    const by = <T>(key: (t: T) => string) => (x: T, y: T) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);
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
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`demo size ${key} must be a non-negative integer, got ${value}`);
  }
  const maxTownships = Math.min(...DISTRICTS.map((d) => d.townships.length));
  if (size.townshipsPerDistrict < 1 || size.townshipsPerDistrict > maxTownships) {
    throw new RangeError(`townshipsPerDistrict must be 1–${maxTownships}`);
  }
  // Bounded by the pool of distinct village and community names, not by the 3-digit grid number.
  if (size.gridsPerTownship < 1 || size.gridsPerTownship > 99) throw new RangeError('gridsPerTownship must be 1–99');
  // Disputes need two adults from different households in a grid.
  if (size.personsPerGrid < 10) throw new RangeError('personsPerGrid must be at least 10');
}

export function buildDemoCity(size: DemoCitySize, seed = 20251129): DemoCity {
  checkSize(size);
  return new CityBuilder(size, new Random(seed), seed).build();
}
