/**
 * The statistics page's logic, without the page: the months asked, the series of one department's
 * figures, what is withheld, and how a hotspot is drawn. Pure, so test/consoleStatistics.test.ts
 * checks it without a browser.
 */

/** `monthly` serves at most this many months in one request (docs/analytics.md). */
export const MAX_MONTHS = 60;
/** `hotspots` counts at most 366 days; without a whole calendar year the map shows the range's last twelve months at most. */
export const MAP_MONTHS = 12;

export interface DayRange {
  from: string;
  to: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthIndex = (m: RegExpExecArray) => Number(m[1]) * 12 + Number(m[2]) - 1;
const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
const lastDay = (index: number) => new Date(Date.UTC(Math.floor(index / 12), (index % 12) + 1, 0)).getUTCDate();

/**
 * Whole calendar months `fromMonth`..`toMonth` (YYYY-MM, as a month input gives them) as days: the
 * 1st of the first, the last day of the last — the only form an analyst's release answers.
 */
export function monthsAsDays(fromMonth: string, toMonth: string): DayRange {
  const a = MONTH.exec(fromMonth);
  const b = MONTH.exec(toMonth);
  if (!a || !b) throw new RangeError('pick a first and a last month (YYYY-MM)');
  const [first, last] = [monthIndex(a), monthIndex(b)];
  if (first > last) throw new RangeError(`the first month (${fromMonth}) is after the last (${toMonth})`);
  if (last - first + 1 > MAX_MONTHS) throw new RangeError(`at most ${MAX_MONTHS} months at once (${last - first + 1} picked)`);
  return { from: `${fromMonth}-01`, to: `${toMonth}-${String(lastDay(last)).padStart(2, '0')}` };
}

/** The days the hotspot map covers; `year` when they are one whole calendar year. */
export interface MapRange extends DayRange {
  year: number | null;
}

/**
 * The days the hotspot map covers: the last whole calendar year inside the range when there is
 * one — for every agency, and the only range an analyst's map answers (grid releases its cells per
 * grid × calendar year) — else the range's last {@link MAP_MONTHS} months at most (the graph maps
 * ≤ 366 days; an analyst then gets the graph's message naming the form, shown instead of a map).
 */
export function mapRange(range: DayRange): MapRange {
  const last = monthIndex(MONTH.exec(range.to.slice(0, 7))!);
  const firstPicked = monthIndex(MONTH.exec(range.from.slice(0, 7))!);
  // The year of the last December picked, if its January was picked too (the range is whole months).
  const year = Math.floor((last + 1) / 12) - 1;
  if (year * 12 >= firstPicked) return { from: `${year}-01-01`, to: `${year}-12-31`, year };
  const first = Math.max(firstPicked, last - MAP_MONTHS + 1);
  return { from: `${monthOf(first)}-01`, to: range.to, year: null };
}

/** How the map names its range: the year, or its first and last days. */
export function mapRangeLabel(range: MapRange): string {
  return range.year === null ? `${range.from} … ${range.to}` : String(range.year);
}

/** One month of `District.monthly`: its label and each department's statistics object (null: denied). */
export interface MonthRow {
  month: string;
  [department: string]: unknown;
}

/** A statistics object as the graph answers it: figures, and the names of those withheld. */
type Statistics = Record<string, unknown> & { suppressedFields?: string[] };

export interface Series {
  figure: string;
  /** One value per month; null where there is none (drawn as a gap, never as 0). */
  values: Array<number | null>;
  /** The months whose value is withheld: named in the month's `suppressedFields`. */
  withheld: string[];
}

/**
 * Each figure of one department over the months. Only a figure named in `suppressedFields` is
 * withheld; another null is a figure not kept at that level (docs/analytics.md), and a month whose
 * statistics object is null was denied (the caller shows the policy's message): both are gaps.
 */
export function seriesOf(rows: MonthRow[], department: string, figures: string[]): Series[] {
  return figures.map((figure) => {
    const values: Array<number | null> = [];
    const withheld: string[] = [];
    for (const row of rows) {
      const stats = row[department] as Statistics | null | undefined;
      const value = stats?.[figure];
      const suppressed = stats?.suppressedFields?.includes(figure) ?? false;
      values.push(typeof value === 'number' && !suppressed ? value : null);
      if (suppressed) withheld.push(row.month);
    }
    return { figure, values, withheld };
  });
}

/** A grid's properties as `hotspots` answers them: `events` null, and named in `suppressedFields`, when withheld. */
export interface HotspotProperties {
  gridCode: string;
  name: string;
  events: number | null;
  suppressedFields?: string[];
}

/**
 * A grid's count as the map may draw it: null when withheld — named in `suppressedFields` (a
 * number that came with it is not drawn) or null (an exact viewer never gets null) — never 0.
 */
export function eventsOf(p: HotspotProperties): number | null {
  return typeof p.events === 'number' && !p.suppressedFields?.includes('events') ? p.events : null;
}

/** How a grid is drawn on the map (Leaflet's circle-marker options). */
export interface HotspotStyle {
  className: 'hub-hotspot' | 'hub-grid-quiet' | 'hub-grid-withheld';
  radius: number;
  color: string;
  fillColor: string;
  fillOpacity: number;
  weight: number;
}

const GREY = '#98a2b3';

/**
 * How a grid's count is drawn: a circle whose area grows with the events, from pale yellow to dark
 * red; a grid without events as a small grey dot; a withheld grid (null) as a small hollow grey
 * ring, so it reads neither as 0 nor as a count.
 */
export function hotspotStyle(events: number | null, max: number): HotspotStyle {
  // A ring a little larger and darker than a quiet grid's dot, so the two are told apart at a glance.
  if (events === null) return { className: 'hub-grid-withheld', radius: 5, color: '#667085', fillColor: GREY, fillOpacity: 0, weight: 2 };
  if (events <= 0) return { className: 'hub-grid-quiet', radius: 3, color: GREY, fillColor: GREY, fillOpacity: 0.8, weight: 1 };
  const share = max > 0 ? Math.min(1, events / max) : 1;
  // From #fdd835 (few) to #b71c1c (the most), linearly in RGB.
  const mix = (a: number, b: number) => Math.round(a + (b - a) * share);
  const fillColor = `rgb(${mix(0xfd, 0xb7)}, ${mix(0xd8, 0x1c)}, ${mix(0x35, 0x1c)})`;
  return { className: 'hub-hotspot', radius: 5 + 9 * Math.sqrt(share), color: '#7a1010', fillColor, fillOpacity: 0.8, weight: 1 };
}

/** What the map's lines say: the range mapped, the grids, those with events and those withheld. */
export function mapSummary(range: MapRange, grids: HotspotProperties[]): { summary: string; note: string } {
  const counts = grids.map(eventsOf);
  const busy = counts.filter((n) => n !== null && n > 0).length;
  const withheld = counts.filter((n) => n === null).length;
  const mapped =
    range.year === null
      ? `${range.from} … ${range.to} mapped (no whole calendar year picked: its last ${MAP_MONTHS} months at most)`
      : `${range.year} mapped (the last whole calendar year picked)`;
  return {
    summary: `Grid events ${mapRangeLabel(range)}: ${grids.length} grids, ${busy} with events, ${withheld} withheld`,
    note: `${mapped}; ${withheld} grids withheld${withheld ? " (small counts of grid's release: hollow grey rings, never drawn as 0)" : ''}`,
  };
}
