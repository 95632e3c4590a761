/**
 * A small seeded PRNG (sfc32, seeded through the cyrb128 string hash). The demo city must be a pure
 * function of its seed, so nothing here reads the clock or Math.random().
 */

import { addDays, daysBetween } from './dates';

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** Reads a date-only bound as the start (or end) of that day in UTC; a full timestamp as is. */
function instantMs(iso: string, endOfDay: boolean): number {
  const ms = Date.parse(iso.length === 10 ? `${iso}T${endOfDay ? '23:59:59' : '00:00:00'}Z` : iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date or timestamp: ${iso}`);
  return ms;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(private readonly seedText: string | number) {
    [this.a, this.b, this.c, this.d] = cyrb128(String(seedText));
    // sfc32's first outputs still echo the seed state; discard them.
    for (let i = 0; i < 12; i++) this.next();
  }

  /**
   * An independent stream for one part of the city. Parts draw from their own streams so that
   * generating more of one (say, more disputes) does not reshuffle another (the residents).
   */
  fork(label: string): Random {
    return new Random(`${this.seedText}/${label}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) {
      throw new RangeError(`bad integer range [${min}, ${max}]`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.index(items.length)];
  }

  /** A uniform position in a list of `length` items: the draw behind `pick`, for lists that are not arrays. */
  index(length: number): number {
    if (length === 0) throw new RangeError('cannot pick from an empty list');
    return Math.floor(this.next() * length);
  }

  /** Picks a value with probability proportional to its weight. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    const total = pairs.reduce((sum, [, weight]) => sum + weight, 0);
    if (!(total > 0)) throw new RangeError('weights must add up to more than zero');
    let r = this.next() * total;
    let fallback = pairs[0][0];
    for (const [value, weight] of pairs) {
      if (weight <= 0) continue;
      r -= weight;
      if (r < 0) return value;
      fallback = value;
    }
    // Only floating-point rounding gets here; never hand back a zero-weight value.
    return fallback;
  }

  /** A day in [fromIso, toIso], both inclusive, as `YYYY-MM-DD`. */
  date(fromIso: string, toIso: string): string {
    const span = daysBetween(fromIso, toIso);
    if (span < 0) throw new RangeError(`empty date range ${fromIso} … ${toIso}`);
    return addDays(fromIso, this.int(0, span));
  }

  /** An instant in [fromIso, toIso] to the second, as an ISO timestamp; a date-only bound covers its whole day. */
  timestamp(fromIso: string, toIso: string): string {
    const from = instantMs(fromIso, false) / 1000;
    const to = instantMs(toIso, true) / 1000;
    if (to < from) throw new RangeError(`empty time range ${fromIso} … ${toIso}`);
    return new Date(this.int(Math.ceil(from), Math.floor(to)) * 1000).toISOString();
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** In-place shuffle of a typed array, with the same draws as `shuffle` (for a million indexes, no copies). */
  shuffleInPlace(items: Int32Array): Int32Array {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** `n` distinct elements in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    return this.sampleIndices(items.length, n).map((i) => items[i]);
  }

  /**
   * `n` distinct positions of a list of `length` items, in random order: the draws of `sample`
   * (a partial Fisher–Yates), keeping only the swapped positions, so the list need not exist.
   */
  sampleIndices(length: number, n: number): number[] {
    if (n > length) throw new RangeError(`cannot sample ${n} of ${length}`);
    const swapped = new Map<number, number>();
    const at = (i: number) => swapped.get(i) ?? i;
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const j = this.int(i, length - 1);
      const [vi, vj] = [at(i), at(j)];
      swapped.set(i, vj);
      swapped.set(j, vi);
      out.push(vj);
    }
    return out;
  }
}
