import { GraphQLError } from 'graphql';
import type { Agency } from '../src/auth/viewer';
import { withDeadline } from '../src/shared/db';
import { logger, tapLogs } from '../src/shared/logger';
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import { personKey } from '../src/shared/personKey';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Every argument at the edge of a query or mutation is checked before it reaches the database:
 * lengths, formats, enums, dates. A bad one gets BAD_USER_INPUT naming the argument, and nothing
 * is written. The cases are the gaps found auditing the resolvers, and a sample of the rest.
 */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ INTROSPECTION: 'admin', ERROR_DETAILS: 'off', PERSISTED_QUERIES: 'off' });
});
afterAll(async () => {
  await t?.stop();
});

const long = (n: number) => 'x'.repeat(n);
const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
const report = (input: string) => `mutation { reportGridEvent(input: { ${input} }) { id } }`;

const CASES: Array<[string, Agency, string, string]> = [
  // Gaps closed by this change: ids went to the database unchecked, audit filters had no bounds.
  ['a person key that cannot be one', 'police', `{ person(id: "1 OR 1=1") { id } }`, 'id'],
  ['a person key of 5,000 characters', 'police', `{ person(id: "P${long(5000)}") { id } }`, 'id'],
  ['a grid event id of another kind', 'police', `{ gridEvent(id: "MC2025000001") { id } }`, 'id'],
  ['a mediation case id that is not one', 'justice', `{ mediationCase(id: "../../etc") { id } }`, 'id'],
  ['a community correction id that is not one', 'justice', `{ communityCorrection(id: "") { id } }`, 'id'],
  ['an audit filter agency that does not exist', 'oversight', `{ accessLog(filter: { agency: "nobody" }) { edges { cursor } } }`, 'filter.agency'],
  ['an audit filter subject of 300 characters', 'oversight', `{ accessLog(filter: { subject: "${long(300)}" }) { edges { cursor } } }`, 'filter.subject'],
  [
    'an audit filter entity type that is no type name',
    'oversight',
    `{ accessLog(filter: { entityType: "Person; drop" }) { edges { cursor } } }`,
    'filter.entityType',
  ],
  ['an audit filter entity id of 101 characters', 'oversight', `{ accessLog(filter: { entityId: "${long(101)}" }) { edges { cursor } } }`, 'filter.entityId'],
  [
    'an audit period the wrong way round',
    'oversight',
    `{ accessLog(filter: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { edges { cursor } } }`,
    'filter.from',
  ],
  [
    'a grid event period the wrong way round',
    'police',
    `{ gridEvents(filter: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { edges { cursor } } }`,
    'filter.from',
  ],
  ['a cursor of 600 characters', 'police', `{ persons(after: "${'A'.repeat(600)}") { edges { cursor } } }`, 'after'],
  // A cursor that is valid base64 JSON of the wrong type reached the database (a masked internal error).
  ['a cursor holding a number where the key is text', 'police', `{ persons(after: "${cursor([5])}") { edges { cursor } } }`, 'after'],
  ['a cursor holding text where the sequence is a number', 'oversight', `{ accessLog(after: "${cursor(['1; drop'])}") { edges { cursor } } }`, 'after'],
  [
    'a cursor holding a day that is not one',
    'court',
    `{ courtCases(after: "${cursor(['2025-02-30x', '(2025)辽1402刑初1号'])}") { edges { cursor } } }`,
    'after',
  ],
  ['a cursor holding an object', 'police', `{ gridEvents(after: "${cursor([{}, 'GE2025000001'])}") { edges { cursor } } }`, 'after'],
  [
    'a report title of zero-width characters only',
    'grid',
    report('gridCode: "GRID", kind: HAZARD, title: "\\u200b\\u200b\\u200b", description: "路口"'),
    'input.title',
  ],
  [
    'a report description with a right-to-left override',
    'grid',
    report('gridCode: "GRID", kind: HAZARD, title: "井盖缺失", description: "路口\\u202etxt.exe"'),
    'input.description',
  ],
  ['a type name that is no type name', 'police', `{ myPermissions(type: "${long(300)}") { visible } }`, 'type'],
  // Checked before already.
  ['a page of 0', 'police', `{ persons(first: 0) { edges { cursor } } }`, 'first'],
  ['a page over the maximum', 'police', `{ persons(first: 1000) { edges { cursor } } }`, 'first'],
  ['a division code of 5 digits', 'police', `{ persons(filter: { divisionCode: "21140" }) { edges { cursor } } }`, 'filter.divisionCode'],
  ['an ID number with a wrong check digit', 'police', `{ personByIdNumber(idNumber: "211402199001011235") { id } }`, 'idNumber'],
  ['a police case number that is not one', 'police', `{ policeCase(caseNo: "A1") { caseNo } }`, 'caseNo'],
  ['a court filter day that does not exist', 'court', `{ courtCases(filter: { from: "2025-02-30" }) { edges { cursor } } }`, 'filter.from'],
  // The Date and DateTime scalars: refused by the gateway naming the argument, before any department.
  ['a statistics day written with slashes', 'analyst', `{ districts { code policeStatistics(from: "2025/01/01") { incidents } } }`, 'from'],
  ['a monthly series ending on no day', 'analyst', `{ districts { code monthly(from: "2025-01-01", to: "2025-13-01") { month } } }`, 'to'],
  ['a grid event period starting at no instant', 'police', `{ gridEvents(filter: { from: "yesterday" }) { edges { cursor } } }`, 'filter.from'],
  ['a date-time without its offset', 'oversight', `{ accessAlerts(from: "2026-01-01T08:00:00") { subject } }`, 'from'],
  ['a report title of 1 character', 'grid', report('gridCode: "GRID", kind: HAZARD, title: "x", description: "井盖缺失"'), 'input.title'],
  [
    'a report description of 2,001 characters',
    'grid',
    report(`gridCode: "GRID", kind: HAZARD, title: "井盖缺失", description: "${long(2001)}"`),
    'input.description',
  ],
  [
    'a report in the future',
    'grid',
    report('gridCode: "GRID", kind: HAZARD, title: "井盖缺失", description: "路口", occurredAt: "2099-01-01T00:00:00Z"'),
    'input.occurredAt',
  ],
  [
    'a report naming a bad ID number',
    'grid',
    report('gridCode: "GRID", kind: HAZARD, title: "井盖缺失", description: "路口", involvedIdNumbers: ["123"]'),
    'input.involvedIdNumbers[0]',
  ],
  [
    'a report naming 21 people',
    'grid',
    report(`gridCode: "GRID", kind: HAZARD, title: "井盖缺失", description: "路口", involvedIdNumbers: [${Array(21).fill('"211402199001011234"').join(', ')}]`),
    'input.involvedIdNumbers',
  ],
  ['a report grid code of letters', 'grid', report('gridCode: "abc", kind: HAZARD, title: "井盖缺失", description: "路口"'), 'input.gridCode'],
];

