import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'yaml';
import { hub } from './support/cli';
import { emptyDatabase, sqlAt } from './support/db';
import { copyRepo, type RepoCopy } from './support/repoCopy';
import { repoRoot } from '../src/shared/paths';

/**
 * `hub new-department` in one copy of the repository, by all three paths: a new department
 * (`housing`), one mapped onto the petition bureau's database (`petition2 --from-database`, the
 * fixture loaded into a database of its own) and one wrapping the hotline's API (`hotline2
 * --from-openapi`, the committed spec, its stand-in running in a child process). Right after the
 * scaffolds the copy type-checks, composes, and the three generated tests pass against real
 * PostgreSQL, each department answering through the gateway with the policy applied.
 */
let copy: RepoCopy;
let fixture: Awaited<ReturnType<typeof emptyDatabase>>;
let hotline: ChildProcess;
let hotlineUrl: string;
beforeAll(async () => {
  copy = copyRepo();
  fixture = await emptyDatabase('xf_fixture');
  await sqlAt(fixture.url, `begin;\n${readFileSync(join(copy.root, 'test/fixtures/petition/xf.sql'), 'utf8')}\ncommit;`);
  // A child process: the copy's commands run synchronously here and would starve a server in this one.
  hotline = spawn(
    process.execPath,
    ['-e', `require(${JSON.stringify(join(copy.root, 'dist/test/fixtures/hotline/service.js'))}).startHotlineService(0).then((s) => console.log(s.url))`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(hotline.stdout!, 'data')) as [Buffer];
  hotlineUrl = line.toString().trim();
}, 60_000);
afterAll(async () => {
  if (hotline && hotline.exitCode === null) {
    hotline.kill();
    await once(hotline, 'exit');
  }
  await fixture?.drop();
  copy?.remove();
});

/** The files a refused scaffold must leave as they were. */
const TOUCHED = ['src/shared/registry.ts', 'src/subgraphs/index.ts', 'schema/policy.yaml'];
const snapshot = () => TOUCHED.map((f) => readFileSync(join(copy.root, f), 'utf8'));

/** Applies docs/integrating-a-department.md's policy example (written for `petition`) to the department `name`. */
function docPolicyExample(policy: string, name: string): string {
  const doc = readFileSync(join(copy.root, 'docs/integrating-a-department.md'), 'utf8');
  const block = /<!-- example: native policy[^]*?```yaml\n([^]*?)```/
    .exec(doc)![1]
    .replace(/petition/g, name)
    .replace(/Petition/g, name[0].toUpperCase() + name.slice(1));
  const lines = block.split('\n');
  const [queryLine, personLine] = lines.filter((l) => l.startsWith(`      ${name}Cases:`));
  const typeBlock = lines
    .slice(lines.findIndex((l) => /^ {2}\w+Case:$/.test(l)))
    .join('\n')
    .trimEnd();
  const scaffolded = `      ${name}Cases: { admin: allow }`;
  const out = policy.replace(scaffolded, queryLine).replace(scaffolded, personLine);
  return out.replace(new RegExp(`^ {2}${name[0].toUpperCase()}${name.slice(1)}Case:\\n(?: {4}.*\\n)+`, 'm'), `${typeBlock}\n`);
}

describe('hub new-department: new, from a database, from an OpenAPI spec', () => {
  it('refuses bad sources with one line and exit code 2, writing nothing', () => {
    const before = snapshot();
    const refusals: Array<[string[], RegExp]> = [
      [['petition', '--from-database', fixture.url, '--schema', 'xf'], /"petition" exists already/],
      [
        ['petitiontwo', '--from-database', 'postgres://reader:secret@127.0.0.1:1/xf', '--schema', 'xf'],
        /cannot reach the database at postgres:\/\/reader:\*\*\*@127\.0\.0\.1:1\/xf/,
      ],
      [['petitiontwo', '--from-database', fixture.url, '--schema', 'xf', '--tables', 'xf_czrz'], /table xf\.xf_czrz has no primary key/],
      [
        ['petitiontwo', '--from-database', fixture.url, '--schema', 'xf', '--tables', 'xf_fj'],
        /column xf\.xf_fj\.fj has type bytea, which has no GraphQL mapping/,
      ],
      [['petitiontwo', '--from-database', fixture.url, '--schema', 'xf', '--tables', 'nope'], /table xf\.nope not found/],
      [['hotlinetwo', '--from-openapi', 'test/fixtures/hotline/missing.yaml'], /cannot read the spec/],
      [['hotlinetwo', '--from-openapi', 'package.json'], /not an OpenAPI 3 spec/],
      [
        ['hotlinetwo', '--from-openapi', 'test/fixtures/hotline/openapi.yaml', '--api-url', 'http://127.0.0.1:1/api'],
        /cannot reach the API at http:\/\/127\.0\.0\.1:1\/api/,
      ],
    ];
    for (const [args, message] of refusals) {
      const res = copy.run('node', ['dist/src/cli/hub.js', 'new-department', ...args]);
      expect({ args, status: res.status, lines: res.stderr.trim().split('\n').length }).toEqual({ args, status: 2, lines: 1 });
      expect(res.stderr).toMatch(message);
      expect(res.stderr).not.toContain('secret');
    }
    expect(snapshot()).toEqual(before);
    expect(['petitiontwo', 'hotlinetwo'].filter((d) => existsSync(join(copy.root, 'src/subgraphs', d)))).toEqual([]);
  });

  it('scaffolds three departments that type-check, compose and pass their own tests through the gateway', () => {
    const t0 = Date.now();
    const housing = copy.run('node', ['dist/src/cli/hub.js', 'new-department', 'housing']);
    expect(housing.stderr).toBe('');
    expect(housing.status).toBe(0);
    expect(housing.stdout).toContain('created src/subgraphs/housing/index.ts');
    expect(housing.stdout).toContain('Only admin sees the new types');
    // A new department is its folder, its migrations and test, its policy stanza and one line in each registry file: nothing else is edited.
    const listed = (verb: string) => [...housing.stdout.matchAll(new RegExp(`^  ${verb} (\\S+)$`, 'gm'))].map((m) => m[1]).sort();
    expect(listed('changed')).toEqual(['schema/policy.yaml', 'src/shared/registry.ts', 'src/subgraphs/index.ts']);
    expect(listed('created').filter((f) => !/^(src\/subgraphs\/housing\/|migrations\/housing\/|test\/housing\.test\.ts$)/.test(f))).toEqual([]);
    expect(
      listed('created')
        .filter((f) => f.startsWith('src/subgraphs/housing/'))
        .map((f) => f.slice('src/subgraphs/housing/'.length))
        .sort(),
    ).toEqual(['entities.ts', 'extends.ts', 'index.ts', 'keys.ts', 'resolvers.ts', 'seed.ts']);
    const registryDiff = (f: string) =>
      readFileSync(join(copy.root, f), 'utf8')
        .split('\n')
        .filter((l) => !readFileSync(join(repoRoot, f), 'utf8').split('\n').includes(l));
    expect(registryDiff('src/shared/registry.ts')).toEqual([expect.stringMatching(/^ {2}housing: \{ port: \d+, kind: 'department' \},$/)]);
    expect(registryDiff('src/subgraphs/index.ts')).toEqual(["import { housingDepartment } from './housing';", '  housing: housingDepartment,']);
    const petition = copy.run('node', [
      'dist/src/cli/hub.js',
      'new-department',
      'petition2',
      '--from-database',
      fixture.url,
      '--schema',
      'xf',
      '--tables',
      'xf_person,xf_case',
    ]);
    expect(petition.stderr).toBe('');
    expect(petition.stdout).toContain('owns Petition2Person, Petition2Case, adds Person.petition2Persons');
    const hotline2 = copy.run('node', [
      'dist/src/cli/hub.js',
      'new-department',
      'hotline2',
      '--from-openapi',
      'test/fixtures/hotline/openapi.yaml',
      '--api-url',
      hotlineUrl,
    ]);
    expect(hotline2.stderr).toBe('');
    expect(hotline2.stdout).toContain('owns Hotline2Ticket');
    const scaffolded = Date.now();

    // The generated code and tests type-check (jest alone would not: ts-jest does not report implicit-any errors in isolatedModules).
    const typecheck = copy.run('node_modules/.bin/tsc', ['-p', 'tsconfig.json', '--noEmit']);
    expect(typecheck.stdout).toBe('');
    expect(typecheck.status).toBe(0);
    const typechecked = Date.now();

    const compose = copy.run('npm', ['run', '-s', 'compose']);
    expect(compose.stderr).toBe('');
    expect(compose.status).toBe(0);
    const composed = Date.now();
    const supergraph = readFileSync(join(copy.root, 'schema', 'supergraph.graphql'), 'utf8');
    expect(supergraph).toMatch(/HOUSING @join__graph/);
    expect(supergraph).toMatch(/petition2Persons: \[Petition2Person!\] @join__field\(graph: PETITION2\)/);
    // Descriptions from the system's own column comments where it has them, else from where the value comes from.
    expect(supergraph).toMatch(/"""姓名: the petitioner's name \(xf\.xf_person\.xm\)"""\s+xm: String/);
    expect(supergraph).toMatch(/"""xf\.xf_person\.lxdh, as the petition2 department's system holds it\."""\s+lxdh: String/);
    expect(supergraph).toMatch(/hotline2Ticket\(\s*"""Its key \(gdbh\)\."""\s*gdbh: ID!\s*\): Hotline2Ticket @join__field\(graph: HOTLINE2\)/);

    // The deployments follow the registry: each new department in docker/compose.yaml with its own login, its own system where it keeps one.
    for (const command of ['docker', 'kubernetes']) expect(copy.run('node', ['dist/src/cli/hub.js', command]).status).toBe(0);
    const services = (
      parse(readFileSync(join(copy.root, 'docker/compose.yaml'), 'utf8')) as { services: Record<string, { environment: Record<string, string> }> }
    ).services;
    expect(services.housing.environment.DATABASE_URL).toBe('postgresql://hub_housing:${HUB_DB_PASSWORD_HOUSING:?}@pgbouncer:6432/hub_housing');
    expect(services.petition2.environment.DATABASE_URL).toMatch(/^\$\{DATABASE_URL_PETITION2:\?set DATABASE_URL_PETITION2 in docker\/\.env/);
    expect(services.hotline2.environment.API_URL_HOTLINE2).toMatch(/^\$\{API_URL_HOTLINE2:\?set API_URL_HOTLINE2 in docker\/\.env/);
    for (const d of ['housing', 'petition2', 'hotline2'])
      expect(services[d].environment.AUDIT_DATABASE_URL).toBe(`postgresql://hub_${d}:\${HUB_DB_PASSWORD_${d.toUpperCase()}:?}@postgres:5432/hub_audit`);
    expect(existsSync(join(copy.root, 'deploy/kubernetes/base/housing.yaml'))).toBe(true);

    // The doc's policy example, applied to the new department, gives a grid worker the cases of their grid.
    writeFileSync(join(copy.root, 'schema/policy.example.yaml'), docPolicyExample(readFileSync(join(copy.root, 'schema/policy.yaml'), 'utf8'), 'housing'));
    writeFileSync(
      join(copy.root, 'test/housingGrid.test.ts'),
      `import { sql } from './support/db';
import { startTestHub, type TestHub } from './support/hub';

let t: TestHub;
beforeAll(async () => {
  process.env.POLICY_FILE = \`\${__dirname}/../schema/policy.example.yaml\`;
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

it("lists a grid worker the cases of their grid, with the doc's policy example", async () => {
  const grid = t.city.grids[0].code;
  const rows = await sql<{ id: string; summary: string }>(t, 'select id, summary from housing.housing_case where grid_code = $1 order by received_on desc, id desc', [grid]);
  expect(rows.length).toBeGreaterThan(0);
  const res = await t.query<{ housingCases: { edges: Array<{ node: { id: string; summary: string } }> } }>('grid', '{ housingCases(first: 100) { edges { node { id summary } } } }');
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data!.housingCases.edges.map((e) => e.node)).toEqual(rows);
});
`,
    );

    // The generated tests (and the doc example's, and the check that everything in the graph is described), on this
    // run's PostgreSQL server. The copy's template starts from this run's: only the new departments are prepared there.
    const test = copy.run(
      'node_modules/.bin/jest',
      ['test/housing.test.ts', 'test/housingGrid.test.ts', 'test/petition2.test.ts', 'test/hotline2.test.ts', 'test/descriptions.test.ts'],
      {
        NODE_OPTIONS: '--experimental-vm-modules',
        DATABASE_URL: process.env.HUB_TEST_SERVER_URL!,
        HUB_TEST_BASE_TEMPLATE: process.env.HUB_TEST_TEMPLATE!,
        DATABASE_URL_PETITION2: fixture.url,
        API_URL_HOTLINE2: hotlineUrl,
      },
      540_000,
    );
    const out = `${test.stdout}\n${test.stderr}`;
    expect(out).toMatch(/Test Suites: 5 passed, 5 total/);
    expect(out).toMatch(/Tests:\s+15 passed, 15 total/);
    expect(test.status).toBe(0);
    const s = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
    process.stdout.write(
      `hub new-department housing, petition2 --from-database, hotline2 --from-openapi: scaffolded in ${s(t0, scaffolded)}, type-checked in ${s(scaffolded, typechecked)}, built and composed in ${s(typechecked, composed)}, their tests passed in ${s(composed, Date.now())}: ${s(t0, Date.now())} after the first command\n`,
    );
  }, 720_000);
});

describe('hub new-department refuses bad names with exit code 2, writing nothing', () => {
  it.each([
    ['Petition', 'must be 2 to 30 lowercase letters a-z or digits'],
    ['2petition', 'must be 2 to 30 lowercase letters a-z or digits'],
    ['police', '"police" exists already'],
    ['audit', '"audit" exists already'],
    ['petition', '"petition" exists already'],
    ['mediation', 'would clash with the graph: type MediationCase'],
  ])('%s', (name, message) => {
    const res = hub(['new-department', name]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(message);
    expect(existsSync(join(__dirname, '..', 'src', 'subgraphs', name))).toBe(['police', 'audit', 'petition'].includes(name));
  });
});
