/**
 * The grid worker's objects (以房管人): the houses the residents live in (实有房屋), the rented
 * ones among them (出租房屋), special populations (特殊人群), key places (重点场所) and the
 * worker's visits (走访). Derived from the residents as they stream past — a household's shared
 * address is its house — and drawn from streams of their own (`houses/<grid>`, …), so that no
 * existing id or count of the city shifts.
 */

import { addDays, ageOn } from './dates';
import { DEMO_TODAY, residenceOf } from './city';
import { DISTRICTS, townshipsOf } from './divisions';
import { personName } from './names';
import { Random } from './random';
import type { DemoCitySource, DemoPerson } from './types';

export type HouseOccupancy = 'OWNER_OCCUPIED' | 'RENTED' | 'VACANT';
export type SpecialPopulationKind = 'RELEASED_PRISONER' | 'COMMUNITY_CORRECTION' | 'SEVERE_MENTAL_ILLNESS' | 'DRUG_USER';
export type KeyPlaceKind = 'SCHOOL' | 'KINDERGARTEN' | 'HOSPITAL' | 'MARKET' | 'HAZARDOUS_GOODS';
export type VisitPurpose = 'SPECIAL_POPULATION' | 'RENTAL_CHECK' | 'KEY_PLACE_INSPECTION';

export interface DemoHouse {
  /** `H` + grid code + 4 digits. */
  id: string;
  gridCode: string;
  address: string;
  occupancy: HouseOccupancy;
  /** The owner (a resident of the grid); null for a vacant house whose owner lives elsewhere. */
  ownerIdNumber: string | null;
  /** Tenants the landlord declared in the rental registration (出租登记); 0 unless rented. */
  tenantsDeclared: number;
  rentedSince: string | null;
}

export interface DemoSpecialPopulation {
  /** `SP` + 8 digits. */
  id: string;
  idNumber: string;
  gridCode: string;
  kind: SpecialPopulationKind;
  registeredOn: string;
  /** The agency whose statutory duty the person's management is (the policy's `party`); `health` for 卫健. */
  responsibleAgency: 'justice' | 'police' | 'health';
  /** The help and management measures (帮扶管控措施), as the grid worker keeps them. */
  measures: string;
}

export interface DemoKeyPlace {
  /** `KP` + grid code + 2 digits. */
  id: string;
  gridCode: string;
  name: string;
  kind: KeyPlaceKind;
  address: string;
  managerName: string;
  /** A landline of the place (0429 is 葫芦岛's area code). */
  managerPhone: string;
}

export interface DemoVisit {
  /** `VI` + year + 6 digits. */
  id: string;
  gridCode: string;
  visitedBy: string;
  visitedAt: string;
  purpose: VisitPurpose;
  idNumber: string | null;
  houseId: string | null;
  keyPlaceId: string | null;
  note: string;
}

export interface DemoGridObjects {
  houses: DemoHouse[];
  specialPopulations: DemoSpecialPopulation[];
  keyPlaces: DemoKeyPlace[];
  visits: DemoVisit[];
}

/**
 * Registered shares of the adult population (per person): 严重精神障碍 some 4.7‰ (国家卫健委, 660万
 * registered patients in 2023), drug users 0.6‰ (中国毒情形势报告 2023: 89.6万 existing users),
 * people released in the last five years under 安置帮教 some 1.5‰ (司法部). Community
 * correction subjects come from the city's own active community corrections.
 */
