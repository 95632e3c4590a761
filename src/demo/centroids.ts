/**
 * Where the demo's grids lie (WGS-84 degrees, 5 decimals ≈ 1 m): townships scattered around their
 * district's centre, grids around their township, each inside its county's outline (the one the
 * console's map draws: a draw that falls outside, in the sea or the next county, is drawn again).
 * Each division draws from its own fork of the `grid-centroids` stream, keyed by its code, so a
 * centroid is a pure function of the code: nothing is kept per grid however large the city, and no
 * other record of the city shifts.
 */

import { divisionShape, insideShape } from '../shared/geo';
import { Random } from './random';

/** A point in WGS-84 degrees. */
export interface LonLat {
  longitude: number;
  latitude: number;
}

/**
 * Approximate centres of the districts' urban or county seats, not surveyed (docs/domain.md, "Grid
 * coordinates"): the demo needs plausible positions on a map, not exact ones.
 */
const DISTRICT_CENTRES: Readonly<Record<string, LonLat>> = {
  '211402': { longitude: 120.87, latitude: 40.77 }, // 连山区
  '211403': { longitude: 120.89, latitude: 40.74 }, // 龙港区
  '211404': { longitude: 120.75, latitude: 41.1 }, // 南票区
  '211421': { longitude: 120.34, latitude: 40.33 }, // 绥中县
  '211422': { longitude: 119.8, latitude: 40.82 }, // 建昌县
  '211481': { longitude: 120.73, latitude: 40.61 }, // 兴城市
};

/** How far (degrees) a township lies from its district's centre, and a grid from its township's. */
const TOWNSHIP_SPREAD = 0.12;
const GRID_SPREAD = 0.015;

const round5 = (degrees: number) => Math.round(degrees * 1e5) / 1e5;

/** Draws before a division gives up and takes its parent's point (a county centre is inside its county). */
const MAX_DRAWS = 50;

/**
 * `centre` moved by up to `spread` degrees each way, drawn from the stream of `code` until the point
 * lies inside `county` (its outline); after {@link MAX_DRAWS} misses, `centre` itself.
 */
function scatter(seed: number, code: string, centre: LonLat, spread: number, county: string): LonLat {
  const rng = new Random(seed).fork('grid-centroids').fork(code);
  const shape = divisionShape(county);
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const point = {
      longitude: centre.longitude + (rng.next() * 2 - 1) * spread,
      latitude: centre.latitude + (rng.next() * 2 - 1) * spread,
    };
    if (!shape || insideShape(shape, point.longitude, point.latitude)) return point;
  }
  return centre;
}

/** The demo centroid of a grid (12 digits: township code + grid number), rounded to 5 decimals. */
export function gridCentroid(seed: number, gridCode: string): LonLat {
  const county = gridCode.slice(0, 6);
  const district = DISTRICT_CENTRES[county];
  if (!district) throw new RangeError(`no centre for the district of grid ${gridCode}`);
  const township = scatter(seed, gridCode.slice(0, 9), district, TOWNSHIP_SPREAD, county);
  const grid = scatter(seed, gridCode, township, GRID_SPREAD, county);
  return { longitude: round5(grid.longitude), latitude: round5(grid.latitude) };
}
