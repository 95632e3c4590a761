import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../shared/errors';

/**
 * The handoff (流转/交办) state machine: one table, the only place that says which step may follow
 * which. A table rather than a state-machine library (XState): the machine is flat (no nested or
 * parallel states, no timers — OVERDUE is derived from the deadline, not stored), and a table is
 * data that docs/workflows.md, the tests and `INVALID_TRANSITION` messages read directly.
 */
export enum HandoffState {
  SENT = 'SENT',
  ACCEPTED = 'ACCEPTED',
  RETURNED = 'RETURNED',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  FEEDBACK_GIVEN = 'FEEDBACK_GIVEN',
  ESCALATED = 'ESCALATED',
}

/** The steps a caller takes (one mutation each). */
export type HandoffStep = 'dispatch' | 'accept' | 'return' | 'resubmit' | 'progress' | 'complete' | 'feedback' | 'escalate';

/** Who takes a step: the receiving unit, the sending unit, or the unit the outcome is reported back to (e.g. the grid worker). */
export type Actor = 'receiver' | 'sender' | 'feedback';

interface Transition {
  from: readonly HandoffState[];
  to: HandoffState;
  actor: readonly Actor[];
}

/** Every legal move. `dispatch` creates the handoff (no state before it). */
export const TRANSITIONS: Readonly<Record<Exclude<HandoffStep, 'dispatch'>, Transition>> = {
  accept: { from: [HandoffState.SENT], to: HandoffState.ACCEPTED, actor: ['receiver'] },
  // 退回: e.g. 退回补充侦查; the sender holds the handoff until it resubmits it.
  return: { from: [HandoffState.SENT], to: HandoffState.RETURNED, actor: ['receiver'] },
  resubmit: { from: [HandoffState.RETURNED], to: HandoffState.SENT, actor: ['sender'] },
  progress: { from: [HandoffState.ACCEPTED, HandoffState.IN_PROGRESS], to: HandoffState.IN_PROGRESS, actor: ['receiver'] },
  complete: { from: [HandoffState.IN_PROGRESS], to: HandoffState.DONE, actor: ['receiver'] },
  feedback: { from: [HandoffState.DONE], to: HandoffState.FEEDBACK_GIVEN, actor: ['feedback'] },
  // Either side may take a stuck handoff to the level above; it ends this handoff (the level above dispatches anew).
  escalate: { from: [HandoffState.SENT, HandoffState.ACCEPTED, HandoffState.IN_PROGRESS], to: HandoffState.ESCALATED, actor: ['sender', 'receiver'] },
};

/** States in which the receiving unit's legal deadline runs (or the sender's, while RETURNED): the ones that can be overdue. */
export const OPEN_STATES: readonly HandoffState[] = [HandoffState.SENT, HandoffState.ACCEPTED, HandoffState.IN_PROGRESS, HandoffState.RETURNED];

/** Who holds a handoff in a state: whose inbox it is in. */
export function holderIn(state: HandoffState): Actor | null {
  switch (state) {
    case HandoffState.SENT:
    case HandoffState.ACCEPTED:
    case HandoffState.IN_PROGRESS:
      return 'receiver';
    case HandoffState.RETURNED:
      return 'sender';
    case HandoffState.DONE:
      return 'feedback';
    default:
      return null;
  }
}

/**
 * The state after `step` from `current`. A step already taken — the handoff is where this step
 * leads, e.g. a second accept — is a lost race: `CONFLICT`; any other move the table lacks is
 * `INVALID_TRANSITION`. Both name the current state.
 */
export function nextState(current: HandoffState, step: Exclude<HandoffStep, 'dispatch'>): HandoffState {
  const t = TRANSITIONS[step];
  if (t.from.includes(current)) return t.to;
  if (current === t.to) throw conflict(`the handoff is ${current} already: someone else took the ${step} step first`, current);
  throw new GraphQLError(`cannot ${step} a handoff that is ${current} (allowed from ${t.from.join(', ')})`, {
    extensions: { code: ErrorCode.InvalidTransition, state: current, step },
  });
}

/** Someone else changed the handoff first (or an open handoff of the same kind exists): reload and decide again. */
export function conflict(message: string, state?: HandoffState): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Conflict, ...(state ? { state } : {}) } });
}
