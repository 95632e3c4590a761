import { GraphQLError } from 'graphql';
import { HandoffState, holderIn, nextState, TRANSITIONS } from './machine';

const ALL = Object.values(HandoffState);

describe('handoff state machine', () => {
  it('takes the legal moves', () => {
    expect(nextState(HandoffState.SENT, 'accept')).toBe(HandoffState.ACCEPTED);
    expect(nextState(HandoffState.SENT, 'return')).toBe(HandoffState.RETURNED);
    expect(nextState(HandoffState.RETURNED, 'resubmit')).toBe(HandoffState.SENT);
    expect(nextState(HandoffState.ACCEPTED, 'progress')).toBe(HandoffState.IN_PROGRESS);
    expect(nextState(HandoffState.IN_PROGRESS, 'progress')).toBe(HandoffState.IN_PROGRESS);
    expect(nextState(HandoffState.IN_PROGRESS, 'complete')).toBe(HandoffState.DONE);
    expect(nextState(HandoffState.DONE, 'feedback')).toBe(HandoffState.FEEDBACK_GIVEN);
    expect(nextState(HandoffState.ACCEPTED, 'escalate')).toBe(HandoffState.ESCALATED);
  });

  it('refuses every other move naming the current state: CONFLICT for a step already taken, INVALID_TRANSITION for the rest', () => {
    const refused = { INVALID_TRANSITION: 0, CONFLICT: 0 };
    for (const [step, t] of Object.entries(TRANSITIONS) as Array<[keyof typeof TRANSITIONS, (typeof TRANSITIONS)[keyof typeof TRANSITIONS]]>) {
      for (const state of ALL.filter((s) => !t.from.includes(s))) {
        let error: GraphQLError | null = null;
        try {
          nextState(state, step);
        } catch (e) {
          error = e as GraphQLError;
        }
        const expected = state === t.to ? 'CONFLICT' : 'INVALID_TRANSITION';
        expect(error?.extensions).toMatchObject({ code: expected, state });
        expect(error?.message).toContain(state);
        refused[expected]++;
      }
    }
    // 7 states × 7 steps, less the 10 legal moves of the table; 6 steps refused because they were taken already.
    expect(refused).toEqual({ INVALID_TRANSITION: 33, CONFLICT: 6 });
  });

  it('ends in FEEDBACK_GIVEN and ESCALATED: nobody holds them', () => {
    expect(holderIn(HandoffState.FEEDBACK_GIVEN)).toBeNull();
    expect(holderIn(HandoffState.ESCALATED)).toBeNull();
    expect(holderIn(HandoffState.RETURNED)).toBe('sender');
    expect(holderIn(HandoffState.DONE)).toBe('feedback');
  });
});