const SPECIAL_SHARES: ReadonlyArray<readonly [Exclude<SpecialPopulationKind, 'COMMUNITY_CORRECTION'>, number]> = [
  ['SEVERE_MENTAL_ILLNESS', 0.0047],
  ['DRUG_USER', 0.0006],
  ['RELEASED_PRISONER', 0.0015],
];
const RESPONSIBLE: Record<SpecialPopulationKind, DemoSpecialPopulation['responsibleAgency']> = {
  // 社区矫正法 art. 8; 安置帮教 (中办发〔2010〕5号): the justice administration.
  COMMUNITY_CORRECTION: 'justice',
  RELEASED_PRISONER: 'justice',
  // 禁毒法 arts. 33–34: the police register drug users and oversee 社区戒毒.
  DRUG_USER: 'police',
  // 精神卫生法 art. 24: the health department keeps the register; the grid joins the care team.
  SEVERE_MENTAL_ILLNESS: 'health',
};
const MEASURES: Record<SpecialPopulationKind, string[]> = {
  COMMUNITY_CORRECTION: ['每月走访一次，配合司法所掌握思想动态。', '协助落实报到与外出审批，了解就业情况。'],
  RELEASED_PRISONER: ['落实安置帮教，协助办理社保与就业登记。', '每季度走访，了解家庭与就业情况。'],
  SEVERE_MENTAL_ILLNESS: ['监护人在家，按时服药，关爱帮扶小组每月随访。', '落实监护补贴，协助复诊，关注病情变化。'],
  DRUG_USER: ['配合派出所落实社区戒毒（康复）协议。', '每月走访，了解尿检与就业情况。'],
};
const KEY_PLACES: ReadonlyArray<readonly [KeyPlaceKind, string, number, number]> = [
  // kind, name suffix, weight in urban grids, weight in rural ones
  ['SCHOOL', '小学', 3, 2],
  ['KINDERGARTEN', '幼儿园', 3, 1],
  ['HOSPITAL', '社区卫生服务站', 2, 1],
  ['MARKET', '农贸市场', 2, 1],
  ['HAZARDOUS_GOODS', '液化气供应站', 1, 1],
];
const URBAN_HOUSE = /\d+号楼\d+单元\d+室$/;
const RURAL_HOUSE = /\d+组\d+号$/;

interface GridRun {
  gridCode: string;
  /** Houses of the grid's households in order; `owner` the head's ID number. */
  houses: DemoHouse[];
  address: string;
  taken: Set<string>;
  special: Random;
}

/** Collects the houses and special populations as the residents stream past; `finish` adds the rest. */
export class GridObjectsPlan {
  private readonly root: Random;
  private readonly objects: DemoGridObjects = { houses: [], specialPopulations: [], keyPlaces: [], visits: [] };
  private run: GridRun | null = null;
  private readonly urban = new Set<string>();

  constructor(city: Pick<DemoCitySource, 'seed' | 'grids'>) {
    this.root = new Random(city.seed);
    const subdistricts = new Set(
      DISTRICTS.flatMap(townshipsOf)
        .filter((t) => t.kind === 'SUBDISTRICT')
        .map((t) => t.code),
    );
    for (const g of city.grids) if (subdistricts.has(g.townshipCode)) this.urban.add(g.code);
  }

  /** Notes one resident (in the order the residents are generated) and answers the id of their house. */
  resident(p: DemoPerson): string {
    if (this.run?.gridCode !== p.gridCode) this.closeGrid();
    const run = (this.run ??= {
      gridCode: p.gridCode,
      houses: [],
      address: '',
      taken: new Set(),
      special: this.root.fork(`special-populations/${p.gridCode}`),
    });
    // A household's members follow each other and share one address; no two households of a grid share one.
    if (run.address !== p.address) {
      run.address = p.address;
      run.taken.add(p.address);
      run.houses.push({
        id: houseId(p.gridCode, run.houses.length + 1),
        gridCode: p.gridCode,
        address: p.address,
        occupancy: p.rentalHousing ? 'RENTED' : 'OWNER_OCCUPIED',
        ownerIdNumber: p.rentalHousing ? null : p.idNumber,
        tenantsDeclared: 0,
        rentedSince: null,
      });
    }
    const house = run.houses[run.houses.length - 1];
    if (house.occupancy === 'RENTED') house.tenantsDeclared++;
    if (ageOn(p.birthDate, DEMO_TODAY) >= 18) {
      const u = run.special.next();
      let below = 0;
      for (const [kind, share] of SPECIAL_SHARES) {
        below += share;
        if (u < below) {
          this.addSpecial(run.special, p.idNumber, p.gridCode, kind, run.special.date('2019-01-01', DEMO_TODAY));
          break;
        }
      }
    }
    return house.id;
  }