it.each(CASES)('refuses %s with BAD_USER_INPUT naming the argument', async (_label, agency, query, argument) => {
  const events = async () =>
    (await t.query<{ gridEvents: { edges: unknown[] } }>('grid', '{ gridEvents(first: 100) { edges { cursor } } }')).body.data!.gridEvents.edges.length;
  const before = query.startsWith('mutation') ? await events() : 0;
  const res = await t.query(agency, query.replace(/"GRID"/g, `"${t.city.grids[0].code}"`));
  expect(res.status).toBeLessThan(500);
  expect(res.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
  if (query.startsWith('mutation')) expect(await events()).toBe(before);
});

describe('dates and instants are the Date and DateTime scalars', () => {
  it('types the date fields Date and the instants DateTime in the graph, answering the values as before', async () => {
    const typeOf = async (type: string) => {
      const res = await t.query<{ __type: { fields: Array<{ name: string; type: { name: string | null; ofType: { name: string } | null } }> } }>(
        'admin',
        `{ __type(name: "${type}") { fields { name type { name ofType { name } } } } }`,
      );
      return Object.fromEntries(res.body.data!.__type.fields.map((f) => [f.name, f.type.name ?? f.type.ofType?.name]));
    };
    expect(await typeOf('PoliceCase')).toMatchObject({ filedOn: 'Date', transferredOn: 'Date', occurredAt: 'DateTime' });
    expect(await typeOf('CourtCase')).toMatchObject({ filedOn: 'Date', concludedOn: 'Date' });
    const res = await t.query<{ policeCases: { edges: Array<{ node: { filedOn: string; occurredAt: string } }> } }>(
      'police',
      '{ policeCases(first: 5, filter: { from: "2020-01-01" }) { edges { node { filedOn occurredAt } } } }',
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.policeCases.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node.filedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(node.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  });

  it('refuses a bad day in a variable with 400 BAD_USER_INPUT naming the argument, and takes a DateTime with any offset', async () => {
    const before = t.subgraphRequests();
    const bad = await t.query('analyst', 'query ($from: Date) { districts { code gridStatistics(from: $from) { disputes } } }', { from: '2025-02-30' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'from' }]);
    expect(t.subgraphRequests()).toBe(before);
    const inInput = await t.query('police', 'query ($f: GridEventFilter) { gridEvents(filter: $f) { edges { cursor } } }', {
      f: { to: '2026-13-01T00:00:00Z' },
    });
    expect(inInput.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'filter.to' }]);
    const offset = await t.query('police', 'query ($to: DateTime) { gridEvents(first: 1, filter: { to: $to }) { edges { cursor } } }', {
      to: '2026-01-01T08:00:00+08:00',
    });
    expect(offset.body.errors).toBeUndefined();
  });
});

