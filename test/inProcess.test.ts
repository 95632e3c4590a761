/**
 * Embedded mode's in-process transport (docs/performance.md): the gateway hands a subgraph of its
 * own process the call directly, without loopback HTTP. The subgraph still checks the internal
 * token and its binding, the deadline and one-time use, and the answer — data, errors, audit rows
 * — is the one the HTTP path gives.
 */
import { INTERNAL_CALL_HEADER, INTERNAL_TOKEN_HEADER } from '../src/auth/internalToken';
import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import { inProcessSubgraph, serveInProcess, type InProcessSubgraph } from '../src/shared/inProcess';
import { personKey } from '../src/shared/personKey';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const PERSON_VIEW = `query PersonView($id: ID!) {
  person(id: $id) { id name idNumber phone address grid { code }
    policeRecords { role policeCase { caseNo } } prosecutions { caseNo decision } courtCases { caseNo kind }
    mediations { id outcome } communityCorrection { id status } legalAid { id status } } }`;

let own: Map<string, InProcessSubgraph>;
beforeAll(() => {
  own = new Map(
    Object.values(t.subgraphUrls).map((url) => {
      const h = inProcessSubgraph(url);
      if (!h) throw new Error(`no in-process subgraph at ${url}`);
      return [url, h];
    }),
  );
});
/** Lists each subgraph as `make` says (null: reached over HTTP only); `restore` lists their own handlers again. */
function list(make: (name: string, h: InProcessSubgraph) => InProcessSubgraph | null): void {
  for (const [name, url] of Object.entries(t.subgraphUrls)) {
    const h = make(name, own.get(url)!);
    // Listing a handler returns the function that takes it off the list.
    if (h) serveInProcess(url, h);
    else serveInProcess(url, own.get(url)!)();
  }
}
afterEach(() => list((_name, h) => h));

async function auditRows(requestId: string | null) {
  return sql(
    t,
    'select subgraph, entity_type, entity_id, field, decision, reason, paths from audit.access_log where request_id = $1 order by subgraph, chain_seq',
    [requestId],
  );
}

describe('the in-process transport', () => {
  it('carries the gateway’s calls in embedded mode, with the same answer and audit rows as HTTP', async () => {
    const id = personKey(t.city.criminalChains[0].suspectIdNumbers[0], DEV_PERSON_KEY_SECRET);
    const calls: string[] = [];
    list((name, h) => (headers, body) => {
      calls.push(name);
      return h(headers, body);
    });
    const local = await t.query('court', PERSON_VIEW, { id });
    list(() => null);
    const viaHttp = await t.query('court', PERSON_VIEW, { id });
    expect(new Set(calls).size).toBeGreaterThanOrEqual(5);
    expect(local.status).toBe(200);
    expect((local.body.data as { person: unknown }).person).not.toBeNull();
    // The departments answer concurrently: their errors come in the order they answered.
    const sorted = (body: typeof local.body) => ({ ...body, errors: [...(body.errors ?? [])].sort((x, y) => x.message.localeCompare(y.message)) });
    expect(local.body.errors?.length).toBeGreaterThan(0);
    expect(sorted(local.body)).toEqual(sorted(viaHttp.body));
    const [a, b] = await Promise.all([auditRows(local.headers.get('x-request-id')), auditRows(viaHttp.headers.get('x-request-id'))]);
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });

  describe('a subgraph called in process checks the call as over HTTP', () => {
    const QUERY = '{ persons(first: 1) { edges { node { id } } } }';
    const call = async (headers: Record<string, string>, query = QUERY) => own.get(t.subgraphUrls.grid)!(headers, { query });
    const codeOf = (answer: Awaited<ReturnType<typeof call>>) => [answer.status, answer.body.errors?.[0]?.extensions?.code];

    it('answers a call with a valid token and binding', async () => {
      const token = await t.agencyInternalToken('admin');
      const answer = await call({ [INTERNAL_TOKEN_HEADER]: token, [INTERNAL_CALL_HEADER]: t.bindCall('grid', token, QUERY) });
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toEqual({ persons: { edges: [{ node: { id: expect.any(String) } }] } });
    });

    it('refuses a call without a token, with a forged one, or without its binding', async () => {
      const token = await t.agencyInternalToken('admin');
      const forged = `${token.slice(0, token.lastIndexOf('.'))}.${Buffer.alloc(64).toString('base64url')}`;
      expect(codeOf(await call({}))).toEqual([401, 'UNAUTHENTICATED']);
      expect(codeOf(await call({ [INTERNAL_TOKEN_HEADER]: forged, [INTERNAL_CALL_HEADER]: t.bindCall('grid', forged, QUERY) }))).toEqual([
        401,
        'UNAUTHENTICATED',
      ]);
      expect(codeOf(await call({ [INTERNAL_TOKEN_HEADER]: token }))).toEqual([401, 'UNAUTHENTICATED']);
    });

    it('refuses a binding for another subgraph or document, a second use, and a call past its deadline', async () => {
      const token = await t.agencyInternalToken('admin');
      const other = await call({ [INTERNAL_TOKEN_HEADER]: token, [INTERNAL_CALL_HEADER]: t.bindCall('police', token, QUERY) });
      expect(codeOf(other)).toEqual([401, 'UNAUTHENTICATED']);
      const otherDocument = await call({ [INTERNAL_TOKEN_HEADER]: token, [INTERNAL_CALL_HEADER]: t.bindCall('grid', token, '{ __typename }') });
      expect(codeOf(otherDocument)).toEqual([401, 'UNAUTHENTICATED']);
      const once = { [INTERNAL_TOKEN_HEADER]: token, [INTERNAL_CALL_HEADER]: t.bindCall('grid', token, QUERY) };
      expect((await call(once)).status).toBe(200);
      expect(codeOf(await call(once))).toEqual([401, 'UNAUTHENTICATED']);
      const late = await call({ [INTERNAL_TOKEN_HEADER]: token, [INTERNAL_CALL_HEADER]: t.bindCall('grid', token, QUERY, Date.now() - 1) });
      expect(codeOf(late)).toEqual([504, 'DEADLINE_EXCEEDED']);
    });
  });
});
