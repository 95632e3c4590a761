import type { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { logger } from './logger';

/**
 * OpenTelemetry traces: gateway request → each subgraph call → the subgraph's request → its SQL
 * statements, joined by W3C `traceparent` headers. Off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set
 * (then spans go there over OTLP/HTTP) or a test hands in an exporter: without a registered
 * provider the API's tracer is a no-op and a span costs a function call.
 *
 * No personal data in a span: names and attributes carry services, departments, operation names,
 * request ids, HTTP status codes and SQL verbs — never variables, SQL text or parameters, or field
 * values (test/tracing.test.ts looks for ID numbers, phone numbers and person keys in every attribute).
 */
const tracer = trace.getTracer('pingan-hub');
let started = false;

/** Registers the process's tracer provider once (the first caller's exporter wins); a no-op without an endpoint or exporter. */
export function startTracing(env: Record<string, string | undefined> = process.env, exporter?: SpanExporter): void {
  if (started || (!exporter && !env.OTEL_EXPORTER_OTLP_ENDPOINT)) return;
  started = true;
  // Loaded only when tracing is on: the SDK and the exporter cost nothing otherwise.
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const processor = exporter
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(
        new (require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(),
      );
  // register(): the global provider, AsyncLocalStorage context and the W3C trace-context propagator.
  new NodeTracerProvider({ spanProcessors: [processor] }).register();
  if (!exporter) logger.info({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT }, 'tracing: spans exported over OTLP');
}

/**
 * The trace context a caller sent (`traceparent`), to continue its trace — only that: a call the
 * gateway hands a subgraph in process continues the trace its headers name, as over HTTP, not
 * whatever span happens to be active in the process.
 */
export function contextFrom(headers: IncomingHttpHeaders): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Adds the active trace context (`traceparent`) to an outgoing request's headers. */
export function injectTraceContext(set: (name: string, value: string) => void): void {
  propagation.inject(context.active(), {}, { set: (_carrier, name, value) => set(name, value) });
}

/**
 * Runs `fn` in a new active span (a child of `parent`, default the active one) and ends it when
 * the promise settles; a rejection marks it as an error with the error's class only (messages can
 * quote input).
 */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  return tracer.startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.name ?? 'Error' });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** A span for each SQL statement of a knex-based client (MikroORM), as a child of whatever span runs the query. */
export function traceSqlStatements(knex: Pick<EventEmitter, 'on'>, schema: string): void {
  const open = new Map<string, Span>();
  knex.on('query', (q: { __knexQueryUid?: string; sql?: string }) => {
    if (!q.__knexQueryUid || !trace.getSpan(context.active())?.isRecording()) return;
    // The verb only: MikroORM sends parameters inlined in the statement's text (a person key, a name).
    const operation = /^\s*(\w+)/.exec(q.sql ?? '')?.[1]?.toUpperCase() ?? 'SQL';
    open.set(
      q.__knexQueryUid,
      tracer.startSpan(`${operation} ${schema}`, {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operation, 'db.namespace': schema },
      }),
    );
  });
  const end = (failed: boolean) => (q: { __knexQueryUid?: string }) => {
    const span = q.__knexQueryUid ? open.get(q.__knexQueryUid) : undefined;
    if (!span) return;
    open.delete(q.__knexQueryUid!);
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  knex.on('query-response', (_response: unknown, q: { __knexQueryUid?: string }) => end(false)(q));
  knex.on('query-error', (_error: unknown, q: { __knexQueryUid?: string }) => end(true)(q));
}

export { SpanKind };