describe('a NUL byte, which PostgreSQL text cannot hold', () => {
  // It once reached the INSERT: DEPARTMENT_UNAVAILABLE "database unreachable", the grid marked down,
  // and the whole statement with the people's ID numbers in the log.
  const involved = () => t.city.persons.slice(0, 2).map((p) => p.idNumber);
  const nulReport = (title: string) =>
    report(
      `gridCode: "${t.city.grids[0].code}", kind: DISPUTE, title: ${JSON.stringify(title)}, description: "邻里纠纷", involvedIdNumbers: ${JSON.stringify(involved())}`,
    );

  it('is refused by the gateway with 400 BAD_USER_INPUT, in a variable or in the document, before any department', async () => {
    const lines: string[] = [];
    const untap = tapLogs((line) => lines.push(line));
    try {
      const before = t.subgraphRequests();
      const inDocument = await t.query('grid', nulReport('井盖\u0000缺失'));
      const inVariable = await t.query(
        'grid',
        'mutation ($title: String!) { reportGridEvent(input: { gridCode: "GRID", kind: HAZARD, title: $title, description: "路口" }) { id } }'.replace(
          'GRID',
          t.city.grids[0].code,
        ),
        { title: '井盖\u0000缺失' },
      );
      for (const res of [inDocument, inVariable]) {
        expect(res.status).toBe(400);
        expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      }
      expect(t.subgraphRequests()).toBe(before);
    } finally {
      untap();
    }
    expect(lines.join('')).not.toMatch(new RegExp(involved().join('|')));
  });

  it('is refused by the subgraph too (BAD_USER_INPUT naming the argument), which stays up and logs nothing of the request', async () => {
    const lines: string[] = [];
    const untap = tapLogs((line) => lines.push(line));
    try {
      const res = await t.subgraphQuery('grid', 'grid', nulReport('井盖\u0000缺失'));
      expect(res.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'input.title' }]);
    } finally {
      untap();
    }
    expect(lines.join('')).not.toMatch(new RegExp(involved().join('|')));
    // Not marked down: the grid still answers through the gateway.
    const after = await t.query('police', '{ district(code: "211402") { code } }');
    expect(after.body.errors).toBeUndefined();
  });
});

