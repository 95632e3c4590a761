const CST_OFFSET_MS = 8 * 3_600_000;

/** Today's date in China Standard Time (the calendar legal periods and a record's dates are counted in). */
export function todayCst(now: Date = new Date()): string {
  return new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}
