import { caseFlowStub, disputeFlowStub, districtMonthStub } from '../../analytics/computed';
import { entityStub, type Stub } from '../../kit/extends';
import { isDivisionCode } from '../../shared/divisions';
import { isPersonKey } from '../../shared/personKey';

/*
 * Other departments' entities the court extends with fields: only the key lives here. No GraphQL
 * descriptions, so that composition keeps the owner's.
 */

/** A resident (grid's population registry); the court adds the cases the person is a party to. */
export const Person = entityStub('Person', 'id', { isKey: isPersonKey });
export type Person = Stub<typeof Person>;

/** A district or township (grid); the court adds its figures. */
export const District = entityStub('District', 'code', { isKey: isDivisionCode });
export type District = Stub<typeof District>;

/** A prosecution case (审查起诉, procuratorate); the court adds the trial it led to. */
export const ProsecutionCase = entityStub('ProsecutionCase', 'caseNo');
export type ProsecutionCase = Stub<typeof ProsecutionCase>;

/** A people's mediation case (justice bureau); the court adds its judicial confirmation or the lawsuit that followed. */
export const MediationCase = entityStub('MediationCase', 'id');
export type MediationCase = Stub<typeof MediationCase>;

/** A month of a division's statistics (grid); the court adds its figures. */
export const DistrictMonth = districtMonthStub();
export type DistrictMonth = Stub<typeof DistrictMonth>;

/** A case flow (police); the court adds the trial stage, from the keys of the cases prosecuted. */
export const CaseFlow = caseFlowStub('prosecutedCaseKeys');
export type CaseFlow = Stub<typeof CaseFlow>;

/** A dispute flow (grid); the court adds the last stage, from the keys of the mediations. */
export const DisputeFlow = disputeFlowStub('mediationCaseKeys');
export type DisputeFlow = Stub<typeof DisputeFlow>;

export const courtExtends = [Person, District, ProsecutionCase, MediationCase, DistrictMonth, CaseFlow, DisputeFlow];