describe('automatic persisted queries', () => {
  it('refuses a sha256Hash that is not the hash of the query with 400 and a stable code, not "internal error"', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token('police')}` },
      body: JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['PERSISTED_QUERY_HASH_MISMATCH']);
  });
});

/**
 * The two ways personal data reached the logs (docs/security.md, "Threat model"), each end to end
 * through the hub at debug level, the most it ever logs: a database error whose statement carries
 * the values it was bound to, and bad input echoed back in an error.
 */
describe('no personal data in the logs', () => {
  async function logsOf(work: () => Promise<void>): Promise<string> {
    const lines: string[] = [];
    const level = logger.level;
    logger.level = 'debug';
    const untap = tapLogs((line) => lines.push(line), { instead: true });
    try {
      await work();
    } finally {
      untap();
      logger.level = level;
    }
    return lines.join('');
  }

  it('a database error on a statement bound to a person: logged by its SQLSTATE, without the statement, the ID number or the person key', async () => {
    const person = t.city.persons[0];
    const key = personKey(person.idNumber, DEV_PERSON_KEY_SECRET);
    // The grid's person table gone for a moment: the lookup's statement (bound to this person) fails in the database.
    await sql(t, 'alter table grid.person rename to person_hidden');
    let status = 0;
    const logged = await logsOf(async () => {
      try {
        const res = await t.query(
          'police',
          `{ byNumber: personByIdNumber(idNumber: "${person.idNumber}") { id name } byKey: person(id: "${key}") { id name } }`,
        );
        status = res.status;
        expect(res.body.errors?.map((e) => e.extensions?.code)).toContain('INTERNAL_SERVER_ERROR');
      } finally {
        await sql(t, 'alter table grid.person_hidden rename to person');
      }
    });
    expect(status).toBe(200);
    // The failure is logged (so this test reads the line that could leak)…
    expect(logged).toMatch(/"msg":"internal error"/);
    expect(logged).toMatch(/"sqlState":"42P01"/);
    // …and what it was bound to is not in it.
    for (const value of [person.idNumber, key, person.name]) expect(logged).not.toContain(value);
    expect(logged).not.toMatch(/select|from "?grid"?\./i);
  });

  it('bad input echoed back in an error (a validation message, a variable that does not fit, a bad argument) is never logged', async () => {
    const idNumber = t.city.persons[1].idNumber;
    const phone = t.city.persons.find((p) => p.phone)!.phone;
    const answers: Array<{ status: number; codes: unknown[] }> = [];
    const logged = await logsOf(async () => {
      for (const [query, variables] of [
        // graphql-js quotes the literal in its message: "Int cannot represent non-integer value: …".
        [`{ persons(first: "${idNumber}") { edges { cursor } } }`, undefined],
        ['query ($n: Int!) { persons(first: $n) { edges { cursor } } }', { n: phone }],
        [`{ personByIdNumber(idNumber: "${idNumber}0") { id } }`, undefined],
        [`{ persons(filter: { divisionCode: "${phone}" }) { edges { cursor } } }`, undefined],
        [
          report(`gridCode: "${t.city.grids[0].code}", kind: HAZARD, title: "${phone}", description: "${long(2001)}", involvedIdNumbers: ["${idNumber}"]`),
          undefined,
        ],
      ] as const) {
        const res = await t.query(query.startsWith('mutation') ? 'grid' : 'police', query, variables);
        answers.push({ status: res.status, codes: (res.body.errors ?? []).map((e) => e.extensions?.code) });
      }
    });
    // Each one refused as the caller's own mistake, none as an internal error.
    for (const a of answers) {
      expect(a.status).toBeLessThan(500);
      expect(a.codes.length).toBeGreaterThan(0);
      expect(a.codes).not.toContain('INTERNAL_SERVER_ERROR');
    }
    // The requests were logged (one line each at the gateway), their bad input was not.
    expect(logged.match(/"msg":"gateway request"/g)?.length).toBe(answers.length);
    expect(logged).not.toContain(idNumber);
    expect(logged).not.toContain(phone);
  });
});

describe('the database layer in the logs', () => {
  it('logs a failed statement by its SQLSTATE and names, never its text or the values in it', async () => {
    const idNumber = t.city.persons[0].idNumber;
    const phone = t.city.persons.find((p) => p.phone)!.phone;
    const em = t.hub.subgraphs.grid.orm.em.fork();
    const failures: unknown[] = [];
    // Values inlined by the ORM into a statement that fails (bad cast) and one that runs out of time.
    await em
      .getConnection()
      .execute(`select '${idNumber}'::int, '${phone}' as phone`)
      .catch((e: unknown) => failures.push(e));
    await withDeadline(Date.now() + 50, () => em.getConnection().execute(`select pg_sleep(1), '${idNumber}' as id_number`)).catch((e: unknown) =>
      failures.push(e),
    );
    expect(failures).toHaveLength(2);
    const lines: string[] = [];
    const untap = tapLogs((line) => lines.push(line));
    try {
      for (const err of failures) logger.error({ err, requestId: 'test' }, 'internal error');
      logger.error({ err: new GraphQLError('wrapped', { originalError: failures[0] as Error }) }, 'internal error');
    } finally {
      untap();
    }
    const logged = lines.join('');
    expect(logged).toMatch(/"sqlState":"22\w{3}"/);
    expect(logged).toContain('ran out of time');
    expect(logged).not.toContain(idNumber);
    expect(logged).not.toContain(phone);
    expect(logged).not.toMatch(/select|pg_sleep/i);
  });
});