  /** Everything else, once every resident has been noted: landlords, vacant houses, key places, visits, corrections. */
  finish(city: DemoCitySource): DemoGridObjects {
    this.closeGrid();
    const residence = residenceOf(city);
    for (const chain of city.criminalChains) {
      const idNumber = chain.suspectIdNumbers[0];
      const grid = idNumber && chain.correction?.status === 'ACTIVE' ? residence(idNumber) : undefined;
      if (grid) this.addSpecial(this.root.fork(`corrections/${chain.incidentId}`), idNumber, grid, 'COMMUNITY_CORRECTION', chain.correction!.startOn);
    }
    this.visit(city);
    return this.objects;
  }

  private addSpecial(rng: Random, idNumber: string, gridCode: string, kind: SpecialPopulationKind, registeredOn: string): void {
    this.objects.specialPopulations.push({
      id: `SP${String(this.objects.specialPopulations.length + 1).padStart(8, '0')}`,
      idNumber,
      gridCode,
      kind,
      registeredOn,
      responsibleAgency: RESPONSIBLE[kind],
      measures: rng.pick(MEASURES[kind]),
    });
  }

  /** The grid's landlords, its vacant houses and, in the city, the rentals whose tenants are not registered yet. */
  private closeGrid(): void {
    const run = this.run;
    this.run = null;
    if (!run) return;
    const rng = this.root.fork(`houses/${run.gridCode}`);
    const urban = this.urban.has(run.gridCode);
    const owners = run.houses.filter((h) => h.ownerIdNumber !== null).map((h) => h.ownerIdNumber!);
    const prefix = run.address.replace(urban ? URBAN_HOUSE : RURAL_HOUSE, '');
    const households = run.houses.length;
    // Urban rentals reach 10–20 % of the houses (葫芦岛 registers floating people and rentals as one
    // service); the extra ones were declared by their landlords, their tenants not registered yet.
    const extraRented = urban ? Math.round(households * (0.06 + rng.next() * 0.06)) : 0;
    const vacant = Math.round(households * (urban ? 0.05 : 0.08) * rng.next() * 2);
    for (let i = 0; i < extraRented + vacant; i++) {
      const address = freeAddress(rng, prefix, urban, run.taken);
      const rented = i < extraRented;
      run.houses.push({
        id: houseId(run.gridCode, run.houses.length + 1),
        gridCode: run.gridCode,
        address,
        occupancy: rented ? 'RENTED' : 'VACANT',
        ownerIdNumber: rented && owners.length ? rng.pick(owners) : null,
        tenantsDeclared: rented ? rng.int(1, 3) : 0,
        rentedSince: null,
      });
    }
    for (const house of run.houses) {
      if (house.occupancy !== 'RENTED') continue;
      house.ownerIdNumber ??= owners.length ? rng.pick(owners) : null;
      house.rentedSince = rng.date('2021-01-01', DEMO_TODAY);
    }
    this.objects.houses.push(...run.houses);
    this.placeKeyPlaces(run.gridCode, prefix, urban, run.taken);
  }

  private placeKeyPlaces(gridCode: string, prefix: string, urban: boolean, taken: Set<string>): void {
    const rng = this.root.fork(`key-places/${gridCode}`);
    const count = rng.int(0, urban ? 3 : 1);
    const village = prefix.replace(/^.*(?:街道|镇|乡)/, '');
    for (let i = 0; i < count; i++) {
      const [kind, suffix] = rng.weighted(KEY_PLACES.map(([k, s, u, r]) => [[k, s] as const, urban ? u : r] as const));
      this.objects.keyPlaces.push({
        id: `KP${gridCode}${String(i + 1).padStart(2, '0')}`,
        gridCode,
        name: `${village}${suffix}`,
        kind,
        address: freeAddress(rng, prefix, urban, taken),
        managerName: personName(rng, rng.chance(0.5) ? 'MALE' : 'FEMALE', rng.int(1965, 1995)),
        managerPhone: `0429-${rng.int(2_000_000, 8_999_999)}`,
      });
    }
  }

