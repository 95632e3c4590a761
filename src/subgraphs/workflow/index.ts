import { migrations } from '../../../migrations/workflow';
import type { SubgraphDefinition } from '../../kit/department';
import { stubReferences } from '../../kit/extends';
import { ownedReference } from '../../kit/references';
import { effectsQueue } from './effects';
import { Handoff, HandoffEffect, HandoffStepRecord, IdempotencyKey } from './entities';
import { workflowExtends } from './extends';
import { overdueGauge } from './metrics';
import { HandoffResolver, subjectResolvers } from './resolvers';
import { seedWorkflow } from './seed';
import { ComprehensiveCentreHandoffsResolver } from './centre';
import { HandoffEffectsResolver } from './effectState';
import { Webhook, WebhookDelivery, WebhookResolver } from './webhooks';

/**
 * Cross-department workflow (流转/交办): owns `Handoff`, one state machine (machine.ts) and one
 * inbox for every agency, with the legal deadline of each kind (deadlines.ts); adds `handoffs`
 * to the records it hands off (`GridEvent`, `PoliceCase`, `ProsecutionCase`, `CourtCase`,
 * `MediationCase`, `CommunityCorrection`), by key only. Its demo handoffs (seed.ts) are in 连山区.
 */
export const workflowDepartment: SubgraphDefinition = {
  name: 'workflow',
  entities: [Handoff, HandoffStepRecord, IdempotencyKey, HandoffEffect, Webhook, WebhookDelivery],
  migrations,
  resolvers: [HandoffResolver, HandoffEffectsResolver, WebhookResolver, ...subjectResolvers, ComprehensiveCentreHandoffsResolver],
  // The records it hands off, reached only through the fields it adds to them.
  orphanedTypes: workflowExtends,
  referenceResolvers: {
    Handoff: ownedReference(Handoff, 'id'),
    ...stubReferences(workflowExtends),
  },
  seed: seedWorkflow,
  // A step has no key of its own: the audit trail names the handoff it was taken on.
  auditIds: { HandoffStep: 'handoffId' },
  // The effects of its steps in the departments that own the records (effects.ts).
  jobQueue: effectsQueue,
  started: overdueGauge,
};
