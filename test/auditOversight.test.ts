import { cityWideChange } from '../src/auth/devTokens';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../src/shared/db';
import { hub } from './support/cli';
import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

/** An hour window that does not hold the current hour in Beijing, so normal traffic now is not "odd hours". */
function oddHoursAwayFromNow(): string {
  const hour = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
  const from = (hour + 2) % 22;
  return `${from}-${from + 2}`;
}

let t: TestHub;
let unwritable: string;
beforeAll(async () => {
  // A path below a regular file: no export can be written there (root ignores permission bits).
  const file = join(mkdtempSync(join(tmpdir(), 'pingan-audit-')), 'a-file');
  writeFileSync(file, 'not a directory');
  unwritable = join(file, 'heads');
  process.env.AUDIT_ALERT_ODD_HOURS = oddHoursAwayFromNow();
  t = await startTestHub({ AUDIT_HEAD_DIR: unwritable, AUDIT_HEAD_INTERVAL_MS: '200', AUDIT_ALERT_ODD_HOURS: process.env.AUDIT_ALERT_ODD_HOURS });
});
afterAll(async () => {
  delete process.env.AUDIT_ALERT_ODD_HOURS;
  await t?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const auditUrl = (path: string) => `${t.hub.subgraphs.audit.opsUrl}${path}`;

interface Alert {
  kind: string;
  subject: string;
  entityId: string | null;
  count: number;
  records: Array<{ seq: string; subject: string; field: string }>;
}
async function alerts(): Promise<Alert[]> {
  const res = await t.query<{ accessAlerts: Alert[] }>('oversight', `{ accessAlerts { kind subject entityId count records { seq subject field } } }`);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.accessAlerts;
}
async function personIds(n: number, offset = 0): Promise<string[]> {
  return (await sql<{ id: string }>(t, 'select id from grid.person order by id limit $1 offset $2', [n, offset])).map((r) => r.id);
}
const PERSON = `query ($id: ID!) { person(id: $id) { id name phone policeRecords { role } courtCases { caseNo } } }`;

describe('an unwritable head export target', () => {
  it('keeps the hub serving, says degraded on /readyz and counts failed exports', async () => {
    const [id] = await personIds(1);
    const res = await t.query<{ person: { name: string } }>('police', PERSON, { id });
    expect(res.body.data!.person.name).toBeTruthy();
    let ready: { status: string; checks: Record<string, string> } = { status: '', checks: {} };
    for (let i = 0; i < 30 && ready.status !== 'degraded'; i++) {
      await sleep(100);
      const r = await fetch(auditUrl('/readyz'));
      expect(r.status).toBe(200);
      ready = (await r.json()) as typeof ready;
    }
    expect(ready.status).toBe('degraded');
    expect(ready.checks.auditHeads).toMatch(/^degraded: export failed: .*(ENOTDIR|not a directory)/);
    expect(await (await fetch(auditUrl('/metrics'))).text()).toMatch(/hub_audit_head_exports_total\{outcome="failed"\} [1-9]/);
  });
});

describe('oversight alerts', () => {
  it('normal demo traffic raises none', async () => {
    const ids = await personIds(30, 100);
    for (const [i, id] of ids.entries()) {
      await t.query((['police', 'grid', 'court', 'justice', 'procuratorate'] as const)[i % 5], PERSON, { id });
    }
    await t.query('police', `{ persons(first: 50) { edges { node { name } } } }`);
    await t.query('grid', `{ persons(first: 20) { edges { node { name phone } } } }`);
    // An officer coming back to the same person a few times in a day is normal too.
    for (let i = 0; i < 3; i++) await t.query('police', PERSON, { id: ids[0] });
    expect(await alerts()).toEqual([]);
  });

  it('an officer paging through 500 people raises bulk extraction, linked to the rows behind it', async () => {
    const token = await t.token('police', { sub: 'po-211400-099', ...cityWideChange('police') });
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: { body: { data?: { persons: { edges: Array<{ node: { id: string } }>; pageInfo: { endCursor: string } } } | null } } = await t.query(
        { token },
        `query ($after: String) { persons(first: 100, after: $after) { edges { node { id name } } pageInfo { endCursor } } }`,
        { after },
      );
      expect(res.body.data!.persons.edges).toHaveLength(100);
      after = res.body.data!.persons.pageInfo.endCursor;
    }
    const bulk = (await alerts()).filter((a) => a.kind === 'bulkExtraction');
    expect(bulk.map((a) => a.subject)).toEqual(['po-211400-099']);
    expect(bulk[0].count).toBeGreaterThanOrEqual(200);
    expect(bulk[0].records.length).toBeGreaterThan(0);
    expect(bulk[0].records.every((r) => r.subject === 'po-211400-099' && r.field === '*')).toBe(true);
    // The metric follows at the next scheduled run.
    let metrics = '';
    for (let i = 0; i < 30 && !/hub_audit_alerts\{kind="bulkExtraction"\} [1-9]/.test(metrics); i++) {
      await sleep(100);
      metrics = await (await fetch(auditUrl('/metrics'))).text();
    }
    expect(metrics).toMatch(/hub_audit_alerts\{kind="bulkExtraction"\} [1-9]/);
  });

  it('one officer reading the same person again and again raises repeated reads', async () => {
    const [id] = await personIds(1, 300);
    for (let i = 0; i < 20; i++) await t.query('court', PERSON, { id });
    const repeated = (await alerts()).filter((a) => a.kind === 'repeatedReads');
    expect(repeated).toHaveLength(1);
    expect(repeated[0]).toMatchObject({ entityId: id, count: 20 });
  });

  it('break-glass and sealed-record access raise alerts at once', async () => {
    // Appended the way a subgraph does (as its chain's role): the policy marks break-glass and sealed records on its decisions.
    const client = new Client({ connectionString: withDatabase(t.serverUrl, t.database), options: '-c role=pingan_audit_chain_court' });
    await client.connect();
    try {
      const base = {
        requestId: 'bg-1',
        subject: 'co-211400-007',
        agency: 'court',
        operation: null,
        documentHash: null,
        purpose: 'break-glass: custody hearing',
        entityType: 'CourtCase',
        entityId: 'C-1',
        decision: 'allow',
        reason: 'break-glass',
        paths: ['courtCase.parties'],
        fields: null,
      };
      await client.query('select audit.append($1::jsonb)', [
        JSON.stringify([
          { ...base, field: 'parties', breakGlass: true, sealed: false },
          { ...base, field: 'judgment', breakGlass: false, sealed: true },
        ]),
      ]);
    } finally {
      await client.end();
    }
    const found = (await alerts()).filter((a) => a.subject === 'co-211400-007');
    expect(found.map((a) => a.kind).sort()).toEqual(['breakGlass', 'sealedAccess']);
    expect(found.find((a) => a.kind === 'breakGlass')!.records.map((r) => r.field)).toEqual(['parties']);
  });

  it('access at odd hours raises an alert (hours from configuration)', async () => {
    process.env.AUDIT_ALERT_ODD_HOURS = '0-24';
    try {
      expect((await alerts()).filter((a) => a.kind === 'oddHours').length).toBeGreaterThan(0);
    } finally {
      process.env.AUDIT_ALERT_ODD_HOURS = oddHoursAwayFromNow();
    }
  });

  it('bad periods are BAD_USER_INPUT', async () => {
    const cases: Array<[string, string]> = [
      ['{ accessAlerts(from: "2026-01-01T00:00:00Z", to: "2026-06-01T00:00:00Z") { kind } }', 'from'],
      ['{ accessAlerts(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { kind } }', 'from'],
      ['{ accessLog(filter: { from: "2000-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { edges { cursor } } }', 'filter.from'],
    ];
    for (const [query, argument] of cases) {
      const res = await t.query('oversight', query);
      expect(res.status).toBe(200);
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    const notDate = await t.query('oversight', '{ accessAlerts(from: "yesterday") { kind } }');
    expect(notDate.status).toBeLessThan(500);
    expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(notDate.body.errors?.[0].extensions?.code);
    const other = await t.query('police', '{ accessAlerts { kind } }');
    expect(other.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
  });
});

describe("a citizen's own access report", () => {
  interface Entry {
    at: string;
    agency: string;
    purpose: string | null;
    departments: string[];
    data: string[];
  }
  const REPORT = `{ myAccessReport { at agency purpose departments data } }`;
  /** A 连山区 resident nobody has looked at yet in this file. */
  async function resident(): Promise<{ id: string; idNumber: string; gridCode: string }> {
    const [r] = await sql<{ id: string; id_number: string; grid_code: string }>(
      t,
      `select id, id_number, grid_code from grid.person p where grid_code like '211402%'
      and not exists (select 1 from audit.access_log l where l.entity_id = p.id) order by id desc limit 1`,
    );
    return { id: r.id, idNumber: r.id_number, gridCode: r.grid_code };
  }
  async function report(idNumber: string): Promise<Entry[]> {
    const res = await t.query<{ myAccessReport: Entry[] }>({ token: await t.token('citizen', { idNumber }) }, REPORT);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.myAccessReport;
  }
  async function asChain(chain: string, statement: string, params: unknown[]): Promise<void> {
    const client = new Client({ connectionString: withDatabase(t.serverUrl, t.database), options: `-c role=pingan_audit_chain_${chain}` });
    await client.connect();
    try {
      await client.query(statement, params);
    } finally {
      await client.end();
    }
  }

  it('shows which agency looked at what and why, never the officer; a lookup under an open case only once it closes; sealed lookups never', async () => {
    const person = await resident();
    const id = person.id;
    const caseNo = 'A2114020400002025019999';
    await asChain('police', 'select audit.hold_disclosure($1)', [caseNo]);
    await t.query('police', `query ($id: ID!) { person(id: $id) { name phone policeRecords { role } } }`, { id }, { 'x-purpose': `case ${caseNo}` });
    await t.query('court', `query ($id: ID!) { person(id: $id) { name } }`, { id }, { 'x-purpose': 'hearing' });
    // The grid worker of the resident's own grid (grid workers find nobody outside their grids).
    const gridWorker = { token: await t.token('grid', { sub: `gw-${person.gridCode}`, jurisdiction: [person.gridCode] }) };
    await t.query(gridWorker, `query ($n: String!) { personByIdNumber(idNumber: $n) { id grid { code } } }`, { n: person.idNumber });
    // A request that also touched a sealed record (a juvenile case) is never shown to the citizen.
    await asChain('court', 'select audit.append($1::jsonb)', [
      JSON.stringify([
        {
          requestId: 'sealed-1',
          subject: 'ju-211402-009',
          agency: 'court',
          operation: null,
          documentHash: null,
          purpose: 'juvenile hearing',
          entityType: 'Person',
          entityId: id,
          field: '*',
          decision: 'allow',
          reason: 'looked up',
          paths: ['person'],
          fields: ['courtCases'],
          breakGlass: false,
          sealed: false,
        },
        {
          requestId: 'sealed-1',
          subject: 'ju-211402-009',
          agency: 'court',
          operation: null,
          documentHash: null,
          purpose: 'juvenile hearing',
          entityType: 'CourtCase',
          entityId: 'C-SEALED',
          field: 'judgment',
          decision: 'allow',
          reason: 'r',
          paths: ['person.courtCases.0.judgment'],
          fields: null,
          breakGlass: false,
          sealed: true,
        },
      ]),
    ]);

    const open = await report(person.idNumber);
    expect(open.map((e) => e.agency).sort()).toEqual(['court', 'grid']);
    expect(open.find((e) => e.agency === 'court')).toMatchObject({ purpose: 'hearing', departments: ['grid'], data: ['name'] });
    expect(open.find((e) => e.agency === 'grid')).toMatchObject({ purpose: null, data: ['grid'] });
    expect(JSON.stringify(open)).not.toMatch(/po-211402|ju-211402|gw-|民警|法官/);

    await asChain('police', 'select audit.release_disclosure($1)', [caseNo]);
    const closed = await report(person.idNumber);
    expect(closed.map((e) => e.agency).sort()).toEqual(['court', 'grid', 'police']);
    const police = closed.find((e) => e.agency === 'police')!;
    expect(police.purpose).toBe(`case ${caseNo}`);
    expect(police.departments.sort()).toEqual(['grid', 'police']);
    expect(police.data.sort()).toEqual(['name', 'phone', 'policeRecords']);
    expect(closed.some((e) => e.purpose === 'juvenile hearing')).toBe(false);
  });

  it('shows a citizen only their own entries; a bad ID number claim is refused; other agencies have no report', async () => {
    const other = await resident();
    expect(await report(other.idNumber)).toEqual([]);
    const bad = await t.query({ token: await t.token('citizen', { idNumber: '211402198907049534' }) }, REPORT);
    expect(bad.status).toBe(401);
    // A citizen token without the claim is refused where it is made, as the gateway refuses it.
    await expect(t.token('citizen', { idNumber: undefined })).rejects.toThrow('claim "idNumber" is missing');
    const police = await t.query('police', REPORT);
    expect(police.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
  });
});

describe('retention', () => {
  const dbUrl = () => withDatabase(t.serverUrl, t.database);
  const cli = (args: string[]) => hub([...args, '--database-url', dbUrl()], { HUB_DATA_DIR: t.dataDir });

  it('archives a closed month into signed files; the chain goes on and still verifies from the archived base', async () => {
    // Last month's rows of one chain, made as they would have been (append stamps the current time, so a superuser writes them here).
    await sql(
      t,
      `begin;
      select audit.register_chain('archtest');
      select audit.ensure_partitions((date_trunc('month', now() at time zone 'UTC') - interval '1 month')::date, 1);
      do $$ declare prev text := repeat('0', 64); h text; t timestamptz := date_trunc('month', now() at time zone 'UTC') at time zone 'UTC' - interval '10 days'; begin
        for n in 1..3 loop
          h := encode(sha256(convert_to(prev || E'\\n' || audit.canonical('archtest', n, t, 'old-' || n, 'po-old', 'police', null, null, null, 'Person', 'P-old', 'name', 'allow', 'allowed', array['person.name'], null, false, false), 'UTF8')), 'hex');
          insert into audit.access_log (chain, chain_seq, at, request_id, subject, agency, subgraph, entity_type, entity_id, field, decision, reason, paths, break_glass, sealed, prev_hash, hash)
          values ('archtest', n, t, 'old-' || n, 'po-old', 'police', 'archtest', 'Person', 'P-old', 'name', 'allow', 'allowed', array['person.name'], false, false, prev, h);
          prev := h;
        end loop;
        update audit.chain set last_seq = 3, last_hash = prev, last_at = t where name = 'archtest';
      end $$;
      commit;`,
    );
    const client = new Client({ connectionString: dbUrl(), options: '-c role=pingan_audit_chain_archtest' });
    await client.connect();
    try {
      await client.query('select audit.append($1::jsonb)', [
        JSON.stringify([
          {
            requestId: 'new-1',
            subject: 'po-new',
            agency: 'police',
            operation: null,
            documentHash: null,
            purpose: null,
            entityType: 'Person',
            entityId: 'P-new',
            field: 'name',
            decision: 'allow',
            reason: 'allowed',
            paths: ['person.name'],
            fields: null,
            breakGlass: false,
            sealed: false,
          },
        ]),
      ]);
    } finally {
      await client.end();
    }
    const thisMonth = new Date().toISOString().slice(0, 7);
    const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1)).toISOString().slice(0, 7).replace('-', '_');
    const dir = mkdtempSync(join(tmpdir(), 'pingan-audit-archive-'));
    const refused = cli(['audit', 'archive', '--before', '2999-01', '--out', dir]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/only closed months can be archived/);

    const archived = cli(['audit', 'archive', '--before', thisMonth, '--out', dir]);
    expect({ status: archived.status, stderr: archived.stderr }).toMatchObject({ status: 0 });
    expect(archived.stdout).toContain(`archived access_log_${lastMonth}: 3 rows, archtest to 3`);
    expect(await sql(t, 'select to_regclass($1) as t', [`audit.access_log_${lastMonth}`])).toEqual([{ t: null }]);
    const lines = readFileSync(join(dir, `access_log_${lastMonth}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { chain_seq: number; hash: string });
    expect(lines.map((l) => l.chain_seq)).toEqual([1, 2, 3]);
    expect(existsSync(join(dir, `access_log_${lastMonth}.jws`))).toBe(true);
    const [base] = await sql<{ base_seq: string; base_hash: string }>(t, `select base_seq::text, base_hash from audit.chain where name = 'archtest'`);
    expect(base).toEqual({ base_seq: '3', base_hash: lines[2].hash });

    const verify = cli(['audit', 'verify']);
    expect(verify.stdout).toMatch(/chain archtest intact: 1 rows, head 4/);
    expect(verify.status).toBe(0);
  });
});