  /**
   * The grid workers' visits of the last three months (走访): each special population person
   * monthly, a third of the rentals and every key place once.
   */
  private visit(city: DemoCitySource): void {
    const workerOf = new Map(city.grids.map((g) => [g.code, g.workerId]));
    const from = addDays(DEMO_TODAY, -90);
    const planned: Array<Omit<DemoVisit, 'id'>> = [];
    const rng = this.root.fork('visits');
    const plan = (gridCode: string, purpose: VisitPurpose, at: string, subject: Pick<DemoVisit, 'idNumber' | 'houseId' | 'keyPlaceId'>, note: string) =>
      planned.push({ gridCode, visitedBy: workerOf.get(gridCode)!, visitedAt: at, purpose, ...subject, note });
    for (const s of this.objects.specialPopulations) {
      for (let month = 0; month < 3; month++) {
        const at = rng.timestamp(addDays(from, month * 30), addDays(from, month * 30 + 29));
        plan(s.gridCode, 'SPECIAL_POPULATION', at, { idNumber: s.idNumber, houseId: null, keyPlaceId: null }, rng.pick(VISIT_NOTES.SPECIAL_POPULATION));
      }
    }
    for (const h of this.objects.houses) {
      if (h.occupancy !== 'RENTED' || !rng.chance(1 / 3)) continue;
      plan(
        h.gridCode,
        'RENTAL_CHECK',
        rng.timestamp(from, DEMO_TODAY),
        { idNumber: null, houseId: h.id, keyPlaceId: null },
        rng.pick(VISIT_NOTES.RENTAL_CHECK),
      );
    }
    for (const k of this.objects.keyPlaces) {
      plan(
        k.gridCode,
        'KEY_PLACE_INSPECTION',
        rng.timestamp(from, DEMO_TODAY),
        { idNumber: null, houseId: null, keyPlaceId: k.id },
        rng.pick(VISIT_NOTES.KEY_PLACE_INSPECTION),
      );
    }
    planned.sort((a, b) => (a.visitedAt < b.visitedAt ? -1 : a.visitedAt > b.visitedAt ? 1 : 0));
    const perYear = new Map<string, number>();
    for (const v of planned) {
      const year = v.visitedAt.slice(0, 4);
      const seq = (perYear.get(year) ?? 0) + 1;
      perYear.set(year, seq);
      this.objects.visits.push({ id: `VI${year}${String(seq).padStart(6, '0')}`, ...v });
    }
  }
}

const VISIT_NOTES: Record<VisitPurpose, string[]> = {
  SPECIAL_POPULATION: ['上门走访，本人在家，情绪稳定。', '电话联系后上门，了解近况，无异常。', '本人外出务工，向家属了解情况。'],
  RENTAL_CHECK: ['核对承租人信息，已提醒房东办理居住登记。', '人房信息一致，消防通道畅通。', '承租人变更，已督促房东更新出租登记。'],
  KEY_PLACE_INSPECTION: ['检查消防设施与安全出口，未发现隐患。', '督促完善值班记录，灭火器已更换。', '门卫登记落实，监控正常。'],
};

function houseId(gridCode: string, n: number): string {
  return `H${gridCode}${String(n).padStart(4, '0')}`;
}

/** An address in the grid that no household or other house has. */
function freeAddress(rng: Random, prefix: string, urban: boolean, taken: Set<string>): string {
  for (;;) {
    const house = urban ? `${rng.int(1, 30)}号楼${rng.int(1, 6)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室` : `${rng.int(1, 8)}组${rng.int(1, 120)}号`;
    const address = prefix + house;
    if (!taken.has(address)) {
      taken.add(address);
      return address;
    }
  }
}
