import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { AccessEntry } from '../audit/chain';
import type { AuditWriter } from '../audit/writer';
import { LATENCY_BUCKETS, metricsRegistry } from '../shared/metrics';
import type { SubgraphContext } from './context';

const registers = [metricsRegistry];

export const dataloaderBatchSize = new Histogram({
  name: 'hub_dataloader_batch_size',
  help: 'Keys per DataLoader batch (each batch is one SQL statement), by department.',
  labelNames: ['department'],
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
  registers,
});

export const dataloaderBatches = new Histogram({
  name: 'hub_dataloader_batches_per_request',
  help: 'DataLoader batches dispatched per subgraph request, by department.',
  labelNames: ['department'],
  buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55],
  registers,
});

export const policyDecisions = new Counter({
  name: 'hub_policy_decisions_total',
  help: 'Sensitive-field policy decisions, by department and outcome (allow, mask, deny).',
  labelNames: ['department', 'outcome'],
  registers,
});

export const auditWriteDuration = new Histogram({
  name: 'hub_audit_write_duration_seconds',
  help: "Time to append one request's decisions to the audit trail, by department and outcome (ok, error).",
  labelNames: ['department', 'outcome'],
  buckets: LATENCY_BUCKETS,
  registers,
});

export const databaseUp = new Gauge({
  name: 'hub_database_up',
  help: "1 when the department's database answered its last check or query, 0 when it did not.",
  labelNames: ['department'],
  registers,
});

/** DataLoader batch sizes (the request's `Loaders` count them) and policy decisions by outcome, per request. */
export function departmentMetricsPlugin(department: string): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx }) {
          if (!ctx.loaders) return; // refused before the context was built
          dataloaderBatches.observe({ department }, ctx.loaders.batches);
          for (const size of ctx.loaders.batchSizes) dataloaderBatchSize.observe({ department }, size);
          // One increment per outcome, not per decision: a person view makes dozens, and each labelled inc hashes its labels.
          const outcomes = new Map<string, number>();
          for (const d of ctx.decisions) outcomes.set(d.outcome, (outcomes.get(d.outcome) ?? 0) + 1);
          for (const [outcome, n] of outcomes) policyDecisions.inc({ department, outcome }, n);
        },
      };
    },
  };
}

/** The audit writer, timed: how long each batch append takes, and whether it failed. */
export function timedAuditWriter(writer: AuditWriter, department: string): Pick<AuditWriter, 'write'> {
  return {
    async write(entries: AccessEntry[]) {
      const end = auditWriteDuration.startTimer({ department });
      try {
        await writer.write(entries);
        end({ outcome: 'ok' });
      } catch (err) {
        end({ outcome: 'error' });
        throw err;
      }
    },
  };
}
