import type { MikroORM } from '@mikro-orm/postgresql';
import { Gauge } from 'prom-client';
import { metricsRegistry } from '../../shared/metrics';
import { todayCst } from '../../shared/chinaTime';
import { OPEN_STATES } from './machine';

/** The workflow databases of this process (one, except where tests run several hubs in one process). */
const databases = new Set<MikroORM>();

/**
 * `hub_handoffs_overdue{agency, kind}`: open handoffs past their legal due day, by the agency whose
 * move it is, counted by one SQL statement when /metrics is scraped (never stored, like OVERDUE itself).
 */
export const overdueHandoffs = new Gauge({
  name: 'hub_handoffs_overdue',
  help: 'Open handoffs past their legal due day (China Standard Time), by the agency holding them and the kind.',
  labelNames: ['agency', 'kind'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const orm of databases) {
      const rows = await orm.em.fork().execute<Array<{ agency: string; kind: string; n: string }>>(
        `select "holder_agency" as agency, "kind"::text as kind, count(*)::text as n from "workflow"."handoff"
           where "state" in (${OPEN_STATES.map(() => '?').join(', ')}) and "due_on" < ? and "holder_agency" is not null group by 1, 2`,
        [...OPEN_STATES, todayCst()],
      );
      for (const r of rows) this.inc({ agency: r.agency, kind: r.kind }, Number(r.n));
    }
  },
});

/**
 * `hub_handoff_effects_undelivered{department}`: outbox rows the job queue has not delivered yet (a
 * department down, or its effects failing), counted at each scrape.
 */
export const undeliveredEffects = new Gauge({
  name: 'hub_handoff_effects_undelivered',
  help: "Handoff effects in the outbox not yet applied by the record's department, by department.",
  labelNames: ['department'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const orm of databases) {
      const rows = await orm.em
        .fork()
        .execute<Array<{ department: string; n: string }>>(
          `select "department", count(*)::text as n from "workflow"."handoff_effect" where "delivered_at" is null group by 1`,
        );
      for (const r of rows) this.inc({ department: r.department }, Number(r.n));
    }
  },
});

/**
 * `hub_webhook_deliveries_failed{agency}`: webhook deliveries that failed for good (the dead letters),
 * by the subscribing agency, counted at each scrape; an alert on it tells an operator to look at
 * `webhookDeliveries(state: FAILED)` before the receiving unit misses its deadlines.
 */
export const failedWebhookDeliveries = new Gauge({
  name: 'hub_webhook_deliveries_failed',
  help: 'Webhook deliveries that failed for good (dead letters, waiting for redeliverWebhook), by the subscribing agency.',
  labelNames: ['agency'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const orm of databases) {
      const rows = await orm.em.fork().execute<Array<{ agency: string; n: string }>>(
        `select w."agency", count(*)::text as n from "workflow"."webhook_delivery" d join "workflow"."webhook" w on w."id" = d."webhook_id"
           where d."state" = 'FAILED' group by 1`,
      );
      for (const r of rows) this.inc({ agency: r.agency }, Number(r.n));
    }
  },
});

/** Counts this database's overdue handoffs, undelivered effects and dead letters in the gauges until the returned function is called (at stop). */
export function overdueGauge(orm: MikroORM): () => void {
  databases.add(orm);
  return () => databases.delete(orm);
}
