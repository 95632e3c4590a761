/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`), done in UTC so that the demo city never depends
 * on the time zone of the machine that builds it.
 */

const DAY_MS = 86_400_000;

function dayMs(isoDate: string): number {
  const ms = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date: ${isoDate}`);
  return ms;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  return isoDay(dayMs(isoDate) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayMs(to) - dayMs(from)) / DAY_MS);
}

/** Adds calendar months, clamping to the last day of a shorter month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(isoDate: string, months: number): string {
  const date = new Date(dayMs(isoDate));
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return isoDay(date.getTime());
}

export function addYears(isoDate: string, years: number): string {
  return addMonths(isoDate, years * 12);
}

/** Age in completed years on `onDate` (a timestamp is read as its date). */
export function ageOn(birthDate: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // MM-DD strings compare in calendar order.
  return onDate.slice(5, 10) < birthDate.slice(5, 10) ? years - 1 : years;
}

/** Day of the year, 1 for January 1st. */
export function dayOfYear(isoDate: string): number {
  return daysBetween(`${isoDate.slice(0, 4)}-01-01`, isoDate) + 1;
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}
