import { caseFlowStub, districtMonthStub } from '../../analytics/computed';
import { entityStub, type Stub } from '../../kit/extends';
import { isDivisionCode } from '../../shared/divisions';
import { isPersonKey } from '../../shared/personKey';
import { isPoliceCaseNo } from './keys';

/*
 * Other departments' entities this department extends with fields of its own. Each carries only
 * its key; the owner resolves everything else.
 */

/** Owned by grid (population registry); gets `prosecutions`. */
export const Person = entityStub('Person', 'id', { isKey: isPersonKey });
export type Person = Stub<typeof Person>;

/** Owned by grid; gets `procuratorateStatistics`. */
export const District = entityStub('District', 'code', { isKey: isDivisionCode });
export type District = Stub<typeof District>;

/** Owned by police; gets `prosecution` and `arrestReview`. */
export const PoliceCase = entityStub('PoliceCase', 'caseNo', { isKey: isPoliceCaseNo });
export type PoliceCase = Stub<typeof PoliceCase>;

/** A month of a division's statistics (owned by grid); gets `procuratorateStatistics`. */
export const DistrictMonth = districtMonthStub();
export type DistrictMonth = Stub<typeof DistrictMonth>;

/** A case flow (owned by police); gets the procuratorate stage, from the keys of the cases police transferred. */
export const CaseFlow = caseFlowStub('transferredCaseKeys');
export type CaseFlow = Stub<typeof CaseFlow>;

export const procuratorateExtends = [Person, District, PoliceCase, DistrictMonth, CaseFlow];
