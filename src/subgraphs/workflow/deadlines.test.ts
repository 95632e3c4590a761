import { GraphQLError } from 'graphql';
import { addPeriod, HandoffKind, isOverdue, KIND_RULES, receiverDeadline, returnDeadline } from './deadlines';
import { todayCst } from '../../shared/chinaTime';

function code(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return (e as GraphQLError).extensions.code;
  }
  return null;
}

describe('legal deadlines', () => {
  it('counts months to the same day of the month, or its last day (刑事诉讼法 art. 105)', () => {
    expect(addPeriod('2026-03-10', { months: 1 })).toBe('2026-04-10');
    expect(addPeriod('2026-01-31', { months: 1 })).toBe('2026-02-28');
    expect(addPeriod('2028-01-31', { months: 1 })).toBe('2028-02-29');
    expect(addPeriod('2026-12-15', { months: 1 })).toBe('2027-01-15');
    expect(addPeriod('2026-03-10', { days: 10 })).toBe('2026-03-20');
    expect(addPeriod('2026-03-10', { months: 1, days: 15 })).toBe('2026-04-25');
  });

  it('gives 审查起诉 one month, 45 days for a major case (art. 172)', () => {
    expect(receiverDeadline(HandoffKind.PROSECUTION_REVIEW, '2026-03-10', false)).toEqual({
      dueOn: '2026-04-10',
      article: expect.stringContaining('art. 172') as string,
    });
    // 45 days end on Saturday 2026-04-25: the period ends on the Monday after (art. 105).
    expect(receiverDeadline(HandoffKind.PROSECUTION_REVIEW, '2026-03-10', true).dueOn).toBe('2026-04-27');
  });

  it('gives each other kind its period with its article', () => {
    expect(receiverDeadline(HandoffKind.CORRECTION_HANDOVER, '2026-05-01', false)).toMatchObject({ dueOn: '2026-05-11' });
    // 10 working days from Friday 2026-12-04: the weekends of the 5th/6th and 12th/13th are not counted.
    expect(receiverDeadline(HandoffKind.PRE_SENTENCE_ASSESSMENT, '2026-12-04', false)).toMatchObject({ dueOn: '2026-12-18' });
    expect(receiverDeadline(HandoffKind.PRE_SENTENCE_ASSESSMENT, '2026-12-05', false).dueOn).toBe('2026-12-18');
    // 30 days end on Sunday 2026-05-31, three months on Saturday 2026-08-01: both move to the Monday.
    expect(receiverDeadline(HandoffKind.JUDICIAL_CONFIRMATION, '2026-05-01', false)).toMatchObject({ dueOn: '2026-06-01' });
    expect(receiverDeadline(HandoffKind.PRE_LITIGATION_MEDIATION, '2026-05-01', false)).toMatchObject({ dueOn: '2026-06-01' });
    expect(receiverDeadline(HandoffKind.PUBLIC_PROSECUTION, '2026-05-01', true)).toMatchObject({ dueOn: '2026-08-03' });
    for (const rule of Object.values(KIND_RULES)) expect(rule.article.length).toBeGreaterThan(10);
  });

  it('moves a period ending on a public holiday to the next working day, and counts the weekend days worked instead (art. 105)', () => {
    // 10 days from 2026-09-21 end on 1 October (国庆): due on the 8th, the first working day after the holiday.
    expect(receiverDeadline(HandoffKind.CORRECTION_HANDOVER, '2026-09-21', false).dueOn).toBe('2026-10-08');
    // 30 days from 2026-01-20 end on 19 February (春节, 15th–23rd): due Tuesday the 24th.
    expect(receiverDeadline(HandoffKind.DISPUTE_MEDIATION, '2026-01-20', false).dueOn).toBe('2026-02-24');
    // 10 days from 2026-02-18 end on Saturday 28 February, a day worked (调休上班): it stays.
    expect(receiverDeadline(HandoffKind.CORRECTION_HANDOVER, '2026-02-18', false).dueOn).toBe('2026-02-28');
    // 10 working days from Friday 2026-09-18: Sunday the 20th is worked; 25–27 September and 1–7 October are not.
    expect(receiverDeadline(HandoffKind.PRE_SENTENCE_ASSESSMENT, '2026-09-18', false).dueOn).toBe('2026-10-09');
    // 2025: the 春节 from 28 January to 4 February; Sunday 26 January and Saturday 8 February are worked (days 1 and 6).
    expect(receiverDeadline(HandoffKind.PRE_SENTENCE_ASSESSMENT, '2025-01-24', false).dueOn).toBe('2025-02-13');
    // A year whose notice the calendar lacks: weekends only, and the article says so.
    expect(receiverDeadline(HandoffKind.CORRECTION_HANDOVER, '2026-12-28', false)).toEqual({
      dueOn: '2027-01-07',
      article: expect.stringContaining('the public holidays of 2027 are not in the hub') as string,
    });
    expect(receiverDeadline(HandoffKind.CORRECTION_HANDOVER, '2026-09-21', false).article).not.toContain('not in the hub');
    // Plain arithmetic (the inbox's look-ahead, the seed's dates) does not move.
    expect(addPeriod('2026-09-21', { days: 10 })).toBe('2026-10-01');
  });

  it('refuses an extension the law does not allow', () => {
    expect(code(() => receiverDeadline(HandoffKind.CORRECTION_HANDOVER, '2026-05-01', true))).toBe('BAD_USER_INPUT');
  });

  it('allows two returns for supplementary investigation, each one month, and no third (art. 175)', () => {
    expect(returnDeadline(HandoffKind.PROSECUTION_REVIEW, '2026-03-10', 0)?.dueOn).toBe('2026-04-10');
    expect(returnDeadline(HandoffKind.PROSECUTION_REVIEW, '2026-05-10', 1)?.dueOn).toBe('2026-06-10');
    expect(code(() => returnDeadline(HandoffKind.PROSECUTION_REVIEW, '2026-07-10', 2))).toBe('LEGAL_LIMIT');
    // A kind without a legal return period: the sender gets the handoff back with no deadline.
    expect(returnDeadline(HandoffKind.CORRECTION_HANDOVER, '2026-07-10', 0)).toBeNull();
  });

  it('is overdue only after the due day, in China Standard Time', () => {
    expect(isOverdue('2026-04-10', '2026-04-10')).toBe(false);
    expect(isOverdue('2026-04-10', '2026-04-11')).toBe(true);
    expect(todayCst(new Date('2026-04-10T16:30:00Z'))).toBe('2026-04-11');
  });
});
