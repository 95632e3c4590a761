import { entityStub, type Stub } from '../../kit/extends';
import { isPersonKey } from '../../shared/personKey';

/* Other departments' entities petition points to or adds fields to: only the key lives here. */

/** A resident (owned by grid); petition adds its records of the person. */
export const Person = entityStub('Person', 'id', { description: 'A resident (owned by grid); petition adds its records of the person.', isKey: isPersonKey });
export type Person = Stub<typeof Person>;

/**
 * A grid event (owned by grid). Added by hand: xf_case.wgsjbh holds the number of the grid event a
 * petition is about (访调对接); the scaffold cannot know that a column points into another department.
 */
export const GridEvent = entityStub('GridEvent', 'id', {
  description: 'Something a grid worker reported (owned by grid); petition adds the petitions about it.',
});
export type GridEvent = Stub<typeof GridEvent>;

export const petitionExtends = [Person, GridEvent];
