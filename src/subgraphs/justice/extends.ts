import { caseFlowStub, disputeFlowStub, districtMonthStub } from '../../analytics/computed';
import { entityStub, type Stub } from '../../kit/extends';
import { isDivisionCode } from '../../shared/divisions';
import { isPersonKey } from '../../shared/personKey';

/*
 * Other departments' entities that this department extends with its own fields. Each is only its
 * key here; the owner resolves everything else. The same classes serve as the targets of this
 * department's links (a mediation's parties, a correction's court case).
 */

export const Person = entityStub('Person', 'id', {
  isKey: isPersonKey,
  description: 'A resident (owned by grid); justice adds mediations, community correction and legal aid.',
});
export type Person = Stub<typeof Person>;

export const District = entityStub('District', 'code', {
  isKey: isDivisionCode,
  description: 'A district or township (owned by grid); justice adds its statistics.',
});
export type District = Stub<typeof District>;

export const GridEvent = entityStub('GridEvent', 'id', { description: 'A grid event (owned by grid); justice adds the mediation a dispute went to.' });
export type GridEvent = Stub<typeof GridEvent>;

export const CourtCase = entityStub('CourtCase', 'caseNo', {
  description: 'A court case (owned by court); justice adds the community correction its judgment started.',
});
export type CourtCase = Stub<typeof CourtCase>;

/** A police incident (警情, owned by police): the 110 call a 警调对接 mediation came from. Justice only points to it; the police resolve it, under their policy. */
export const Incident = entityStub('Incident', 'id', { pointsOnly: true });
export type Incident = Stub<typeof Incident>;

/** A petition (信访件, owned by petition): the one a 访调对接 mediation came from. Justice only points to it; the petition department resolves it. */
export const PetitionCase = entityStub('PetitionCase', 'xfjbh', { pointsOnly: true });
export type PetitionCase = Stub<typeof PetitionCase>;

/** A month of a division's statistics (owned by grid); justice adds its figures. No description: the owner's stands. */
export const DistrictMonth = districtMonthStub();
export type DistrictMonth = Stub<typeof DistrictMonth>;

/** A case flow (owned by police); justice adds the community corrections stage, from the keys of the convictions. */
export const CaseFlow = caseFlowStub('convictedCaseKeys');
export type CaseFlow = Stub<typeof CaseFlow>;

/** A dispute flow (owned by grid); justice adds the mediation stage, from the keys of the reported disputes. */
export const DisputeFlow = disputeFlowStub('disputeEventKeys');
export type DisputeFlow = Stub<typeof DisputeFlow>;

export const justiceExtends = [Person, District, GridEvent, CourtCase, Incident, PetitionCase, DistrictMonth, CaseFlow, DisputeFlow];
