import { Counter, Gauge, Histogram } from 'prom-client';
import { LATENCY_BUCKETS, metricsRegistry } from '../shared/metrics';

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

export const subgraphCircuitState = new Gauge({
  name: 'hub_subgraph_circuit_state',
  help: "State of the gateway's circuit breaker for each subgraph: 0 closed, 1 open, 2 half-open (one trial call), 3 isolated (its health probe got no answer).",
  labelNames: ['subgraph'],
  registers,
});

export const subgraphCallsRejected = new Counter({
  name: 'hub_subgraph_calls_rejected_total',
  help: 'Calls to a subgraph refused by the gateway without being sent, by reason: circuit open, too many calls in flight (bulkhead).',
  labelNames: ['subgraph', 'reason'],
  registers,
});

export const supergraphReloads = new Counter({
  name: 'hub_supergraph_reloads_total',
  help: 'Supergraph reloads (file change or SIGHUP), by outcome: applied, unchanged, refused (kept the one in service).',
  labelNames: ['outcome'],
  registers,
});
