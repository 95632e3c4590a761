import { Counter, Gauge, Histogram } from 'prom-client';
import { LATENCY_BUCKETS, metricsRegistry, sendMetrics } from '../shared/metrics';
import type { GatewayRoute } from './server';

const registers = [metricsRegistry];

export const subgraphRequestDuration = new Histogram({
  name: 'hub_subgraph_request_duration_seconds',
  help: 'Time of each call from the gateway to a subgraph, by subgraph and outcome (ok, errors, unavailable, failed).',
  labelNames: ['subgraph', 'outcome'],
  buckets: LATENCY_BUCKETS,
  registers,
});

export const subgraphUp = new Gauge({
  name: 'hub_subgraph_up',
  help: "1 when the subgraph answered the gateway's last probe or call ready, 0 when it is down or not ready.",
  labelNames: ['subgraph'],
  registers,
});

export const supergraphReloads = new Counter({
  name: 'hub_supergraph_reloads_total',
  help: 'Supergraph reloads (file change or SIGHUP), by outcome: applied, unchanged, refused (kept the one in service).',
  labelNames: ['outcome'],
  registers,
});

/** `/metrics`: Prometheus text; keep it off the public ingress (it names operations and subgraphs). */
export const metricsRoute: GatewayRoute = async (_req, res) => sendMetrics(res);
