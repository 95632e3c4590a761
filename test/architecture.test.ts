import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { preProcessFile } from 'typescript';
import { repoRoot } from '../src/shared/paths';
import { SUBGRAPHS } from '../src/shared/registry';
import { subgraphs } from '../src/subgraphs';

/**
 * The import rules of docs/architecture.md, read from the import statements of src/ (tests
 * aside: they are not loaded by the hub). A rule broken here is a layer crossed: move the shared
 * need down into shared code instead of importing sideways or up.
 */
const SRC = join(repoRoot, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  // A data file (the city's outline): it imports nothing, but where it lives counts like code.
  if (specifier.endsWith('.json') && existsSync(resolve(dirname(from), specifier))) return resolve(dirname(from), specifier);
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`${relative(repoRoot, from)}: cannot resolve '${specifier}'`);
}

const files = sourceFiles(SRC);
const imports = new Map(
  files.map((file) => {
    // TypeScript's own scanner: static imports and re-exports (type-only included), `require()` and `import()`, and none of the code in template strings (the scaffold's).
    const { importedFiles } = preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((i) => resolveImport(file, i.fileName)).filter((t): t is string => t !== null);
    return [file, targets];
  }),
);

/** Where a file lives: `shared`, `kit`, `subgraphs/court`, `subgraphs` (the registry's index.ts), or outside src (`migrations`, `test`). */
function area(file: string): string {
  const rel = relative(SRC, file);
  if (rel.startsWith('..')) return relative(repoRoot, file).split('/')[0];
  const [top, second] = rel.split('/');
  return top === 'subgraphs' && second !== 'index.ts' ? `subgraphs/${second}` : top;
}

/** `from → to` for every import that leaves its area, as relative paths. */
function crossings(where: (from: string) => boolean): Array<[string, string]> {
  return [...imports].flatMap(([from, targets]) =>
    where(area(from)) ? targets.filter((t) => area(t) !== area(from)).map((t): [string, string] => [relative(repoRoot, from), relative(repoRoot, t)]) : [],
  );
}

/** Every file `start` loads, directly or through others. */
function closure(start: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(imports.get(file) ?? []));
  }
  return seen;
}

describe('import rules (docs/architecture.md)', () => {
  it('reads the imports it checks', () => {
    // The parser must see the kinds of import the rules rely on, or every rule below would pass vacuously.
    const of = (file: string) => (imports.get(join(SRC, file)) ?? []).map((t) => relative(SRC, t));
    expect(of('subgraphs/index.ts')).toEqual(expect.arrayContaining(SUBGRAPHS.map((s) => `subgraphs/${s}/index.ts`)));
    expect(of('cli/commands/start.ts')).toEqual(expect.arrayContaining(['auth/devTokens.ts', 'cli/runtime.ts']));
    expect(of('shared/config.ts')).toEqual(expect.arrayContaining(['shared/registry.ts']));
    expect(crossings((a) => a.startsWith('subgraphs/')).length).toBeGreaterThan(50);
  });

  it('no department imports another department (or the registry of them)', () => {
    const sideways = crossings((a) => a.startsWith('subgraphs/')).filter(([, to]) => to.startsWith('src/subgraphs/'));
    expect(sideways).toEqual([]);
  });

  it('the gateway loads no subgraph code, no kit, no analytics and no demo city, directly or through other modules', () => {
    const gateway = files.filter((f) => area(f) === 'gateway');
    const loaded = [...closure(gateway)].map((f) => relative(repoRoot, f));
    expect(loaded.filter((f) => /^src\/(subgraphs|kit|analytics|demo|cli)\//.test(f))).toEqual([]);
    expect(loaded.length).toBeGreaterThan(gateway.length);
    // The statistics columns of the CSV export reach it through shared (the file compose writes), not analytics.
    expect(loaded).toContain('src/shared/statisticsColumns.ts');
  });

  it('analytics sits on the kit: it loads no subgraph, gateway or command-line code; only departments and the command line load it', () => {
    const analytics = files.filter((f) => area(f) === 'analytics');
    const loaded = [...closure(analytics)].map((f) => relative(repoRoot, f));
    expect(loaded.filter((f) => /^src\/(subgraphs|gateway|cli)\//.test(f))).toEqual([]);
    expect(loaded).toEqual(expect.arrayContaining(['src/kit/context.ts', 'src/shared/statisticsColumns.ts']));
    const users = crossings((a) => a !== 'analytics')
      .filter(([, to]) => to.startsWith('src/analytics/'))
      .map(([from]) => area(join(repoRoot, from)));
    expect(users.filter((a) => !a.startsWith('subgraphs/') && a !== 'cli')).toEqual([]);
    expect(users).toEqual(expect.arrayContaining(['subgraphs/police', 'cli']));
  });

  it('shared imports nothing above it; the demo city only shared', () => {
    expect(crossings((a) => a === 'shared')).toEqual([]);
    expect(crossings((a) => a === 'demo').filter(([, to]) => !to.startsWith('src/shared/'))).toEqual([]);
  });

  it('only the command line loads the command line, and only it and the registry load subgraph code', () => {
    expect(crossings((a) => a !== 'cli').filter(([, to]) => to.startsWith('src/cli/'))).toEqual([]);
    expect(crossings((a) => a !== 'cli' && a !== 'subgraphs').filter(([, to]) => to.startsWith('src/subgraphs/'))).toEqual([]);
  });

  it('the registry and the definitions agree: every subgraph is defined under its own name', () => {
    expect(Object.keys(subgraphs).sort()).toEqual([...SUBGRAPHS].sort());
    for (const name of SUBGRAPHS) expect(subgraphs[name].name).toBe(name);
  });
});
