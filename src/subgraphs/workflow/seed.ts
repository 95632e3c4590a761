import { devIdentities } from '../../auth/devTokens';
import { seedTable, type SeedTable } from '../../kit/department';
import type { SeedRow } from '../../kit/bulk';
import type { DemoCitySource } from '../../demo/types';
import { HandoffKind, KIND_RULES } from './deadlines';
import { addPeriod, dueDate } from '../../shared/legalPeriods';
import { todayCst } from '../../shared/chinaTime';
import { Handoff, HandoffStepRecord } from './entities';
import { HandoffState, holderIn } from './machine';

/** The steps that lead from a dispatch to each state, in order (the machine's usual path). */
const PATH: Record<HandoffState, Array<[string, HandoffState]>> = {
  SENT: [],
  RETURNED: [['return', HandoffState.RETURNED]],
  ACCEPTED: [['accept', HandoffState.ACCEPTED]],
  IN_PROGRESS: [
    ['accept', HandoffState.ACCEPTED],
    ['progress', HandoffState.IN_PROGRESS],
  ],
  DONE: [
    ['accept', HandoffState.ACCEPTED],
    ['progress', HandoffState.IN_PROGRESS],
    ['complete', HandoffState.DONE],
  ],
  FEEDBACK_GIVEN: [
    ['accept', HandoffState.ACCEPTED],
    ['progress', HandoffState.IN_PROGRESS],
    ['complete', HandoffState.DONE],
    ['feedback', HandoffState.FEEDBACK_GIVEN],
  ],
  ESCALATED: [['escalate', HandoffState.ESCALATED]],
};

interface Plan {
  kind: HandoffKind;
  subjectKey: string;
  scopeCode: string;
  state: HandoffState;
  /** Days before the seeding day it was sent: past its period → overdue while open. */
  sentDaysAgo: number;
  feedback?: { agency: string; unitCode: string };
  /** The sending and receiving units' district (default 连山区). */
  district?: string;
}

const DISTRICT = '211402';
/** 兴城市: one handoff outside the dev identities' district, which none of them finds (test/policy.test.ts probes it). */
const OTHER_DISTRICT = '211481';

/**
 * Demo handoffs in 连山区 (the dev identities' district), so every inbox of the console shows work:
 * each state, each department, some past due; and one in 兴城, outside it. Open ones are dated from the seeding day (an
 * inbox's "overdue" is relative to today); records are taken from the end of the demo city's
 * lists, leaving its first disputes and cases free for tests to hand off.
 */
function plans(city: DemoCitySource): Plan[] {
  const events = city.gridEvents.filter((e) => e.gridCode.startsWith(DISTRICT)).reverse();
  const disputes = events.filter((e) => e.kind === 'DISPUTE');
  const others = events.filter((e) => e.kind !== 'DISPUTE');
  // Not the 民转刑 escalations listed last: they stay with the police, and the handoffs stay those of the cases before them.
  const chains = city.criminalChains.filter((c) => c.districtCode === DISTRICT && !c.escalatedFrom).reverse();
  const out: Plan[] = [];
  const disputeStates: Array<[HandoffState, number]> = [
    [HandoffState.SENT, 2],
    [HandoffState.IN_PROGRESS, 45],
    [HandoffState.DONE, 20],
    [HandoffState.FEEDBACK_GIVEN, 40],
    [HandoffState.ESCALATED, 35],
  ];
  disputes.slice(0, disputeStates.length).forEach((e, i) => {
    const [state, sentDaysAgo] = disputeStates[i];
    out.push({
      kind: HandoffKind.DISPUTE_MEDIATION,
      subjectKey: e.id,
      scopeCode: e.gridCode,
      state,
      sentDaysAgo,
      feedback: { agency: 'grid', unitCode: e.gridCode },
    });
  });
  const eventStates: Array<[HandoffState, number]> = [
    [HandoffState.SENT, 10],
    [HandoffState.ACCEPTED, 1],
  ];
  others.slice(0, eventStates.length).forEach((e, i) => {
    const [state, sentDaysAgo] = eventStates[i];
    out.push({
      kind: HandoffKind.EVENT_HANDLING,
      subjectKey: e.id,
      scopeCode: e.gridCode,
      state,
      sentDaysAgo,
      feedback: { agency: 'grid', unitCode: e.gridCode },
    });
  });
  const [a, b, c] = chains;
  if (a) out.push({ kind: HandoffKind.PROSECUTION_REVIEW, subjectKey: a.policeCaseNo, scopeCode: a.gridCode, state: HandoffState.RETURNED, sentDaysAgo: 12 });
  if (b) out.push({ kind: HandoffKind.PROSECUTION_REVIEW, subjectKey: b.policeCaseNo, scopeCode: b.gridCode, state: HandoffState.ACCEPTED, sentDaysAgo: 40 });
  if (c?.prosecution)
    out.push({
      kind: HandoffKind.PUBLIC_PROSECUTION,
      subjectKey: c.prosecution.prosecutionCaseNo,
      scopeCode: c.gridCode,
      state: HandoffState.IN_PROGRESS,
      sentDaysAgo: 20,
    });
  const judged = chains.find((x) => x.trial);
  if (judged?.trial)
    out.push({
      kind: HandoffKind.CORRECTION_HANDOVER,
      subjectKey: judged.trial.courtCaseNo,
      scopeCode: judged.gridCode,
      state: HandoffState.SENT,
      sentDaysAgo: 14,
    });
  const confirmed = city.disputes.filter((d) => d.outcome === 'SUCCEEDED' && d.agreement).reverse();
  // By id, not a scan of the events per mediation: at city scale that was minutes of the seed.
  const eventById = new Map(events.map((e) => [e.id, e]));
  const agreement = confirmed.map((d) => ({ d, event: d.gridEventId === null ? undefined : eventById.get(d.gridEventId) })).find((x) => x.event);
  if (agreement?.event)
    out.push({
      kind: HandoffKind.JUDICIAL_CONFIRMATION,
      subjectKey: agreement.d.mediationId,
      scopeCode: agreement.event.gridCode,
      state: HandoffState.ACCEPTED,
      sentDaysAgo: 5,
    });
  const elsewhere = city.gridEvents.filter((e) => e.gridCode.startsWith(OTHER_DISTRICT) && e.kind === 'DISPUTE').at(-1);
  if (elsewhere)
    out.push({
      kind: HandoffKind.DISPUTE_MEDIATION,
      subjectKey: elsewhere.id,
      scopeCode: elsewhere.gridCode,
      state: HandoffState.FEEDBACK_GIVEN,
      sentDaysAgo: 15,
      feedback: { agency: 'grid', unitCode: elsewhere.gridCode },
      district: OTHER_DISTRICT,
    });
  return out;
}

