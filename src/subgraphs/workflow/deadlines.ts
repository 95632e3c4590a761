import { GraphQLError } from 'graphql';
import { badInput, ErrorCode } from '../../shared/errors';
import { holidayCalendarCovers } from '../../shared/holidays';
import { dueDate, type Period } from '../../shared/legalPeriods';

/**
 * Legal time limits of each kind of handoff, with the article of law they come from. Pure: dates
 * in, dates out (`YYYY-MM-DD`, China Standard Time). Periods are counted as 刑事诉讼法 art. 105
 * says: the day the period starts is not counted; a period in months ends on the same day of the
 * month it ends in (the month's last day when that month is shorter); a period whose last day is a
 * rest day (a weekend or public holiday, src/shared/holidays.ts) ends on the next working day
 * (src/shared/legalPeriods.ts, shared with the courts' own periods).
 */
/** The records a handoff can be about, each by its federation key. */
export enum SubjectType {
  GridEvent = 'GridEvent',
  PoliceCase = 'PoliceCase',
  ProsecutionCase = 'ProsecutionCase',
  CourtCase = 'CourtCase',
  MediationCase = 'MediationCase',
  CommunityCorrection = 'CommunityCorrection',
  Incident = 'Incident',
  PetitionCase = 'PetitionCase',
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
  /** police → justice: 警调对接, a 110 call about a civil dispute referred to people's mediation. */
  POLICE_MEDIATION_REFERRAL = 'POLICE_MEDIATION_REFERRAL',
  /** 综治中心 → justice: 访调对接, a petition about a dispute referred to people's mediation. */
  PETITION_MEDIATION_REFERRAL = 'PETITION_MEDIATION_REFERRAL',
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
  // 警调对接 and 访调对接 (issue #22): referrals to people's mediation, timed like a grid dispute's.
  [HandoffKind.POLICE_MEDIATION_REFERRAL]: {
    subject: SubjectType.Incident,
    from: ['police'],
    to: ['justice'],
    period: { days: 30 },
    article: '人民调解法 sets no limit: 30 days, the local 警调对接 dispatch rule (as for DISPUTE_MEDIATION)',
  },
  [HandoffKind.PETITION_MEDIATION_REFERRAL]: {
    subject: SubjectType.PetitionCase,
    from: ['zongzhi'],
    to: ['justice'],
    period: { days: 30 },
    article: '人民调解法 sets no limit: 30 days, the local 访调对接 dispatch rule of the 综治中心 (as for DISPUTE_MEDIATION)',
  },
};

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
