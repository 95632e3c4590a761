import { badInput } from '../../shared/errors';

/** A date range over `YYYY-MM-DD` days, both ends inclusive, either end open. */
export interface DayRange {
  from: string | null;
  to: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(argument: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  // The round trip rejects days that do not exist (2025-02-30), which Date.parse would roll over.
  if (!DAY.test(value) || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== value) {
    throw badInput(argument, 'expected a date YYYY-MM-DD');
  }
  return value;
}

/** Validates a `from`/`to` pair of days, naming the offending argument (`from`, `filter.from`, …). */
export function checkDayRange(from: string | null | undefined, to: string | null | undefined, prefix = ''): DayRange {
  const range = { from: checkDay(`${prefix}from`, from), to: checkDay(`${prefix}to`, to) };
  if (range.from && range.to && range.from > range.to) throw badInput(`${prefix}from`, `must not be after \`${prefix}to\``);
  return range;
}
