/**
 * The State Council's holiday calendar (全国年节及纪念日放假办法, and each year's 国务院办公厅关于部分节假日
 * 安排的通知): which days are public holidays (放假, 调休 included) and which weekend days are worked
 * instead (调休上班). Legal periods need it: a period whose last day is a holiday ends on the next
 * working day (刑事诉讼法 art. 105, 民事诉讼法 art. 85), and a period of working days (工作日) skips
 * holidays and counts the weekend days that are worked.
 *
 * Each year's notice comes out in November for the year after; a year not listed here has no
 * holidays but its weekends (`holidayCalendarCovers` says which years are held). Add the next
 * year's notice when it is published.
 */
const CALENDAR: Readonly<Record<number, { holidays: readonly string[]; workedWeekendDays: readonly string[]; source: string }>> = {
  2025: {
    source: '国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12)',
    holidays: [
      '2025-01-01',
      ...range('2025-01-28', '2025-02-04'),
      ...range('2025-04-04', '2025-04-06'),
      ...range('2025-05-01', '2025-05-05'),
      ...range('2025-05-31', '2025-06-02'),
      ...range('2025-10-01', '2025-10-08'),
    ],
    workedWeekendDays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    source: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)',
    holidays: [
      ...range('2026-01-01', '2026-01-03'),
      ...range('2026-02-15', '2026-02-23'),
      ...range('2026-04-04', '2026-04-06'),
      ...range('2026-05-01', '2026-05-05'),
      ...range('2026-06-19', '2026-06-21'),
      ...range('2026-09-25', '2026-09-27'),
      ...range('2026-10-01', '2026-10-07'),
    ],
    workedWeekendDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

const HOLIDAYS = new Set(Object.values(CALENDAR).flatMap((y) => y.holidays));
const WORKED = new Set(Object.values(CALENDAR).flatMap((y) => y.workedWeekendDays));

/** The days from `first` to `last` (YYYY-MM-DD), both included. */
function range(first: string, last: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${first}T00:00:00Z`); at <= Date.parse(`${last}T00:00:00Z`); at += 86_400_000) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** Whether the calendar holds the State Council's notice for `year`. */
export function holidayCalendarCovers(year: number): boolean {
  return year in CALENDAR;
}

/** A working day (工作日): Monday to Friday unless a public holiday, or a weekend day worked instead of one. */
export function isWorkingDay(day: string): boolean {
  if (HOLIDAYS.has(day)) return false;
  if (WORKED.has(day)) return true;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}
