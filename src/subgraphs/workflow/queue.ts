/**
 * The workflow's job queue (graphile-worker) as SQL: its schema, and the `add_job` call that puts a
 * job beside the row it works on, in the caller's own statement and transaction. The handoff's
 * effects (effects.ts) and the webhook deliveries (webhooks.ts) both enqueue this way: the job
 * exists if and only if its row committed.
 */

/** The job queue's PostgreSQL schema (graphile-worker's tables and functions), beside the workflow's own. */
export const QUEUE_SCHEMA = 'workflow_jobs';

/**
 * `add_job` for each row of `source` (a CTE or table alias with an `id` column): the job `task`,
 * its payload `{ <payloadKey>: id }`, keyed `<task>:<id>` (a second add with the key replaces the
 * job, resetting its attempts: that is how a dead delivery is sent again), and at most
 * `maxAttempts` tries with graphile-worker's backoff. Its `?` parameters come in `params`, in order.
 */
export function addJobCall(task: string, payloadKey: string, source: string, maxAttempts: number): { sql: string; params: unknown[] } {
  return {
    sql: `"${QUEUE_SCHEMA}".add_job(?, json_build_object('${payloadKey}', ${source}."id"::text), job_key := ? || ${source}."id"::text, max_attempts := ?)`,
    params: [task, `${task}:`, maxAttempts],
  };
}

/** Where a delivery stands (the webhook deliveries', and a handoff's effects' in the graph). */
export enum DeliveryState {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
