import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainHash, GENESIS_HASH } from '../src/audit/chain';
import { withDatabase } from '../src/shared/db';
import { loadPolicy } from '../src/policy/policy';
import { hub } from './support/cli';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

let t: TestHub;
let dataDir: string;
beforeAll(async () => {
  t = await startTestHub();
  dataDir = mkdtempSync(join(tmpdir(), 'pingan-audit-cli-'));
});
afterAll(async () => {
  await t?.stop();
});

const policy = loadPolicy();
const dbUrl = () => withDatabase(t.serverUrl, t.database);
/** The CLI shares the test hub's dev keys (same data folder) to sign and check exported heads. */
const cli = (args: string[]) => hub([...args, '--database-url', dbUrl()], { HUB_DATA_DIR: t.dataDir });

interface Row { seq: string; subject: string; agency: string; operation: string | null; document_hash: string | null; purpose: string | null; subgraph: string; entity_type: string; entity_id: string; field: string; decision: string; request_id: string }

async function rowsAfter(seq: string): Promise<Row[]> {
  return sql<Row>(t, 'select seq::text, subject, agency, operation, document_hash, purpose, subgraph, entity_type, entity_id, field, decision, request_id from audit.access_log where seq > $1 order by seq', [seq]);
}
async function lastSeq(): Promise<string> {
  const [r] = await sql<{ s: string }>(t, 'select coalesce(max(seq), 0)::text as s from audit.access_log');
  return r.s;
}

