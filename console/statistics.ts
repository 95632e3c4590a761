/**
 * The statistics page's logic, without the page: the months asked, the series of one department's
 * figures, what is withheld, and how a hotspot is drawn. Pure, so test/consoleStatistics.test.ts
 * checks it without a browser.
 */

/** `monthly` serves at most this many months in one request (docs/analytics.md). */
export const MAX_MONTHS = 60;
/** `hotspots` counts at most 366 days; the map shows the range's last twelve months at most. */
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

/** The days the hotspot map covers: the range's last {@link MAP_MONTHS} months at most (the graph maps ≤ 366 days). */
export function mapRange(range: DayRange): DayRange {
  const last = monthIndex(MONTH.exec(range.to.slice(0, 7))!);
  const first = Math.max(monthIndex(MONTH.exec(range.from.slice(0, 7))!), last - MAP_MONTHS + 1);
  return { from: `${monthOf(first)}-01`, to: range.to };
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

/** How a grid's count is drawn: a circle whose area grows with the events, from pale yellow to dark red. */
export function hotspotStyle(events: number, max: number): { radius: number; color: string } {
  if (events <= 0) return { radius: 3, color: '#98a2b3' };
  const share = max > 0 ? Math.min(1, events / max) : 1;
  // From #fdd835 (few) to #b71c1c (the most), linearly in RGB.
  const mix = (a: number, b: number) => Math.round(a + (b - a) * share);
  const color = `rgb(${mix(0xfd, 0xb7)}, ${mix(0xd8, 0x1c)}, ${mix(0x35, 0x1c)})`;
  return { radius: 5 + 9 * Math.sqrt(share), color };
}
