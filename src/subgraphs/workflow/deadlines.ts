import { GraphQLError } from 'graphql';
import { badInput, ErrorCode } from '../../shared/errors';
import { holidayCalendarCovers, isWorkingDay } from '../../shared/holidays';

/**
 * Legal time limits of each kind of handoff, with the article of law they come from. Pure: dates
 * in, dates out (`YYYY-MM-DD`, China Standard Time). Periods are counted as 刑事诉讼法 art. 105
 * says: the day the period starts is not counted; a period in months ends on the same day of the
 * month it ends in (the month's last day when that month is shorter); a period whose last day is a
 * rest day (a weekend or public holiday, src/shared/holidays.ts) ends on the next working day.
 */
/** The records a handoff can be about, each by its federation key. */
export enum SubjectType {
  GridEvent = 'GridEvent',
  PoliceCase = 'PoliceCase',
  ProsecutionCase = 'ProsecutionCase',
  CourtCase = 'CourtCase',
  MediationCase = 'MediationCase',
  CommunityCorrection = 'CommunityCorrection',
}

export enum HandoffKind {
  /** 综治中心 → police: a grid event that needs the police (警情处置). */
  EVENT_HANDLING = 'EVENT_HANDLING',
  /** 综治中心 → justice: a grid dispute sent to a people's mediation committee (人民调解). */
  DISPUTE_MEDIATION = 'DISPUTE_MEDIATION',
  /** police → procuratorate: 移送审查起诉. */
  PROSECUTION_REVIEW = 'PROSECUTION_REVIEW',
  /** procuratorate → court: 提起公诉, the court's first-instance trial. */
  PUBLIC_PROSECUTION = 'PUBLIC_PROSECUTION',
  /** court → justice: 委派调解 / 诉前调解. */
  PRE_LITIGATION_MEDIATION = 'PRE_LITIGATION_MEDIATION',
  /** justice → court: a mediation agreement brought for 司法确认. */
  JUDICIAL_CONFIRMATION = 'JUDICIAL_CONFIRMATION',
  /** court → justice: a probation judgment handed over for 社区矫正 (交付执行). */
  CORRECTION_HANDOVER = 'CORRECTION_HANDOVER',
  /** court → justice: the pre-sentence assessment (调查评估) of a defendant for a community sentence. */
  PRE_SENTENCE_ASSESSMENT = 'PRE_SENTENCE_ASSESSMENT',
}

/** A legal period: months, then days (art. 172's "one month, plus fifteen days"), or working days (工作日: Monday to Friday). */
export interface Period {
  months?: number;
  days?: number;
  workingDays?: number;
}

export interface KindRule {
  /** The agencies that send and receive this kind. */
  from: readonly string[];
  to: readonly string[];
  /** The type of record this kind hands off (by its federation key). */
  subject: SubjectType;
  period: Period;
  article: string;
  /** A longer period the law allows for a major or complex case, and its article; absent when none. */
  major?: { period: Period; article: string };
  /** 退回: how often the receiver may send it back, how long the sender then has, and the article. */
  returns?: { max: number; period: Period; article: string };
}