export function seedWorkflow(city: DemoCitySource): SeedTable[] {
  const today = todayCst();
  const officers = new Map(devIdentities(city.grids[0].code).map((i) => [i.agency, i.sub]));
  const rows = plans(city).map((p, i) => {
    const rule = KIND_RULES[p.kind];
    const sentOn = addPeriod(today, { days: -p.sentDaysAgo });
    const sentAt = new Date(`${sentOn}T02:00:00Z`);
    const from = { agency: rule.from[0], unitCode: p.district ?? DISTRICT };
    const to = { agency: rule.to[0], unitCode: p.district ?? DISTRICT };
    const feedback = p.feedback ?? from;
    const holder = holderIn(p.state);
    const holding = holder === 'receiver' ? to : holder === 'sender' ? from : holder === 'feedback' ? feedback : null;
    const returned = p.state === HandoffState.RETURNED;
    const period = returned ? rule.returns!.period : rule.period;
    // The year the handoff was sent, as a dispatch numbers it; seeds take the 900001+ range so the year's own sequence never meets them.
    const id = `HO${sentOn.slice(0, 4)}${String(900001 + i)}`;
    const dueOn = dueDate(sentOn, period);
    const note = '演示数据：请按期办理';
    const handoff: SeedRow<Handoff> = {
      id,
      kind: p.kind,
      subjectType: rule.subject,
      subjectKey: p.subjectKey,
      scopeCode: p.scopeCode,
      fromAgency: from.agency,
      fromUnitCode: from.unitCode,
      toAgency: to.agency,
      toUnitCode: to.unitCode,
      feedbackAgency: feedback.agency,
      feedbackUnitCode: feedback.unitCode,
      holderAgency: holding?.agency ?? null,
      holderUnitCode: holding?.unitCode ?? null,
      state: p.state,
      version: PATH[p.state].length + 1,
      major: false,
      returns: returned ? 1 : 0,
      dueOn,
      dueArticle: returned ? rule.returns!.article : rule.article,
      note,
      result: [HandoffState.DONE, HandoffState.FEEDBACK_GIVEN].includes(p.state) ? '演示数据：已办结' : null,
      feedback: p.state === HandoffState.FEEDBACK_GIVEN ? '演示数据：当事人满意' : null,
      sentAt,
      updatedAt: sentAt,
    };
    const steps: Array<SeedRow<HandoffStepRecord>> = [
      {
        handoffId: id,
        step: 'dispatch',
        fromState: null,
        toState: HandoffState.SENT,
        officer: officers.get(from.agency as never) ?? from.agency,
        agency: from.agency,
        at: sentAt,
        text: note,
        dueOn,
      },
      ...PATH[p.state].map(([step, toState], n): SeedRow<HandoffStepRecord> => {
        const by = step === 'feedback' ? feedback : step === 'escalate' ? from : to;
        return {
          handoffId: id,
          step,
          fromState: n === 0 ? HandoffState.SENT : PATH[p.state][n - 1][1],
          toState,
          officer: officers.get(by.agency as never) ?? by.agency,
          agency: by.agency,
          at: new Date(sentAt.getTime() + (n + 1) * 3_600_000),
          text: null,
          dueOn,
        };
      }),
    ];
    return { handoff, steps };
  });
  return [seedTable(Handoff, () => rows.map((r) => r.handoff)), seedTable(HandoffStepRecord, () => rows.flatMap((r) => r.steps))];
}
