import { badInput } from '../shared/errors';
import { checkDate } from '../shared/validate';

/** Huludao keeps Beijing time: a day of a range is a day there, whatever the server's zone. */
export const CITY_TIME_ZONE = 'Asia/Shanghai';

/** Days `YYYY-MM-DD`, both ends included; either end may be open (null). */
export interface DayRange {
  from: string | null;
  to: string | null;
}

/**
 * The one validator of a caller's `from`/`to` days, for statistics as for list filters: an end is
 * open when absent (null or undefined); anything else must be a real day, so `""` is refused like
 * any malformed day, naming the argument (`from`, `filter.to`, …); `from` must not be after `to`.
 */
export function checkDayRange(from: string | null | undefined, to: string | null | undefined, prefix = ''): DayRange {
  const range = { from: from == null ? null : checkDate(`${prefix}from`, from), to: to == null ? null : checkDate(`${prefix}to`, to) };
  // ISO days compare in calendar order as strings.
  if (range.from && range.to && range.from > range.to) throw badInput(`${prefix}from`, `must not be after \`${prefix}to\``);
  return range;
}

/** The longest monthly series one field returns. */
export const MAX_MONTHS = 60;

/** The months (YYYY-MM) a closed range touches, first to last. */
export function monthsOf(range: DayRange): string[] {
  if (!range.from) throw badInput('from', 'a monthly series needs `from`');
  if (!range.to) throw badInput('to', 'a monthly series needs `to`');
  const months: string[] = [];
  let [y, m] = range.from.slice(0, 7).split('-').map(Number);
  const last = range.to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    months.push(month);
    if (month >= last) return months;
    if (months.length >= MAX_MONTHS) throw badInput('to', `a monthly series covers at most ${MAX_MONTHS} months`);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}

/** The last day of a month (YYYY-MM), as YYYY-MM-DD. */
export function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}
