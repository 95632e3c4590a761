import { entityStub, type Stub } from '../../kit/extends';
import { isDivisionCode } from '../../shared/divisions';

/* The records a handoff can be about, owned by other departments: only their keys live here; workflow adds `handoffs` to each. */

export const GridEvent = entityStub('GridEvent', 'id', { description: 'A grid event (owned by grid); workflow adds its handoffs.' });
export type GridEvent = Stub<typeof GridEvent>;
export const PoliceCase = entityStub('PoliceCase', 'caseNo', { description: 'A police case (owned by police); workflow adds its handoffs.' });
export type PoliceCase = Stub<typeof PoliceCase>;
export const ProsecutionCase = entityStub('ProsecutionCase', 'caseNo', {
  description: 'A prosecution case (owned by procuratorate); workflow adds its handoffs.',
});
export type ProsecutionCase = Stub<typeof ProsecutionCase>;
export const CourtCase = entityStub('CourtCase', 'caseNo', { description: 'A court case (owned by court); workflow adds its handoffs.' });
export type CourtCase = Stub<typeof CourtCase>;
export const MediationCase = entityStub('MediationCase', 'id', { description: 'A mediation case (owned by justice); workflow adds its handoffs.' });
export type MediationCase = Stub<typeof MediationCase>;
export const CommunityCorrection = entityStub('CommunityCorrection', 'id', {
  description: 'A community correction (owned by justice); workflow adds its handoffs.',
});
export type CommunityCorrection = Stub<typeof CommunityCorrection>;

export const ComprehensiveCentre = entityStub('ComprehensiveCentre', 'divisionCode', {
  description: 'A 综治中心 (owned by grid); workflow adds the handoffs it dispatched.',
  isKey: isDivisionCode,
});
export type ComprehensiveCentre = Stub<typeof ComprehensiveCentre>;

export const workflowExtends = [GridEvent, PoliceCase, ProsecutionCase, CourtCase, MediationCase, CommunityCorrection, ComprehensiveCentre];
