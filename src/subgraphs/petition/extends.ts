import { districtMonthStub } from '../../analytics/computed';
import { entityStub, type Stub } from '../../kit/extends';
import { isDivisionCode } from '../../shared/divisions';
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

/** An administrative division (owned by grid); petition adds its statistics. */
export const District = entityStub('District', 'code', {
  isKey: isDivisionCode,
  description: 'An administrative division (owned by grid). Petition adds its statistics.',
});
export type District = Stub<typeof District>;

/** A month of a division's statistics; petition adds its figures. */
export const DistrictMonth = districtMonthStub();
export type DistrictMonth = Stub<typeof DistrictMonth>;

export const petitionExtends = [Person, GridEvent, District, DistrictMonth];
