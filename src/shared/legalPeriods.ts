import { isWorkingDay } from './holidays';

/**
 * Legal periods (期间), counted as 刑事诉讼法 art. 105 and 民事诉讼法 arts. 85–86 count them: the day
 * the period starts is not counted; a period in months ends on the same day of the month it ends in
 * (the month's last day when that month is shorter); a period whose last day is a rest day ends on
 * the next working day. Used by the workflow's handoff deadlines and the courts' own periods
 * (appeals, 诉前调解). Pure: dates in, dates out (`YYYY-MM-DD`, China Standard Time).
 */

/** A legal period: months, then days (art. 172's "one month, plus fifteen days"), or working days (工作日: no weekends or public holidays, weekend days worked instead counted). */
export interface Period {
  months?: number;
  days?: number;
  workingDays?: number;
}

const DAY_MS = 86_400_000;

function parse(date: string): { y: number; m: number; d: number } {
  const [y, m, d] = date.split('-').map(Number);
  return { y, m, d };
}

/** `date` plus a period, counted as 刑事诉讼法 art. 105 counts it (the first day not counted); working days skip rest days. */
export function addPeriod(date: string, period: Period): string {
  const { y, m, d } = parse(date);
  const months = period.months ?? 0;
  const days = period.days ?? 0;
  // A month period ends on the same day of the month it ends in, or that month's last day.
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  let at = Date.UTC(y, m - 1 + months, Math.min(d, lastDay)) + days * DAY_MS;
  for (let left = period.workingDays ?? 0; left > 0;) {
    at += DAY_MS;
    if (isWorkingDay(iso(at))) left--;
  }
  return iso(at);
}

/**
 * The last day of a legal period starting on `date`: `addPeriod`, moved past rest days — "期间的最后一日为
 * 节假日的，以节假日后的第一日为期满日期" (刑事诉讼法 art. 105; 民事诉讼法 art. 85 alike). Every handoff
 * kind is counted so, the dispatch rules without a statute included.
 */
export function dueDate(date: string, period: Period): string {
  let at = Date.parse(`${addPeriod(date, period)}T00:00:00Z`);
  while (!isWorkingDay(iso(at))) at += DAY_MS;
  return iso(at);
}

function iso(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
