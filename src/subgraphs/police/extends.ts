import { districtMonthStub } from '../../analytics/computed';
import { entityStub, type Stub } from '../../kit/extends';
import { isDivisionCode } from '../../shared/divisions';
import { isPersonKey } from '../../shared/personKey';

/*
 * Entities the grid department owns. Police extends `Person`, `District` and `DistrictMonth` with
 * fields of its own (so they resolve here from their key alone) and only points to `Grid`.
 */

export const Person = entityStub('Person', 'id', {
  isKey: isPersonKey,
  description: "A resident (owned by grid). Police adds the person's case involvements and reported incidents.",
});
export type Person = Stub<typeof Person>;

export const District = entityStub('District', 'code', {
  isKey: isDivisionCode,
  description: 'An administrative division (owned by grid). Police adds its statistics.',
  // Grid's released residents, for the rates per 10,000: police never reads grid's tables.
  requires: ['residents'],
});
export type District = Stub<typeof District>;

export const Grid = entityStub('Grid', 'code', { pointsOnly: true });
export type Grid = Stub<typeof Grid>;

/** A month of a division's statistics; police adds its figures (and its rates, over grid's residents). */
export const DistrictMonth = districtMonthStub('residents');
export type DistrictMonth = Stub<typeof DistrictMonth>;

export const policeExtends = [Person, District, Grid, DistrictMonth];