export const KIND_RULES: Readonly<Record<HandoffKind, KindRule>> = {
  [HandoffKind.EVENT_HANDLING]: {
    subject: SubjectType.GridEvent,
    from: ['zongzhi'],
    to: ['police'],
    period: { days: 7 },
    article: 'no statutory limit: 7 days, the 综治中心 dispatch rule (流转交办 time limit set locally)',
  },
  [HandoffKind.DISPUTE_MEDIATION]: {
    subject: SubjectType.GridEvent,
    from: ['zongzhi'],
    to: ['justice'],
    period: { days: 30 },
    article: '人民调解法 sets no limit: 30 days, the 综治中心 dispatch rule (matching 诉前调解)',
  },
  [HandoffKind.PROSECUTION_REVIEW]: {
    subject: SubjectType.PoliceCase,
    from: ['police'],
    to: ['procuratorate'],
    period: { months: 1 },
    article: '刑事诉讼法 art. 172: 审查起诉 within one month',
    major: { period: { months: 1, days: 15 }, article: '刑事诉讼法 art. 172: extended by 15 days for a major, complex case' },
    returns: {
      max: 2,
      period: { months: 1 },
      article: '刑事诉讼法 art. 175: 补充侦查 within one month, at most twice; the review period restarts on resubmission',
    },
  },
  [HandoffKind.PUBLIC_PROSECUTION]: {
    subject: SubjectType.ProsecutionCase,
    from: ['procuratorate'],
    to: ['court'],
    period: { months: 2 },
    article: '刑事诉讼法 art. 208: first-instance judgment within two months of accepting the case',
    major: { period: { months: 3 }, article: '刑事诉讼法 art. 208: at most three months' },
  },
  [HandoffKind.PRE_LITIGATION_MEDIATION]: {
    subject: SubjectType.CourtCase,
    from: ['court'],
    to: ['justice'],
    period: { days: 30 },
    article: '最高人民法院《关于进一步完善委派调解机制的指导意见》: 诉前调解 within 30 days (longer only if the parties agree)',
  },
  [HandoffKind.JUDICIAL_CONFIRMATION]: {
    subject: SubjectType.MediationCase,
    from: ['justice'],
    to: ['court'],
    period: { days: 30 },
    article: '人民调解法 art. 33, 民事诉讼法 art. 205: 司法确认 applied for within 30 days of the mediation agreement',
  },
  [HandoffKind.CORRECTION_HANDOVER]: {
    subject: SubjectType.CourtCase,
    from: ['court'],
    to: ['justice'],
    period: { days: 10 },
    article: '社区矫正法 arts. 20, 21: documents delivered and the person reporting within 10 days of the judgment taking effect',
  },
  [HandoffKind.PRE_SENTENCE_ASSESSMENT]: {
    subject: SubjectType.CourtCase,
    from: ['court'],
    to: ['justice'],
    period: { workingDays: 10 },
    article: '社区矫正法 art. 18, 社区矫正法实施办法 art. 14: 调查评估 within 10 working days of the commission (5 under 速裁程序)',
  },
};

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

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export interface Deadline {
  dueOn: string;
  article: string;
}

/** A deadline with its article; it says so when its year's public holidays are not in the calendar (weekends only). */
function deadline(startedOn: string, period: Period, article: string): Deadline {
  const dueOn = dueDate(startedOn, period);
  const year = Number(dueOn.slice(0, 4));
  return {
    dueOn,
    article: holidayCalendarCovers(year)
      ? article
      : `${article} (the public holidays of ${year} are not in the hub's calendar yet: only weekends were skipped)`,
  };
}

/** The receiver's deadline for a handoff of `kind` whose clock starts on `startedOn`. */
export function receiverDeadline(kind: HandoffKind, startedOn: string, major: boolean): Deadline {
  const rule = KIND_RULES[kind];
  if (major && !rule.major) throw badInput('input.major', `the law allows no extension of ${kind} for a major case`);
  const { period, article } = major && rule.major ? rule.major : rule;
  return deadline(startedOn, period, article);
}

/**
 * The sender's deadline after the `returnsBefore + 1`-th return (退回) on `returnedOn`: null for a
 * kind the law gives the sender no period for (a refusal, 不予受理); refused (`LEGAL_LIMIT`) past
 * the number of returns the law allows.
 */
export function returnDeadline(kind: HandoffKind, returnedOn: string, returnsBefore: number): Deadline | null {
  const returns = KIND_RULES[kind].returns;
  if (!returns) return null;
  if (returnsBefore >= returns.max) {
    throw new GraphQLError(`${kind} may be returned at most ${returns.max} times (${returns.article})`, { extensions: { code: ErrorCode.LegalLimit } });
  }
  return deadline(returnedOn, returns.period, returns.article);
}

/** Whether a handoff due on `dueOn` is past due on `today` (due on the day itself is not overdue). */
export function isOverdue(dueOn: string, today: string): boolean {
  return dueOn < today;
}