describe('audit trail', () => {
  it('records exactly the sensitive fields a police query resolved, with decisions, purpose and operation', async () => {
    const before = await lastSeq();
    const person = t.city.persons[3];
    const [row] = await sql<{ id: string }>(t, 'select id from grid.person where id_number = $1', [person.idNumber]);
    // A household (户籍) officer: household status is theirs to see. Free purpose text is recorded as given.
    const officer = { token: await t.token('police', { roles: ['household'] }) };
    const res = await t.query(officer, `query PersonCard($id: ID!) { person(id: $id) { id name idNumber gender householdStatus grid { code } } }`, { id: row.id }, { 'x-purpose': 'case A211402202500017' });
    expect(res.body.errors).toBeUndefined();
    const rows = await rowsAfter(before);
    const fields = ['name', 'idNumber', 'gender', 'householdStatus'];
    expect(rows.map((r) => r.field).sort()).toEqual([...fields].sort());
    const requestId = res.headers.get('x-request-id');
    for (const r of rows) {
      expect(r).toMatchObject({ subject: 'po-211402-001', agency: 'police', operation: 'PersonCard', purpose: 'case A211402202500017', subgraph: 'grid', entity_type: 'Person', entity_id: row.id, request_id: requestId });
      expect(r.document_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.decision).toBe(policy.decide('Person', r.field, { gridCode: person.gridCode }, { viewer: { sub: 'po-211402-001', name: '', agency: 'police', roles: ['household'], jurisdiction: ['211402'] }, purpose: 'x' }).outcome);
    }
    // The key, never the ID number, identifies the person in the trail.
    const leaked = await sql(t, 'select 1 from audit.access_log where entity_id = $1 or request_id = $1 or purpose = $1', [person.idNumber]);
    expect(leaked).toHaveLength(0);
  });

  it('records masked and denied looks too, each subgraph\'s part as one contiguous batch', async () => {
    const before = await lastSeq();
    // A prosecutor of 连山区 looking, without a case, at a resident of another district.
    const other = t.city.persons.find((p) => !p.gridCode.startsWith('211402'))!;
    const [row] = await sql<{ id: string }>(t, 'select id from grid.person where id_number = $1', [other.idNumber]);
    const res = await t.query('procuratorate', `query ($id: ID!) { person(id: $id) { name householdStatus policeRecords { role } } }`, { id: row.id });
    expect(res.body.data).toBeTruthy();
    const rows = await rowsAfter(before);
    const byField = Object.fromEntries(rows.map((r) => [`${r.subgraph}:${r.field}`, r.decision]));
    expect(byField).toEqual({ 'grid:name': 'mask', 'grid:householdStatus': 'deny', 'police:policeRecords': 'deny' });
    // One batch per subgraph per request, appended under the chain lock: a subgraph's rows are adjacent.
    const order = rows.map((r) => r.subgraph);
    expect(order.join(',')).toMatch(/^(grid,grid,police|police,grid,grid)$/);
  });

  it('lets only oversight read the trail, filtered by person (ID number), officer and decision', async () => {
    const person = t.city.persons[3];
    const q = `query ($f: AccessLogFilter) { accessLog(first: 50, filter: $f) { edges { node { subject agency field decision purpose entityType } } pageInfo { hasNextPage } } }`;
    const res = await t.query<{ accessLog: { edges: Array<{ node: { subject: string; field: string; purpose: string } }> } }>('oversight', q, { f: { idNumber: person.idNumber } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accessLog.edges.length).toBeGreaterThanOrEqual(4);
    expect(res.body.data!.accessLog.edges.every((e) => e.node.subject === 'po-211402-001')).toBe(true);
    const denied = await t.query<{ accessLog: { edges: Array<{ node: { decision: string } }> } }>('oversight', q, { f: { subject: 'pr-211402-001', decision: 'deny' } });
    expect(denied.body.data!.accessLog.edges.length).toBeGreaterThan(0);
    expect(denied.body.data!.accessLog.edges.every((e) => e.node.decision === 'deny')).toBe(true);
    for (const agency of ['police', 'grid', 'admin', 'analyst'] as const) {
      const r = await t.query(agency, q, { f: {} });
      expect(r.body.data?.accessLog ?? null).toBeNull();
      expect(r.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
    }
  });

  it('keeps one unbroken chain under 50 concurrent requests', async () => {
    const ids = (await sql<{ id: string }>(t, 'select id from grid.person order by id limit 50')).map((r) => r.id);
    const results = await Promise.all(ids.map((id) => t.query('police', `query ($id: ID!) { person(id: $id) { name phone policeRecords { role } } }`, { id })));
    expect(results.every((r) => r.status === 200 && !r.body.errors)).toBe(true);
    const v = cli(['audit', 'verify']);
    expect(v.stdout + v.stderr).toMatch(/chain intact: \d+ rows/);
    expect(v.status).toBe(0);
    const forks = await sql(t, 'select prev_hash from audit.access_log group by prev_hash having count(*) > 1');
    expect(forks).toHaveLength(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even to the owner', async () => {
    await expect(sql(t, `update audit.access_log set reason = 'x' where seq = (select min(seq) from audit.access_log)`)).rejects.toThrow(/append-only/);
    await expect(sql(t, 'delete from audit.access_log')).rejects.toThrow(/append-only/);
    await expect(sql(t, 'truncate audit.access_log')).rejects.toThrow(/append-only/);
    const grants = await sql<{ privilege_type: string }>(t, `select privilege_type from information_schema.role_table_grants where grantee = 'pingan_audit_writer' and table_name = 'access_log' order by 1`);
    expect(grants.map((g) => g.privilege_type)).toEqual(['INSERT', 'SELECT']);
  });
});

describe('tamper evidence (as a superuser who bypasses the triggers)', () => {
  // The trail of this test file's database is modified below; these tests run last in this file, in order.
  const asSuperuser = (statement: string) => sql(t, `begin; set local session_replication_role = replica; ${statement}; commit;`);

  it('verify names an edited row', async () => {
    await t.query('police', `{ persons(first: 3) { edges { node { name } } } }`);
    const head = cli(['audit', 'head', '--out', join(dataDir, 'head.jws')]);
    expect(head.status).toBe(0);
    const [{ s: middle }] = await sql<{ s: string }>(t, 'select (min(seq) + (max(seq) - min(seq)) / 2)::text as s from audit.access_log');
    await asSuperuser(`update audit.access_log set decision = 'allow', reason = 'edited' where seq = ${middle}`);
    const edited = cli(['audit', 'verify']);
    expect(edited.status).not.toBe(0);
    expect(edited.stderr).toContain(`chain BROKEN at row ${middle}: content does not match its hash`);
  });

  it('a chain recomputed after an edit passes plain verify but fails verify --against an earlier head', async () => {
    // Recompute every hash with the hub's own algorithm (what an attacker with full rights could do).
    const rows = await sql<Record<string, unknown> & { seq: string }>(t, 'select * from audit.access_log order by seq');
    let prev = GENESIS_HASH;
    const updates: string[] = [];
    for (const r of rows) {
      const hash = chainHash(prev, {
        at: r.at as Date, requestId: r.request_id as string, subject: r.subject as string, agency: r.agency as string, operation: r.operation as string | null,
        documentHash: r.document_hash as string | null, purpose: r.purpose as string | null, subgraph: r.subgraph as string, entityType: r.entity_type as string,
        entityId: r.entity_id as string | null, field: r.field as string, decision: r.decision as 'allow', reason: r.reason as string,
      });
      updates.push(`update audit.access_log set prev_hash = '${prev}', hash = 'tmp${r.seq}' where seq = ${r.seq}`);
      updates.push(`update audit.access_log set hash = '${hash}' where seq = ${r.seq}`);
      prev = hash;
    }
    await asSuperuser(updates.join('; '));
    const plain = cli(['audit', 'verify']);
    expect(plain.status).toBe(0);
    const against = cli(['audit', 'verify', '--against', join(dataDir, 'head.jws')]);
    expect(against.status).not.toBe(0);
    expect(against.stderr).toMatch(/does not extend the exported head/);
  });

  it('verify names a deleted row', async () => {
    const [{ s }] = await sql<{ s: string }>(t, 'select (min(seq) + 2)::text as s from audit.access_log');
    await asSuperuser(`delete from audit.access_log where seq = ${s}`);
    const res = cli(['audit', 'verify']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/chain BROKEN at row \d+: does not link to the row before it/);
  });
});

describe('fail closed', () => {
  it('withholds sensitive fields with AUDIT_UNAVAILABLE when the trail cannot be written; other fields still resolve', async () => {
    await sql(t, 'revoke insert on audit.access_log from pingan_audit_writer');
    try {
      const [row] = await sql<{ id: string }>(t, 'select id from grid.person order by id limit 1');
      const res = await t.query<{ person: { id: string; name: string | null; idNumber: string | null; grid: { code: string } } }>('police', `query ($id: ID!) { person(id: $id) { id name idNumber grid { code } } }`, { id: row.id });
      expect(res.body.data!.person).toMatchObject({ id: row.id, name: null, idNumber: null });
      expect(res.body.data!.person.grid.code).toMatch(/^\d{12}$/);
      const codes = (res.body.errors ?? []).map((e) => e.extensions?.code);
      expect(codes).toContain('AUDIT_UNAVAILABLE');
      expect(res.body.errors!.map((e) => e.path?.join('.')).sort()).toEqual(['person.idNumber', 'person.name']);
    } finally {
      await sql(t, 'grant insert on audit.access_log to pingan_audit_writer');
    }
  });
});
