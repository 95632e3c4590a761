/**
 * The residents as the rest of the plan needs them — grid, household, birth day, gender, the parts
 * of the ID number, the surname — in typed arrays. The city's 2.4 million people as objects would
 * be gigabytes of short-lived garbage; as columns they take about 25 bytes each, and the queries
 * the stories ask ("an adult of this grid", "someone of this district aged 18 to 65 on that day")
 * are answered from indexes instead of scans.
 */

import { makeIdNumber } from '../shared/idNumber';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(isoDate: string): number {
  return Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`) / DAY_MS;
}

const isoCache = new Map<number, string>();

/** The ISO date of a day number (cached: a city has only some 35,000 distinct birthdays). */
export function isoDate(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}

/** Open-addressing hash map (linear probing, at most 3/4 full) from non-negative integers below 2^53 to int32 values. */
export class NumberMap {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 16) {
    let capacity = 16;
    while (capacity * 3 < expected * 4) capacity *= 2;
    this.keys = new Float64Array(capacity).fill(-1);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  private slot(key: number): number {
    const lo = key % 0x4000000;
    const hi = (key - lo) / 0x4000000;
    let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    let i = h & this.mask;
    while (this.keys[i] !== -1 && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  get(key: number): number | undefined {
    const i = this.slot(key);
    return this.keys[i] === key ? this.values[i] : undefined;
  }

  has(key: number): boolean {
    return this.keys[this.slot(key)] === key;
  }

  set(key: number, value: number): void {
    if (!(key >= 0 && Number.isSafeInteger(key))) throw new RangeError(`NumberMap keys are non-negative safe integers, got ${key}`);
    const i = this.slot(key);
    if (this.keys[i] !== key) {
      if ((this.size + 1) * 4 > this.keys.length * 3) {
        this.grow();
        this.set(key, value);
        return;
      }
      this.keys[i] = key;
      this.size++;
    }
    this.values[i] = value;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.values = new Int32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.set(keys[i], values[i]);
  }
}

/** A list of person indexes that can be read at a position without being built: a plain array, or a view of an index. */
export interface Pool {
  readonly length: number;
  at(position: number): number | undefined;
}

export interface NewResident {
  grid: number;
  household: number;
  birthDay: number;
  male: boolean;
  region: number;
  sequence: number;
  surname: string;
}

/** Residents in the order they were generated; a grid's (and a district's) residents are one run of indexes. */
export class Population {
  readonly grid: Int32Array;
  readonly household: Int32Array;
  readonly birthDay: Int32Array;
  readonly male: Uint8Array;
  private readonly region: Uint8Array;
  private readonly sequence: Uint16Array;
  private readonly surname: Uint16Array;
  private readonly byIdKey: NumberMap;
  count = 0;

  /** `regionCodes`: every region code an ID number may carry, indexed by `NewResident.region`. */
  constructor(
    readonly capacity: number,
    private readonly regionCodes: readonly string[],
  ) {
    this.grid = new Int32Array(capacity);
    this.household = new Int32Array(capacity);
    this.birthDay = new Int32Array(capacity);
    this.male = new Uint8Array(capacity);
    this.region = new Uint8Array(capacity);
    this.sequence = new Uint16Array(capacity);
    this.surname = new Uint16Array(capacity);
    this.byIdKey = new NumberMap(capacity);
  }

  /** A number standing for one ID number (region, birth day and sequence say it all). */
  static idKey(region: number, birthDay: number, sequence: number): number {
    return (region * 65536 + birthDay + 32768) * 1000 + sequence;
  }

  hasIdKey(key: number): boolean {
    return this.byIdKey.has(key);
  }

  add(r: NewResident): number {
    const i = this.count;
    if (i >= this.capacity) throw new RangeError('population is full');
    this.grid[i] = r.grid;
    this.household[i] = r.household;
    this.birthDay[i] = r.birthDay;
    this.male[i] = r.male ? 1 : 0;
    this.region[i] = r.region;
    this.sequence[i] = r.sequence;
    this.surname[i] = r.surname.charCodeAt(0);
    this.byIdKey.set(Population.idKey(r.region, r.birthDay, r.sequence), i);
    this.count++;
    return i;
  }

  idNumber(i: number): string {
    return makeIdNumber(this.regionCodes[this.region[i]], isoDate(this.birthDay[i]), this.sequence[i]);
  }

  birthDate(i: number): string {
    return isoDate(this.birthDay[i]);
  }

  /** The first character of the name, which is what documents keep of a party (王某). */
  surnameOf(i: number): string {
    return String.fromCharCode(this.surname[i]);
  }

  /** The index of the resident with this ID number, if any. */
  indexOf(idNumber: string): number | undefined {
    const region = this.regionCodes.indexOf(idNumber.slice(0, 6));
    if (region < 0) return undefined;
    const b = idNumber.slice(6, 14);
    const key = Population.idKey(region, dayNumber(`${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}`), Number(idNumber.slice(14, 17)));
    return this.byIdKey.get(key);
  }
}

const BLOCK = 4096;

/** Lower bound: the number of values in sorted `a` that are <= `x`. */
function countAtMost(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Birth days of one run of residents [start, end), in blocks whose days are kept sorted: how many
 * of them were born in a span, and which one is the k-th of those in resident order, each in
 * (blocks × log block) steps instead of a scan.
 */
export class BirthIndex {
  private readonly all: Int32Array[] = [];
  private readonly men: Int32Array[] = [];

  constructor(
    private readonly people: Population,
    private readonly start: number,
    private readonly end: number,
  ) {
    for (let s = start; s < end; s += BLOCK) {
      const e = Math.min(end, s + BLOCK);
      const days = people.birthDay.slice(s, e);
      const maleDays: number[] = [];
      for (let i = s; i < e; i++) if (people.male[i]) maleDays.push(people.birthDay[i]);
      this.all.push(days.sort());
      this.men.push(Int32Array.from(maleDays).sort());
    }
  }

  private matches(i: number, after: number, upTo: number, menOnly: boolean): boolean {
    const day = this.people.birthDay[i];
    return day > after && day <= upTo && (!menOnly || this.people.male[i] === 1);
  }

  private inBlock(b: number, after: number, upTo: number, menOnly: boolean): number {
    const days = menOnly ? this.men[b] : this.all[b];
    return countAtMost(days, upTo) - countAtMost(days, after);
  }

  /** Residents born in (after, upTo]. */
  count(after: number, upTo: number, menOnly: boolean): number {
    let n = 0;
    for (let b = 0; b < this.all.length; b++) n += this.inBlock(b, after, upTo, menOnly);
    return n;
  }

  /** Matching residents before resident `index`. */
  countBefore(index: number, after: number, upTo: number, menOnly: boolean): number {
    const block = Math.floor((index - this.start) / BLOCK);
    let n = 0;
    for (let b = 0; b < block; b++) n += this.inBlock(b, after, upTo, menOnly);
    for (let i = this.start + block * BLOCK; i < index; i++) if (this.matches(i, after, upTo, menOnly)) n++;
    return n;
  }

  /** The resident at `position` among the matching ones, in resident order. */
  select(position: number, after: number, upTo: number, menOnly: boolean): number {
    let left = position;
    for (let b = 0; b < this.all.length; b++) {
      const n = this.inBlock(b, after, upTo, menOnly);
      if (left >= n) {
        left -= n;
        continue;
      }
      const s = this.start + b * BLOCK;
      for (let i = s; i < Math.min(this.end, s + BLOCK); i++) {
        if (this.matches(i, after, upTo, menOnly) && left-- === 0) return i;
      }
    }
    throw new RangeError(`no resident at position ${position}`);
  }

  /** The matching residents, less `exclude`, as a pool read in place. */
  pool(after: number, upTo: number, menOnly: boolean, exclude: ReadonlySet<number>): Pool {
    const excluded = [...exclude].filter((i) => i >= this.start && i < this.end && this.matches(i, after, upTo, menOnly)).sort((x, y) => x - y);
    const ranks = excluded.map((i) => this.countBefore(i, after, upTo, menOnly));
    const length = this.count(after, upTo, menOnly) - excluded.length;
    return {
      length,
      at: (position: number) => {
        if (position < 0 || position >= length) return undefined;
        // Step over the excluded residents that come before the wanted one.
        let k = position;
        for (const rank of ranks) {
          if (rank <= k) k++;
          else break;
        }
        return this.select(k, after, upTo, menOnly);
      },
    };
  }
}
