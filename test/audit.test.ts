import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { canonicalEntry, type AccessEntry, type StoredEntry } from '../src/audit/chain';
import { AuditWriter } from '../src/audit/writer';
import { withDatabase } from '../src/shared/db';
import { tapLogs } from '../src/shared/logger';
import { loadPolicy } from '../src/policy/policy';
import { hub } from './support/cli';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

let t: TestHub;
let headDir: string;
beforeAll(async () => {
  headDir = mkdtempSync(join(tmpdir(), 'pingan-audit-heads-'));
  // Heads exported every 200 ms, so a test can wait for the next export.
  t = await startTestHub({ AUDIT_HEAD_DIR: headDir, AUDIT_HEAD_INTERVAL_MS: '200' });
});
afterAll(async () => {
  await t?.stop();
});

const policy = loadPolicy();
const dbUrl = () => withDatabase(t.serverUrl, t.database);
/** The CLI shares the test hub's dev keys (same data folder) to sign and check exported heads. */
const cli = (args: string[]) => hub([...args, '--database-url', dbUrl()], { HUB_DATA_DIR: t.dataDir });

interface Row {
  seq: string;
  chain: string;
  chain_seq: string;
  subject: string;
  agency: string;
  operation: string | null;
  document_hash: string | null;
  purpose: string | null;
  subgraph: string;
  entity_type: string;
  entity_id: string;
  field: string;
  decision: string;
  reason: string;
  request_id: string;
  paths: string[];
  fields: string[] | null;
}

