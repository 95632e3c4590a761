import { cityWideChange } from '../src/auth/devTokens';
import { casePurpose } from './support/sealed';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import { personKey } from '../src/shared/personKey';
import { startTracing } from '../src/shared/tracing';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Traces of a person view, caught by an in-memory exporter: one trace from the caller's
 * `traceparent` through the gateway to each department's subgraph and its SQL statements, with
 * the request id on the gateway's and each subgraph's span, and no personal data anywhere.
 */
const exporter = new InMemorySpanExporter();
let t: TestHub;
beforeAll(async () => {
  startTracing({}, exporter);
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const PERSON_VIEW = `query PersonView($n: String!) {
  personByIdNumber(idNumber: $n) { id name idNumber phone policeRecords { role policeCase { caseNo } } prosecutions { caseNo } courtCases { caseNo } }
}`;

test('a person view is one trace: gateway → each department → its SQL, with no ID number, phone or person key in any span', async () => {
  const chain = t.city.criminalChains.find((c) => c.trial && c.prosecution)!;
  const idNumber = chain.suspectIdNumbers[0];
  const person = t.city.persons.find((p) => p.idNumber === idNumber)!;
  exporter.reset();
  // A city prosecutor stating the prosecution: the person's records in every department open (docs/policy.md).
  const prosecutor = { token: await t.token('procuratorate', cityWideChange('procuratorate')) };
  const res = await t.query(
    prosecutor,
    PERSON_VIEW,
    { n: idNumber },
    { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`, ...casePurpose(chain.prosecution!.prosecutionCaseNo) },
  );
  expect(res.status).toBe(200);
  const answered = (res.body.data as { personByIdNumber: { id: string; phone: string | null } }).personByIdNumber;
  expect(answered.id).toBe(personKey(idNumber, DEV_PERSON_KEY_SECRET));
  const requestId = res.headers.get('x-request-id')!;
  // Spans end as their work settles; the gateway's own a moment after the answer is written.
  const deadline = Date.now() + 5_000;
  while (!exporter.getFinishedSpans().some((s) => s.name === 'POST /graphql') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

  const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === TRACE_ID);
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const parentOf = (s: ReadableSpan) => (s.parentSpanContext ? byId.get(s.parentSpanContext.spanId) : undefined);
  const ancestors = (s: ReadableSpan): string[] => {
    const p = parentOf(s);
    return p ? [p.name, ...ancestors(p)] : [];
  };

  const root = spans.find((s) => s.name === 'POST /graphql')!;
  expect(root.parentSpanContext?.spanId).toBe(CALLER_SPAN);
  expect(root.attributes).toMatchObject({ 'hub.request_id': requestId, 'http.response.status_code': 200 });

  for (const department of ['grid', 'police', 'procuratorate', 'court']) {
    const call = spans.find((s) => s.name === `call ${department}`);
    expect({ department, call: Boolean(call) }).toEqual({ department, call: true });
    expect(ancestors(call!)).toContain('POST /graphql');
    const served = spans.filter((s) => s.name === `subgraph ${department}`);
    expect(served.length).toBeGreaterThan(0);
    for (const s of served) {
      expect(s.attributes).toMatchObject({ 'hub.request_id': requestId, 'hub.service': department });
      expect(ancestors(s)).toEqual(expect.arrayContaining([`call ${department}`, 'POST /graphql']));
    }
    const sql = spans.filter((s) => s.attributes['db.namespace'] === department);
    expect({ department, sql: sql.length > 0 }).toEqual({ department, sql: true });
    for (const s of sql) {
      expect(parentOf(s)?.name).toBe(`subgraph ${department}`);
      expect(s.attributes['db.operation.name']).toMatch(/^[A-Z]+$/);
    }
  }

  // Everything a span carries, as text: no ID number, phone number, person key or name.
  const carried = JSON.stringify(
    spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, resource: s.resource.attributes })),
  );
  const secrets = [idNumber, person.phone, answered.id, person.name].filter((x): x is string => Boolean(x));
  expect(secrets.length).toBe(4);
  for (const secret of secrets) expect({ secret, found: carried.includes(secret) }).toEqual({ secret, found: false });
});
