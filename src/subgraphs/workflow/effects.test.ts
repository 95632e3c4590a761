import { HandoffKind, SubjectType } from './deadlines';
import { effectOf, effectsQueue } from './effects';
import type { Handoff } from './entities';
import type { HandoffStep } from './machine';
import { OWNERS } from './subjects';

const STEPS: HandoffStep[] = ['dispatch', 'accept', 'return', 'resubmit', 'progress', 'complete', 'feedback', 'escalate'];
const SUBJECT: Record<HandoffKind, SubjectType> = {
  [HandoffKind.EVENT_HANDLING]: SubjectType.GridEvent,
  [HandoffKind.DISPUTE_MEDIATION]: SubjectType.GridEvent,
  [HandoffKind.PROSECUTION_REVIEW]: SubjectType.PoliceCase,
  [HandoffKind.PUBLIC_PROSECUTION]: SubjectType.ProsecutionCase,
  [HandoffKind.PRE_LITIGATION_MEDIATION]: SubjectType.CourtCase,
  [HandoffKind.JUDICIAL_CONFIRMATION]: SubjectType.MediationCase,
  [HandoffKind.CORRECTION_HANDOVER]: SubjectType.CourtCase,
  [HandoffKind.PRE_SENTENCE_ASSESSMENT]: SubjectType.CourtCase,
  [HandoffKind.POLICE_MEDIATION_REFERRAL]: SubjectType.Incident,
  [HandoffKind.PETITION_MEDIATION_REFERRAL]: SubjectType.PetitionCase,
};

describe('handoff effects: which step changes a record in its own department', () => {
  it('has exactly the effects docs/workflows.md lists, and no other step of any kind has one', () => {
    const effects = Object.values(HandoffKind).flatMap((kind) =>
      STEPS.flatMap((step) => {
        const rule = effectOf({ kind, subjectType: SUBJECT[kind] } as Handoff, step);
        return rule ? [`${kind} ${step} → ${rule.department}.${rule.mutation}`] : [];
      }),
    );
    expect(effects.sort()).toEqual(
      [
        'DISPUTE_MEDIATION complete → justice.openMediationFromHandoff',
        'DISPUTE_MEDIATION feedback → grid.closeGridEventFromHandoff',
        'EVENT_HANDLING feedback → grid.closeGridEventFromHandoff',
        'PROSECUTION_REVIEW accept → procuratorate.openProsecutionFromHandoff',
        'PUBLIC_PROSECUTION accept → court.fileCourtCaseFromHandoff',
        'CORRECTION_HANDOVER accept → justice.openCorrectionFromHandoff',
        'POLICE_MEDIATION_REFERRAL complete → justice.openMediationFromPoliceReferral',
        'PETITION_MEDIATION_REFERRAL complete → justice.openMediationFromPetitionReferral',
      ].sort(),
    );
  });

  it('declares every department its effects go to, and every one it checks a record in, among the subgraphs its queue calls', () => {
    const departments = new Set(
      Object.values(HandoffKind).flatMap((kind) => STEPS.map((step) => effectOf({ kind, subjectType: SUBJECT[kind] } as Handoff, step)?.department)),
    );
    departments.delete(undefined);
    for (const d of departments) expect(effectsQueue.calls).toContain(d);
    // A dispatch asks the record's department, and an effect reads the sender's record there (a referral's incident or petition).
    for (const owner of Object.values(OWNERS)) expect(effectsQueue.calls).toContain(owner.department);
  });
});