async function rowsOf(requestId: string | null): Promise<Row[]> {
  return sql<Row>(
    t,
    'select seq::text, chain, chain_seq::text, subject, agency, operation, document_hash, purpose, subgraph, entity_type, entity_id, field, decision, reason, request_id, paths, fields from audit.access_log where request_id = $1 order by seq::bigint',
    [requestId],
  );
}
async function personIds(n: number, offset = 0): Promise<string[]> {
  return (await sql<{ id: string }>(t, 'select id from grid.person order by id limit $1 offset $2', [n, offset])).map((r) => r.id);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A person view touching all five departments (as a grid worker: the other departments' fields are denied, and recorded). */
const PERSON_VIEW = `query ($id: ID!) { person(id: $id) { id name phone policeRecords { role } prosecutions { caseNo } courtCases { caseNo } mediations { id } } }`;

describe('every look recorded, on every path', () => {
  it('records each sensitive field a police query resolved, with its decision, purpose and operation, and the record as looked up', async () => {
    const person = t.city.persons[3];
    const [row] = await sql<{ id: string }>(t, 'select id from grid.person where id_number = $1', [person.idNumber]);
    // A household (户籍) officer: household status is theirs to see. Free purpose text is recorded as given.
    const officer = { token: await t.token('police', { roles: ['household'] }) };
    const res = await t.query(
      officer,
      `query PersonCard($id: ID!) { person(id: $id) { id name idNumber gender householdStatus grid { code } } }`,
      { id: row.id },
      { 'x-purpose': 'case A211402202500017' },
    );
    expect(res.body.errors).toBeUndefined();
    const rows = await rowsOf(res.headers.get('x-request-id'));
    expect(rows.map((r) => r.field).sort()).toEqual(['*', 'gender', 'householdStatus', 'idNumber', 'name']);
    for (const r of rows) {
      expect(r).toMatchObject({
        subject: 'po-211402-001',
        agency: 'police',
        operation: 'PersonCard',
        purpose: 'case A211402202500017',
        chain: 'grid',
        subgraph: 'grid',
        entity_type: 'Person',
        entity_id: row.id,
      });
      expect(r.document_hash).toMatch(/^[0-9a-f]{64}$/);
      if (r.field === '*') continue;
      expect(r.paths).toEqual([`person.${r.field}`]);
      expect(r.decision).toBe(
        policy.decide(
          'Person',
          r.field,
          { gridCode: person.gridCode },
          { viewer: { sub: 'po-211402-001', name: '', agency: 'police', roles: ['household'], jurisdiction: ['211402'] }, purpose: 'x' },
        ).outcome,
      );
    }
    expect(rows.find((r) => r.field === '*')).toMatchObject({
      reason: 'looked up',
      paths: ['person'],
      fields: ['id', 'name', 'idNumber', 'gender', 'householdStatus', 'grid'],
    });
    // The key, never the ID number, identifies the person in the trail.
    const leaked = await sql(t, 'select 1 from audit.access_log where entity_id = $1 or request_id = $1 or purpose = $1', [person.idNumber]);
    expect(leaked).toHaveLength(0);
  });

  it("records the same request asked twice under each request's own id (the internal token serves both; the id is in each call binding)", async () => {
    const [id] = await personIds(1, 5);
    const officer = { token: await t.token('police') };
    const ask = () => t.query(officer, PERSON_VIEW, { id }, { 'x-purpose': 'repeat check' });
    const [first, second] = [await ask(), await ask()];
    expect(first.body.data).toEqual(second.body.data);
    const [a, b] = [await rowsOf(first.headers.get('x-request-id')), await rowsOf(second.headers.get('x-request-id'))];
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
    // Every department the view reached wrote each request's rows under that request: the same rows twice, none shared.
    const shape = (rows: Row[]) => rows.map((r) => `${r.subgraph} ${r.entity_type} ${r.field} ${r.decision}`).sort();
    expect(new Set(a.map((r) => r.subgraph)).size).toBeGreaterThan(1);
    expect(shape(b)).toEqual(shape(a));
    expect(a.map((r) => r.seq).filter((s) => b.some((r) => r.seq === s))).toEqual([]);
  });

  it('records every path of an aliased field and of a record looked up twice (one row per record and field, all its paths)', async () => {
    const [id] = await personIds(1, 7);
    const res = await t.query<Record<string, { name: string | null; n2: string | null; idNumber: string | null }>>(
      'police',
      `query ($id: ID!) { a: person(id: $id) { name n2: name idNumber } b: person(id: $id) { name idNumber } }`,
      { id },
    );
    expect(res.body.errors).toBeUndefined();
    const rows = await rowsOf(res.headers.get('x-request-id'));
    const byField = Object.fromEntries(rows.map((r) => [r.field, r.paths.slice().sort()]));
    expect(byField).toEqual({ '*': ['a', 'b'], name: ['a.n2', 'a.name', 'b.name'], idNumber: ['a.idNumber', 'b.idNumber'] });
    // Every sensitive value the caller received sits at a recorded path.
    const served = Object.entries(res.body.data!).flatMap(([alias, p]) => Object.keys(p).map((k) => `${alias}.${k}`));
    expect(served.sort()).toEqual(
      rows
        .filter((r) => r.field !== '*')
        .flatMap((r) => r.paths)
        .sort(),
    );
  });

  it('records a record reached as two objects (a loader and an em.find list) once: one "looked up" row, one decision per field', async () => {
    // The first person (by key) of a grid in the police token's jurisdiction: `person` loads it by a
    // prepared loader (a plain object), the grid's `persons` list by em.find (an ORM entity).
    const [{ id, grid_code: gridCode }] = await sql<{ id: string; grid_code: string }>(
      t,
      `select id, grid_code from grid.person where grid_code like '211402%' order by grid_code, id limit 1`,
    );
    const res = await t.query<{ a: { id: string }; b: { edges: Array<{ node: { id: string } }> } }>(
      'police',
      `query ($id: ID!, $grid: String!) { a: person(id: $id) { id name idNumber } b: persons(first: 1, filter: { gridCode: $grid }) { edges { node { id name idNumber } } } }`,
      { id, grid: gridCode },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.b.edges[0].node.id).toBe(id);
    const rows = (await rowsOf(res.headers.get('x-request-id'))).filter((r) => r.entity_type === 'Person');
    expect(rows.map((r) => `${r.entity_id} ${r.field}`).sort()).toEqual([`${id} *`, `${id} idNumber`, `${id} name`]);
    const byField = Object.fromEntries(rows.map((r) => [r.field, r.paths.slice().sort()]));
    expect(byField).toEqual({ '*': ['a', 'b.edges.0.node'], name: ['a.name', 'b.edges.0.node.name'], idNumber: ['a.idNumber', 'b.edges.0.node.idNumber'] });
  });

  it('records a lookup that selects no sensitive field (it still confirms the person exists and where)', async () => {
    const person = t.city.persons[5];
    const res = await t.query<{ personByIdNumber: { id: string } }>(
      'police',
      `query ($n: String!) { personByIdNumber(idNumber: $n) { id grid { code village } } }`,
      { n: person.idNumber },
    );
    expect(res.body.errors).toBeUndefined();
    const rows = await rowsOf(res.headers.get('x-request-id'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      field: '*',
      decision: 'allow',
      entity_type: 'Person',
      entity_id: res.body.data!.personByIdNumber.id,
      paths: ['personByIdNumber'],
      fields: ['id', 'grid'],
    });
  });

  it('names each record by its federation key, or by the property its definition declares for a type without one', async () => {
    const [petitioner] = await sql<{ ryid: string }>(t, 'select ryid from xf.xf_person order by ryid limit 1');
    const petition = await t.query('admin', 'query ($k: ID!) { petitionPerson(ryid: $k) { ryid xm } }', { k: petitioner.ryid });
    expect(petition.body.errors).toBeUndefined();
    const petitionRows = await rowsOf(petition.headers.get('x-request-id'));
    expect(petitionRows.length).toBeGreaterThan(0);
    expect(petitionRows.map((r) => [r.entity_type, r.entity_id])).toEqual(petitionRows.map(() => ['PetitionPerson', petitioner.ryid]));
    // Volunteer has no @key: grid declares `auditIds: { Volunteer: 'id' }`.
    const [volunteer] = await sql<{ id: string; district_code: string }>(t, 'select id, district_code from grid.volunteer order by id limit 1');
    const list = await t.query<{ volunteers: { edges: Array<{ node: { id: string } }> } }>(
      'admin',
      'query ($d: String!) { volunteers(districtCode: $d, first: 100) { edges { node { id name } } } }',
      { d: volunteer.district_code },
    );
    expect(list.body.errors).toBeUndefined();
    const ids = list.body.data!.volunteers.edges.map((e) => e.node.id);
    const volunteerRows = (await rowsOf(list.headers.get('x-request-id'))).filter((r) => r.entity_type === 'Volunteer');
    expect(ids).toContain(volunteer.id);
    expect(new Set(volunteerRows.map((r) => r.entity_id))).toEqual(new Set(ids));
  });

  it('records masked and denied looks too, in the chain of the subgraph that served them', async () => {
    // A prosecutor of 连山区 looking, without a case, at a resident of another district.
    const other = t.city.persons.find((p) => !p.gridCode.startsWith('211402'))!;
    const [row] = await sql<{ id: string }>(t, 'select id from grid.person where id_number = $1', [other.idNumber]);
    const res = await t.query('procuratorate', `query ($id: ID!) { person(id: $id) { name householdStatus policeRecords { role } } }`, { id: row.id });
    expect(res.body.data).toBeTruthy();
    const rows = await rowsOf(res.headers.get('x-request-id'));
    const byField = Object.fromEntries(rows.filter((r) => r.field !== '*').map((r) => [`${r.chain}:${r.field}`, r.decision]));
    expect(byField).toEqual({ 'grid:name': 'mask', 'grid:householdStatus': 'deny', 'police:policeRecords': 'deny' });
    // Each subgraph's part is one batch: consecutive positions in its own chain.
    for (const chain of ['grid', 'police']) {
      const seqs = rows.filter((r) => r.chain === chain).map((r) => Number(r.chain_seq));
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
    }
  });

  it('lets only oversight read the trail, filtered by person (ID number), officer and decision', async () => {
    const person = t.city.persons[3];
    const q = `query ($f: AccessLogFilter) { accessLog(first: 50, filter: $f) { edges { node { subject agency field decision purpose entityType chain paths } } pageInfo { hasNextPage } } }`;
    const res = await t.query<{ accessLog: { edges: Array<{ node: { subject: string; field: string; purpose: string } }> } }>('oversight', q, {
      f: { idNumber: person.idNumber },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accessLog.edges.length).toBeGreaterThanOrEqual(5);
    expect(res.body.data!.accessLog.edges.every((e) => e.node.subject === 'po-211402-001')).toBe(true);
    const denied = await t.query<{ accessLog: { edges: Array<{ node: { decision: string } }> } }>('oversight', q, {
      f: { subject: 'pr-211402-001', decision: 'deny' },
    });
    expect(denied.body.data!.accessLog.edges.length).toBeGreaterThan(0);
    expect(denied.body.data!.accessLog.edges.every((e) => e.node.decision === 'deny')).toBe(true);
    for (const agency of ['police', 'grid', 'admin', 'analyst'] as const) {
      const r = await t.query(agency, q, { f: {} });
      expect(r.body.data?.accessLog ?? null).toBeNull();
      expect(r.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
    }
  });
});

describe('the writer can only append, and only the truth', () => {
  /** Runs a statement as a role (a chain's role is what a subgraph's audit connection writes as). */
  async function withRole(role: string, statement: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const client = new Client({ connectionString: dbUrl(), options: `-c role=${role}` });
    await client.connect();
    try {
      return (await client.query(statement, params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }
  const entry = {
    requestId: 'forged',
    subject: 'po-x',
    agency: 'police',
    operation: null,
    documentHash: null,
    purpose: 'p',
    entityType: 'Person',
    entityId: 'P-1',
    field: 'name',
    decision: 'allow',
    reason: 'r',
    paths: ['person.name'],
    fields: null,
    breakGlass: false,
    sealed: false,
  };

  it('has no INSERT, UPDATE or lock on the trail and its heads: only audit.append', async () => {
    const privileges = await sql<{ table_name: string; privilege_type: string }>(
      t,
      `select table_name, privilege_type from information_schema.role_table_grants where grantee in ('pingan_audit_writer', 'pingan_audit_appender', 'pingan_audit_chain_grid') and table_schema = 'audit' order by 1, 2`,
    );
    expect(privileges.filter((p) => p.privilege_type !== 'SELECT')).toEqual([]);
    await expect(
      withRole(
        'pingan_audit_chain_grid',
        `insert into audit.access_log (chain, chain_seq, at, request_id, subject, agency, subgraph, entity_type, field, decision, reason, paths, break_glass, sealed, prev_hash, hash)
      values ('grid', 999999, now(), 'x', 'x', 'x', 'grid', 'Person', 'name', 'allow', 'x', '{}', false, false, repeat('0', 64), repeat('0', 64))`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(withRole('pingan_audit_chain_grid', `select 1 from audit.chain where name = 'grid' for update`)).rejects.toThrow(/permission denied/);
    await expect(withRole('pingan_audit_chain_grid', `update audit.chain set last_seq = 0`)).rejects.toThrow(/permission denied/);
    // The writer role itself (and any role but a chain's) writes no chain.
    await expect(withRole('pingan_audit_writer', 'select audit.append($1::jsonb)', [JSON.stringify([entry])])).rejects.toThrow(/writes no chain/);
  });

  it('stamps the server time itself, hashes the columns it stores, and refuses time going backwards', async () => {
    const before = Date.now();
    await withRole('pingan_audit_chain_police', 'select audit.append($1::jsonb)', [
      JSON.stringify([
        { ...entry, at: '2020-01-01T00:00:00Z', purpose: 'quote " backslash \\ newline \n 中文 \u0001', canonical: '["forged"]', hash: '0'.repeat(64) },
      ]),
    ]);
    const [row] = await sql(
      t,
      `select *, chain_seq::text as chain_seq, audit.canonical(chain, chain_seq, at, request_id, subject, agency, operation, document_hash, purpose, entity_type, entity_id, field, decision, reason, paths, fields, break_glass, sealed) as sql_canonical
      from audit.access_log where request_id = 'forged' order by seq desc limit 1`,
    );
    // Written to the chain of the role that called, at the server's time (not the 2020 the caller claimed).
    expect(row.chain).toBe('police');
    expect((row.at as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    // One hash implementation: the SQL reference and the TypeScript recomputation agree, escapes included.
    const stored: StoredEntry = {
      chain: row.chain as string,
      chainSeq: row.chain_seq as string,
      at: row.at as Date,
      requestId: row.request_id as string,
      subject: row.subject as string,
      agency: row.agency as string,
      operation: row.operation as null,
      documentHash: row.document_hash as null,
      purpose: row.purpose as string,
      entityType: row.entity_type as string,
      entityId: row.entity_id as string,
      field: row.field as string,
      decision: row.decision as 'allow',
      reason: row.reason as string,
      paths: row.paths as string[],
      fields: row.fields as null,
      breakGlass: row.break_glass as boolean,
      sealed: row.sealed as boolean,
    };
    expect(canonicalEntry(stored)).toBe(row.sql_canonical);
    // A chain whose last row is in the future (a clock set back) takes no more rows: the request fails closed.
    await sql(t, `update audit.chain set last_at = now() + interval '1 hour' where name = 'grid'`);
    try {
      const [id] = await personIds(1);
      const res = await t.query<{ person: { name: string | null } }>('police', `query ($id: ID!) { person(id: $id) { name } }`, { id });
      expect(res.body.data!.person.name).toBeNull();
      expect(res.body.errors!.map((e) => e.extensions?.code)).toContain('AUDIT_UNAVAILABLE');
    } finally {
      await sql(t, `update audit.chain set last_at = now() - interval '1 second' where name = 'grid'`);
    }
  });

  it('keeps refusing UPDATE, DELETE and TRUNCATE under session_replication_role = replica (the triggers fire always)', async () => {
    const asReplica = (statement: string) => sql(t, `begin; set local session_replication_role = replica; ${statement}; commit;`);
    await expect(asReplica(`update audit.access_log set reason = 'x' where seq = (select min(seq) from audit.access_log)`)).rejects.toThrow(/append-only/);
    await expect(asReplica(`delete from audit.access_log where seq = (select max(seq) from audit.access_log)`)).rejects.toThrow(/append-only/);
    await expect(asReplica('truncate audit.access_log')).rejects.toThrow(/append-only/);
    await expect(asReplica('delete from audit.chain')).rejects.toThrow(/append-only/);
    const owner = await sql<{ owner: string }>(
      t,
      `select tableowner as owner from pg_tables where schemaname = 'audit' and tablename in ('access_log', 'chain', 'access_log_default')`,
    );
    expect(owner.map((o) => o.owner)).toEqual(['pingan_audit_owner', 'pingan_audit_owner', 'pingan_audit_owner']);
  });
});

describe('jam', () => {
  it('an advisory lock held by another session (the old key, or any) does not hold up audited requests', async () => {
    const jammer = new Client({ connectionString: dbUrl() });
    await jammer.connect();
    try {
      await jammer.query('select pg_advisory_lock(7220114), pg_advisory_lock(1), pg_advisory_lock(0)');
      const [id] = await personIds(1, 2);
      const started = Date.now();
      const res = await t.query('police', `query ($id: ID!) { person(id: $id) { name policeRecords { role } } }`, { id });
      // No AUDIT_UNAVAILABLE: the append did not wait out its 1 s lock timeout (the old design waited 10 s, then failed).
      expect(res.body.errors).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await jammer.end();
    }
  });

  it('a chain head held locked fails the request closed within the lock timeout, not after 10 s', async () => {
    const jammer = new Client({ connectionString: dbUrl() });
    await jammer.connect();
    try {
      await jammer.query(`begin; select 1 from audit.chain where name = 'grid' for update`);
      const [id] = await personIds(1, 3);
      const started = Date.now();
      const res = await t.query<{ person: { name: string | null } }>('police', `query ($id: ID!) { person(id: $id) { name } }`, { id });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.body.data!.person.name).toBeNull();
      expect(res.body.errors!.map((e) => e.extensions?.code)).toContain('AUDIT_UNAVAILABLE');
    } finally {
      await jammer.end();
    }
  });

  it('50 concurrent person views across five subgraphs: every chain without fork or gap', async () => {
    const ids = await personIds(50, 10);
    const results = await Promise.all(ids.map((id) => t.query('grid', PERSON_VIEW, { id })));
    expect(results.every((r) => r.status === 200 && r.body.data)).toBe(true);
    expect(results.flatMap((r) => r.body.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN_FIELD')).toEqual([]);
    const chains = await sql<{ chain: string; rows: string; distinct_prev: string; first: string; last: string }>(
      t,
      'select chain, count(*)::text as rows, count(distinct prev_hash)::text as distinct_prev, min(chain_seq)::text as first, max(chain_seq)::text as last from audit.access_log group by chain order by chain',
    );
    expect(chains.map((c) => c.chain)).toEqual(expect.arrayContaining(['court', 'grid', 'justice', 'police', 'procuratorate']));
    for (const c of chains) expect(c).toMatchObject({ distinct_prev: c.rows, first: '1', last: c.rows });
    const v = cli(['audit', 'verify']);
    expect(v.stdout).toMatch(/chain court intact: \d+ rows/);
    expect(v.status).toBe(0);
  });
});

describe('group commit', () => {
  const entry = (requestId: string, field: string, decision = 'allow'): AccessEntry => ({
    requestId,
    subject: 'po-group',
    agency: 'police',
    operation: null,
    documentHash: null,
    purpose: null,
    entityType: 'Person',
    entityId: 'P-group',
    field,
    decision: decision as AccessEntry['decision'],
    reason: 'group commit test',
    paths: [`person.${field}`],
    fields: null,
    breakGlass: false,
    sealed: false,
  });
  /** A writer of the police chain whose appends are counted (the statements still go to the real trail). */
  function countedWriter(): { writer: AuditWriter; appends: () => number } {
    const writer = new AuditWriter(dbUrl(), 'police');
    const pool = (writer as unknown as { pool: { query: (...args: unknown[]) => Promise<unknown> } }).pool;
    const query = pool.query.bind(pool);
    let n = 0;
    pool.query = (...args: unknown[]) => (n++, query(...args));
    return { writer, appends: () => n };
  }

  it('concurrent writes share appends; each resolves once its own rows are stored, contiguous and chained', async () => {
    const { writer, appends } = countedWriter();
    try {
      const ids = Array.from({ length: 30 }, (_, i) => `group-${i}-${Date.now()}`);
      await Promise.all(
        ids.map(async (id) => {
          await writer.write([entry(id, 'name'), entry(id, 'phone')]);
          // Stored by the time write resolves: the request may answer now.
          expect((await rowsOf(id)).map((r) => r.field)).toEqual(['name', 'phone']);
        }),
      );
      expect(appends()).toBeGreaterThanOrEqual(1);
      expect(appends()).toBeLessThan(ids.length);
      const seqs = await sql<{ request_id: string; chain_seq: string }>(
        t,
        'select request_id, chain_seq::text from audit.access_log where request_id = any($1) order by chain_seq::bigint',
        [ids],
      );
      expect(seqs).toHaveLength(60);
      for (let i = 0; i < seqs.length; i += 2) expect(seqs[i + 1].request_id).toBe(seqs[i].request_id);
      expect(cli(['audit', 'verify']).status).toBe(0);
    } finally {
      await writer.close();
    }
  });

  it("one caller's bad entries fail only that caller: the others of its batch are stored", async () => {
    const { writer } = countedWriter();
    try {
      const stamp = Date.now();
      const outcomes = await Promise.allSettled([
        writer.write([entry(`good-a-${stamp}`, 'name')]),
        writer.write([entry(`good-b-${stamp}`, 'name')]),
        writer.write([entry(`bad-${stamp}`, 'name', 'perhaps')]),
        writer.write([entry(`good-c-${stamp}`, 'name')]),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      for (const id of ['good-a', 'good-b', 'good-c']) expect(await rowsOf(`${id}-${stamp}`)).toHaveLength(1);
      expect(await rowsOf(`bad-${stamp}`)).toHaveLength(0);
      expect(cli(['audit', 'verify']).status).toBe(0);
    } finally {
      await writer.close();
    }
  });
});

describe('heads leave the database', () => {
  async function nextExport(): Promise<string[]> {
    const before = readdirSync(headDir).length;
    for (let i = 0; i < 50 && readdirSync(headDir).length === before; i++) await sleep(100);
    return readdirSync(headDir).sort();
  }

  it('exports signed heads on a schedule, and verify --against checks the whole run', async () => {
    const [id] = await personIds(1, 70);
    await t.query('grid', PERSON_VIEW, { id });
    const files = await nextExport();
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => /^heads-.*\.jws$/.test(f))).toBe(true);
    const v = cli(['audit', 'verify', '--against', headDir]);
    expect(v.stdout).toMatch(/trail extends all \d+ exported heads/);
    expect(v.status).toBe(0);
  });
});

describe('tamper evidence (as a superuser who turns the triggers off)', () => {
  // The trail of this test file's database is modified below; these tests run last in this file, in order.
  const asSuperuser = (statement: string) =>
    sql(
      t,
      `begin; alter table audit.access_log disable trigger access_log_no_update_delete; ${statement};
    alter table audit.access_log enable always trigger access_log_no_update_delete; commit;`,
    );

  it('deleting rows after the last exported head is caught at the next export and by verify', async () => {
    const [id] = await personIds(1, 80);
    await t.query('grid', PERSON_VIEW, { id });
    await sleep(600); // exported
    await t.query('grid', PERSON_VIEW, { id });
    await asSuperuser(
      `set local session_replication_role = replica; delete from audit.access_log where chain = 'grid' and chain_seq = (select last_seq from audit.chain where name = 'grid')`,
    );
    const v = cli(['audit', 'verify']);
    expect(v.status).not.toBe(0);
    expect(v.stderr).toMatch(/chain grid BROKEN at row \d+: the chain ends at row \d+ but its head says/);
    // The next scheduled export refuses, and readiness says degraded.
    let ready: { status: string; checks: Record<string, string> } = { status: '', checks: {} };
    for (let i = 0; i < 30 && ready.status !== 'degraded'; i++) {
      await sleep(100);
      ready = (await (await fetch(`${t.hub.subgraphs.audit.opsUrl}/readyz`)).json()) as typeof ready;
    }
    expect(ready.status).toBe('degraded');
    expect(ready.checks.auditHeads).toMatch(/chain does not verify since the last export: grid/);
    const metrics = await (await fetch(`${t.hub.subgraphs.audit.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/hub_audit_head_exports_total\{outcome="broken"\} [1-9]/);
  });

  it('rewriting exported rows and re-chaining everything after them passes a plain walk but not verify --against the heads', async () => {
    // Edit one early police row and recompute every hash after it with the trail's own SQL (what a superuser could do).
    await asSuperuser(`update audit.access_log set reason = 'edited' where chain = 'police' and chain_seq = 1;
      do $$ declare r record; prev text := repeat('0', 64); h text; begin
        for r in select * from audit.access_log where chain = 'police' order by chain_seq loop
          h := encode(sha256(convert_to(prev || E'\\n' || audit.canonical(r.chain, r.chain_seq, r.at, r.request_id, r.subject, r.agency, r.operation, r.document_hash, r.purpose,
                 r.entity_type, r.entity_id, r.field, r.decision, r.reason, r.paths, r.fields, r.break_glass, r.sealed), 'UTF8')), 'hex');
          update audit.access_log set prev_hash = prev, hash = h where chain = r.chain and chain_seq = r.chain_seq;
          prev := h;
        end loop;
        update audit.chain set last_hash = prev where name = 'police';
      end $$`);
    const plain = cli(['audit', 'verify']);
    expect(plain.stdout).toMatch(/chain police intact/);
    const against = cli(['audit', 'verify', '--against', headDir]);
    expect(against.status).not.toBe(0);
    expect(against.stderr).toMatch(/police: row \d+ no longer carries the hash exported at/);
  });
});

describe('fail closed', () => {
  it('withholds every sensitive value, aliases and repeated lookups included, when appends fail; readiness names audit', async () => {
    await sql(t, 'revoke execute on function audit.append(jsonb) from pingan_audit_appender');
    try {
      const [id] = await personIds(1);
      const lines: string[] = [];
      const untap = tapLogs((line) => lines.push(line));
      const res = await t
        .query<
          Record<string, { id: string; name: string | null; n2: string | null; idNumber: string | null; grid: { code: string } } | { name: string | null }>
        >('police', `query ($id: ID!) { a: person(id: $id) { id name n2: name idNumber grid { code } } b: person(id: $id) { name } }`, { id })
        .finally(untap);
      // The failed append is logged by its message and code only: not the append's statement, its entry (the person
      // key), PostgreSQL's `where` or a stack (docs/security.md, "no personal data in logs").
      const failed = lines.filter((l) => l.includes('audit write failed'));
      expect(failed.length).toBeGreaterThan(0);
      for (const line of failed) {
        expect(line).toMatch(/"code":"42501"/);
        expect(line).not.toContain(id);
        expect(line).not.toMatch(/insert|select|"where"|"stack":"[^"]|\\n\s+at /i);
      }
      expect(res.body.data).toEqual({ a: { id, name: null, n2: null, idNumber: null, grid: { code: expect.stringMatching(/^\d{12}$/) } }, b: { name: null } });
      expect(
        res.body
          .errors!.filter((e) => e.extensions?.code === 'AUDIT_UNAVAILABLE')
          .map((e) => e.path?.join('.'))
          .sort(),
      ).toEqual(['a.idNumber', 'a.n2', 'a.name', 'b.name']);
      const ready = await fetch(`${t.hub.subgraphs.grid.opsUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks.audit).toMatch(/permission denied/);
      // The gateway's own /readyz shows it within one probe interval (5 s): each department not ready, naming audit.
      type GatewayReadiness = { status: string; subgraphs: Record<string, { state: string; detail?: string }> };
      let gateway: GatewayReadiness | undefined;
      for (const until = Date.now() + 8_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
        gateway = (await (await fetch(`${t.hub.gatewayOpsUrl}/readyz`)).json()) as GatewayReadiness;
        // A probe that ran while the REVOKE held its lock reports a lock timeout; the next one, the refusal.
        if (['grid', 'police'].every((d) => gateway!.subgraphs[d]?.state === 'not ready' && /permission denied/.test(gateway!.subgraphs[d]?.detail ?? '')))
          break;
      }
      for (const d of ['grid', 'police'])
        expect({ d, ...gateway!.subgraphs[d] }).toMatchObject({ d, state: 'not ready', detail: expect.stringMatching(/^audit: .*permission denied/) });
      expect(gateway!.status).not.toBe('ready');
    } finally {
      await sql(t, 'grant execute on function audit.append(jsonb) to pingan_audit_appender');
    }
  });
});
