import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hub } from './support/cli';
import { copyRepo, type RepoCopy } from './support/repoCopy';

/**
 * `hub new-department` in a copy of the repository: right after the scaffold, composition passes
 * with the new subgraph in it and the department's generated test passes against real PostgreSQL.
 */
let copy: RepoCopy;
beforeAll(() => {
  copy = copyRepo();
});
afterAll(() => {
  copy?.remove();
});

describe('hub new-department', () => {
  it('scaffolds a department that composes and passes its own test', () => {
    const t0 = Date.now();
    const scaffold = copy.run('node', ['dist/src/cli/hub.js', 'new-department', 'petition']);
    expect(scaffold.stderr).toBe('');
    expect(scaffold.status).toBe(0);
    expect(scaffold.stdout).toContain('created src/subgraphs/petition/index.ts');
    expect(scaffold.stdout).toContain('Only admin sees the new types');

    const compose = copy.run('npm', ['run', '-s', 'compose']);
    expect(compose.stderr).toBe('');
    expect(compose.status).toBe(0);
    expect(compose.stdout).toContain('schema/petition.graphql');
    const supergraph = readFileSync(join(copy.root, 'schema', 'supergraph.graphql'), 'utf8');
    expect(supergraph).toMatch(/petitionCases\(/);
    expect(supergraph).toMatch(/PETITION @join__graph/);

    // The generated code and test type-check (jest alone would not: ts-jest reports no implicit-any errors in isolatedModules).
    const typecheck = copy.run('node_modules/.bin/tsc', ['-p', 'tsconfig.json', '--noEmit']);
    expect(typecheck.stdout).toBe('');
    expect(typecheck.status).toBe(0);

    // Only the generated test, on this run's PostgreSQL server (the copy makes its own template database).
    const test = copy.run('node_modules/.bin/jest', ['test/petition.test.ts'], {
      NODE_OPTIONS: '--experimental-vm-modules',
      DATABASE_URL: process.env.HUB_TEST_SERVER_URL!,
    });
    expect(`${test.stdout}\n${test.stderr}`).toMatch(/Tests:\s+5 passed, 5 total/);
    expect(test.status).toBe(0);
    process.stdout.write(`hub new-department petition → composed → its test passed: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

    // A second department with the same name is refused, and nothing is touched.
    const again = copy.run('node', ['dist/src/cli/hub.js', 'new-department', 'petition']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('"petition" exists already');
  }, 300_000);
});

describe('hub new-department refuses bad names with exit code 2, writing nothing', () => {
  it.each([
    ['Petition', 'must be 2 to 30 lowercase letters a-z'],
    ['petition2', 'must be 2 to 30 lowercase letters a-z'],
    ['police', '"police" exists already'],
    ['audit', '"audit" exists already'],
    ['mediation', 'would clash with the graph: type MediationCase'],
  ])('%s', (name, message) => {
    const res = hub(['new-department', name]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(message);
    expect(existsSync(join(__dirname, '..', 'src', 'subgraphs', name))).toBe(name === 'police' || name === 'audit');
  });
});
