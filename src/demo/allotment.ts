/**
 * Shares made exact rather than drawn, so that a small demo city still holds every kind of record:
 * outcomes allotted by share, and how many residents each grid gets so that the districts hold the
 * city's people in the 2020 census's shares (第七次全国人口普查; figures and sources in docs/domain.md), with every grid keeping
 * the floor the stories need (two adults of different households for a dispute).
 */
import type { Random } from './random';

/** Exactly `round(n × share)` of each value (the last takes the rest), in random order. */
export function allot<T>(rng: Random, n: number, shares: readonly (readonly [T, number])[]): T[] {
  const out: T[] = [];
  shares.forEach(([value, share], i) => {
    const count = i === shares.length - 1 ? n - out.length : Math.min(n - out.length, Math.round(n * share));
    for (let k = 0; k < count; k++) out.push(value);
  });
  return rng.shuffle(out);
}

/** Splits `total` over integer shares proportional to `weights` (largest remainders, ties to the first). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (!(sum > 0)) throw new RangeError('weights must add up to more than zero');
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    parts[i]++;
  }
  return parts;
}

export interface DistrictGrids {
  /** The district's census population (its weight). */
  census: number;
  /** How many grids the demo lays out in it. */
  grids: number;
}

/**
 * Residents of each grid, district after district in the order given: `total` residents split by
 * census weight, no grid below `minPerGrid` (a district held at its floor gives up its share, the
 * others share the rest by their weights), and a district's residents spread evenly over its grids.
 */
export function residentsPerGrid(total: number, districts: readonly DistrictGrids[], minPerGrid: number): number[] {
  const floor = districts.map((d) => d.grids * minPerGrid);
  if (floor.reduce((s, f) => s + f, 0) > total) throw new RangeError(`${total} residents cannot give every grid ${minPerGrid}`);
  const held = new Set<number>();
  let shares: number[] = [];
  // Each round may push another district to its floor; at most one round per district.
  for (let round = 0; round <= districts.length; round++) {
    const rest = total - [...held].reduce((s, i) => s + floor[i], 0);
    const free = districts.map((d, i) => (held.has(i) ? 0 : d.census));
    const split = apportion(rest, free);
    shares = districts.map((_, i) => (held.has(i) ? floor[i] : split[i]));
    const under = shares.flatMap((n, i) => (!held.has(i) && n < floor[i] ? [i] : []));
    if (under.length === 0) break;
    for (const i of under) held.add(i);
  }
  return districts.flatMap((d, i) => {
    const base = Math.floor(shares[i] / d.grids);
    const extra = shares[i] % d.grids;
    return Array.from({ length: d.grids }, (_, g) => base + (g < extra ? 1 : 0));
  });
}
