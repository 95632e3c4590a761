import type { Agency } from '../src/auth/viewer';
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
  ['an audit filter entity type that is no type name', 'oversight', `{ accessLog(filter: { entityType: "Person; drop" }) { edges { cursor } } }`, 'filter.entityType'],
  ['an audit filter entity id of 101 characters', 'oversight', `{ accessLog(filter: { entityId: "${long(101)}" }) { edges { cursor } } }`, 'filter.entityId'],
  ['an audit period the wrong way round', 'oversight', `{ accessLog(filter: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { edges { cursor } } }`, 'filter.from'],
  ['a grid event period the wrong way round', 'police', `{ gridEvents(filter: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { edges { cursor } } }`, 'filter.from'],
  ['a cursor of 600 characters', 'police', `{ persons(after: "${'A'.repeat(600)}") { edges { cursor } } }`, 'after'],
  ['a type name that is no type name', 'police', `{ myPermissions(type: "${long(300)}") { visible } }`, 'type'],
  // Checked before already.
  ['a page of 0', 'police', `{ persons(first: 0) { edges { cursor } } }`, 'first'],
  ['a page over the maximum', 'police', `{ persons(first: 1000) { edges { cursor } } }`, 'first'],
  ['a division code of 5 digits', 'police', `{ persons(filter: { divisionCode: "21140" }) { edges { cursor } } }`, 'filter.divisionCode'],
  ['an ID number with a wrong check digit', 'police', `{ personByIdNumber(idNumber: "211402199001011235") { id } }`, 'idNumber'],
  ['a police case number that is not one', 'police', `{ policeCase(caseNo: "A1") { caseNo } }`, 'caseNo'],
  ['a court filter day that does not exist', 'court', `{ courtCases(filter: { from: "2025-02-30" }) { edges { cursor } } }`, 'filter.from'],
  ['a report title of 1 character', 'grid', report('gridCode: "GRID", kind: HAZARD, title: "x", description: "井盖缺失"'), 'input.title'],
  ['a report description of 2,001 characters', 'grid', report(`gridCode: "GRID", kind: HAZARD, title: "井盖缺失", description: "${long(2001)}"`), 'input.description'],
  ['a report in the future', 'grid', report('gridCode: "GRID", kind: HAZARD, title: "井盖缺失", description: "路口", occurredAt: "2099-01-01T00:00:00Z"'), 'input.occurredAt'],
  ['a report naming a bad ID number', 'grid', report('gridCode: "GRID", kind: HAZARD, title: "井盖缺失", description: "路口", involvedIdNumbers: ["123"]'), 'input.involvedIdNumbers[0]'],
  ['a report naming 21 people', 'grid', report(`gridCode: "GRID", kind: HAZARD, title: "井盖缺失", description: "路口", involvedIdNumbers: [${Array(21).fill('"211402199001011234"').join(', ')}]`), 'input.involvedIdNumbers'],
  ['a report grid code of letters', 'grid', report('gridCode: "abc", kind: HAZARD, title: "井盖缺失", description: "路口"'), 'input.gridCode'],
];

it.each(CASES)('refuses %s with BAD_USER_INPUT naming the argument', async (_label, agency, query, argument) => {
  const events = async () => (await t.query<{ gridEvents: { edges: unknown[] } }>('grid', '{ gridEvents(first: 100) { edges { cursor } } }')).body.data!.gridEvents.edges.length;
  const before = query.startsWith('mutation') ? await events() : 0;
  const res = await t.query(agency, query.replace(/"GRID"/g, `"${t.city.grids[0].code}"`));
  expect(res.status).toBeLessThan(500);
  expect(res.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
  if (query.startsWith('mutation')) expect(await events()).toBe(before);
});
