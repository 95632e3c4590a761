import type { ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * One Prometheus registry per process. In embedded mode the gateway and every subgraph share the
 * process, so series carry a `service` (gateway or department) label rather than one registry each.
 */
export const metricsRegistry = new Registry();

/** Seconds; from a cached loader hit (ms) to a subgraph timeout (tens of seconds). */
export const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequests = new Counter({
  name: 'hub_http_requests_total',
  help: 'HTTP requests by service, route and status (including those refused before GraphQL runs).',
  labelNames: ['service', 'route', 'status'],
  registers: [metricsRegistry],
});

export const graphqlRequests = new Counter({
  name: 'hub_graphql_requests_total',
  help: "GraphQL operations executed, by service and the caller's operation name.",
  labelNames: ['service', 'operation'],
  registers: [metricsRegistry],
});

export const graphqlErrors = new Counter({
  name: 'hub_graphql_errors_total',
  help: 'Errors returned to the caller, by service and stable error code (extensions.code).',
  labelNames: ['service', 'code'],
  registers: [metricsRegistry],
});

export const graphqlDuration = new Histogram({
  name: 'hub_graphql_request_duration_seconds',
  help: "Time to answer a GraphQL operation, by service and the caller's operation name.",
  labelNames: ['service', 'operation'],
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

let defaultMetrics = false;
/** Process metrics (CPU, memory, event loop lag, GC), once per process, when the first server starts. */
export function collectProcessMetrics(): void {
  if (defaultMetrics) return;
  defaultMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

const MAX_OPERATION_LABELS = 200;
const operationNames = new Set<string>();

/**
 * Operation names come from callers: a label value only for well-formed names, and at most
 * {@link MAX_OPERATION_LABELS} distinct ones per process, so a caller cannot blow up the series count.
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name)) return 'invalid';
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_LABELS) return 'other';
  operationNames.add(name);
  return name;
}

/** Counts an HTTP request when its response is done. `route` must come from a fixed set (the server's routes). */
export function countHttpRequest(service: string, route: string, res: ServerResponse): void {
  res.once('finish', () => httpRequests.inc({ service, route, status: String(res.statusCode) }));
}

/**
 * Requests, errors by code and latency per operation for one Apollo Server. `operationOf` names the
 * caller's operation (the gateway reads it from the request; a subgraph from the internal token).
 */
export function graphqlMetricsPlugin<C extends BaseContext>(
  service: string,
  operationOf: (rc: GraphQLRequestContext<C>) => string | null | undefined,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(rc) {
          const operation = operationLabel(operationOf(rc));
          graphqlRequests.inc({ service, operation });
          graphqlDuration.observe({ service, operation }, (performance.now() - started) / 1000);
          const errors = rc.response.body.kind === 'single' ? rc.response.body.singleResult.errors : undefined;
          for (const e of errors ?? []) graphqlErrors.inc({ service, code: typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN' });
        },
      };
    },
  };
}

/** The `/metrics` route: the registry in Prometheus text format. */
export async function sendMetrics(res: ServerResponse): Promise<void> {
  const text = await metricsRegistry.metrics();
  res.writeHead(200, { 'content-type': metricsRegistry.contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
