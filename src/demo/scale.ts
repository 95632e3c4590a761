/**
 * How big a demo city to build: the two fixed demo sizes, the real city of docs/domain.md, or a city of
 * any number of residents with the real city's proportions. The assumptions behind the city's
 * yearly volumes are in docs/city-scale.md.
 */

import { DEFAULT_HISTORY_MONTHS, DEMO_SIZES, demoPeriod } from './city';
import { DISTRICTS } from './divisions';
import type { DemoCitySize } from './types';

/** Huludao's population (census figure). */
export const CITY_RESIDENTS = 2_400_000;

/**
 * The real city over the default demo period (2025-01-01 … 2026-11-28, 23 months). Places and people
 * come from docs/domain.md; the volumes are estimates from national per-capita rates, stated in
 * docs/city-scale.md.
 */
const CITY = {
  /** 10,720 grids with one grid worker each. */
  grids: 10_720,
  /** Grids per village or community: ~1,340 localities, close to the 1,066 + 245 talk points. */
  gridsPerLocality: 8,
  /** 160,000+ volunteers in 61 groups. */
  volunteers: 160_000,
  /** 128 personal mediation rooms (in the four districts that have them). */
  personalRooms: 128,
  /** People's mediation cases, each from a dispute a grid worker reported. */
  disputes: 16_000,
  /** Criminal cases followed from incident to trial and corrections. */
  criminalChains: 6_000,
  /** Incidents (警情) that stay incidents. */
  extraIncidents: 200_000,
  /** Grid events other than disputes: hazards, public-order problems, service requests. */
  otherGridEvents: 200_000,
  enforcementCases: 20_000,
  legalAid: 5_000,
} as const;

const PERSONAL_ROOM_DISTRICTS = 4;
const MIN_RESIDENTS = 100;
const MAX_RESIDENTS = 10_000_000;

/** A city of about `residents` people with the real city's proportions (the real city at 2,400,000). */
export function sizeForResidents(residents: number): DemoCitySize {
  if (!Number.isInteger(residents) || residents < MIN_RESIDENTS || residents > MAX_RESIDENTS) {
    throw new RangeError(`residents must be an integer from ${MIN_RESIDENTS} to ${MAX_RESIDENTS}`);
  }
  const f = residents / CITY_RESIDENTS;
  const scaled = (n: number) => Math.round(n * f);
  const grids = Math.max(6, scaled(CITY.grids));
  // The real city has ten townships a district (nine in 龙港区); a small one keeps fewer.
  const townshipsPerDistrict = Math.min(10, Math.max(1, Math.floor(grids / 18)));
  const townships = DISTRICTS.reduce((n, d) => n + Math.min(d.townships.length, townshipsPerDistrict), 0);
  return {
    townshipsPerDistrict,
    gridsPerTownship: Math.ceil(grids / townships),
    personsPerGrid: Math.max(10, Math.round(residents / grids)),
    volunteersPerDistrict: Math.round(scaled(CITY.volunteers) / 6),
    disputes: scaled(CITY.disputes),
    criminalChains: scaled(CITY.criminalChains),
    extraIncidents: scaled(CITY.extraIncidents),
    enforcementCases: scaled(CITY.enforcementCases),
    legalAid: scaled(CITY.legalAid),
    grids,
    gridsPerLocality: Math.min(CITY.gridsPerLocality, Math.max(1, Math.round(grids / townships / 22))),
    talkPointPerLocality: true,
    personalRoomsPerDistrict: Math.max(1, Math.round(scaled(CITY.personalRooms) / PERSONAL_ROOM_DISTRICTS)),
    otherGridEvents: scaled(CITY.otherGridEvents),
  };
}

export interface DemoScale {
  /** `small`, `medium`, `city`, or the number of residents asked for. */
  name: string;
  size: DemoCitySize;
}

/** Reads `--scale`: small | medium | city | a number of residents (digits, `_` or `,` allowed). */
export function parseScale(text: string): DemoScale {
  const name = text.trim().toLowerCase();
  if (name === 'small' || name === 'medium') return { name, size: DEMO_SIZES[name] };
  if (name === 'city') return { name, size: sizeForResidents(CITY_RESIDENTS) };
  if (/^\d[\d_,]*$/.test(name)) {
    const residents = Number(name.replace(/[_,]/g, ''));
    return { name: String(residents), size: sizeForResidents(residents) };
  }
  throw new RangeError(`scale must be small, medium, city or a number of residents (${MIN_RESIDENTS}–${MAX_RESIDENTS}), got "${text}"`);
}

/** The record volumes of a size: counted over its period, so they scale with its length. */
const VOLUMES = ['disputes', 'criminalChains', 'extraIncidents', 'enforcementCases', 'legalAid', 'otherGridEvents'] as const;

/**
 * `size` over `months` of history instead of the default 23: the same places, people and
 * volunteers, and every volume (records per period) at the same yearly rate over the longer or
 * shorter period. The default history returns `size` itself, so the small and medium cities stay
 * exactly what they were.
 */
export function withHistory(size: DemoCitySize, months: number): DemoCitySize {
  demoPeriod(months);
  if (months === (size.historyMonths ?? DEFAULT_HISTORY_MONTHS)) return size;
  const f = months / (size.historyMonths ?? DEFAULT_HISTORY_MONTHS);
  const scaled: DemoCitySize = { ...size, historyMonths: months };
  // Without its own count, the other grid events follow the disputes (1.5 each), scaled with them.
  for (const key of VOLUMES) if (size[key] !== undefined) scaled[key] = Math.round(size[key] * f);
  return scaled;
}
