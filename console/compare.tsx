import { useGraphiQL } from '@graphiql/react';
import { useState, type ReactNode } from 'react';
import type { GraphQLResult } from './caller';

/** One agency's answer to the same request. */
export interface Answer {
  agency: string;
  /** Who the token names, e.g. "grid worker of grid 211402001001". */
  who: string;
  status: number;
  result: GraphQLResult;
}

type Path = Array<string | number>;
const key = (path: Path) => path.join('.');

/** Denied fields by response path, with the policy's reason. */
function deniedPaths(result: GraphQLResult): Map<string, string> {
  const denied = new Map<string, string>();
  for (const e of result.errors ?? []) {
    if (e.extensions?.code === 'FORBIDDEN_FIELD' && e.path) denied.set(key(e.path), String(e.extensions.reason ?? e.message));
  }
  return denied;
}

/** Every string leaf of every answer, by path: a value is masked when another agency got more of it. */
function leavesByPath(answers: Answer[]): Map<string, string[]> {
  const leaves = new Map<string, string[]>();
  const walk = (value: unknown, path: Path) => {
    if (typeof value === 'string') leaves.set(key(path), [...(leaves.get(key(path)) ?? []), value]);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  for (const a of answers) walk(a.result.data, []);
  return leaves;
}

/**
 * Withheld statistics by response path: the counts an object names in its `suppressedFields`
 * (small counts, null for the aggregate-only agencies).
 */
function withheldPaths(data: unknown): Set<string> {
  const withheld = new Set<string>();
  const walk = (value: unknown, path: Path) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value && typeof value === 'object') {
      const named = (value as Record<string, unknown>).suppressedFields;
      if (Array.isArray(named)) for (const field of named) withheld.add(key([...path, String(field)]));
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(data, []);
  return withheld;
}

/** How one answer's values are marked: denied (with the reason), withheld, or masked (against the others). */
interface Marks {
  denied: Map<string, string>;
  withheld: Set<string>;
  leaves: Map<string, string[]>;
}

/**
 * A masked value: the policy's masks star out characters (ID numbers, phones, names), withhold
 * free text, or cut a value short (address to the village, birth date to the year), so another
 * agency's value at the same place is longer and starts the same.
 */
export function isMasked(value: string, others: string[]): boolean {
  if (/\*/.test(value) || /characters withheld\]$/.test(value)) return true;
  return others.some((o) => o.length > value.length && o.startsWith(value));
}

function Leaf({ value, path, marks }: { value: unknown; path: Path; marks: Marks }): ReactNode {
  const reason = marks.denied.get(key(path));
  if (reason !== undefined)
    return (
      <span className="hub-denied" title={reason}>
        denied: {reason}
      </span>
    );
  if (marks.withheld.has(key(path)))
    return (
      <span className="hub-withheld" title="a small count, withheld to protect the people behind it">
        withheld
      </span>
    );
  if (typeof value === 'string') {
    const masked = isMasked(value, marks.leaves.get(key(path)) ?? []);
    return (
      <span className={masked ? 'hub-masked' : 'hub-value'} title={masked ? 'masked by the policy' : undefined}>
        {JSON.stringify(value)}
        {masked ? ' (masked)' : ''}
      </span>
    );
  }
  return <span className="hub-value">{JSON.stringify(value)}</span>;
}

function Tree({ value, path, marks }: { value: unknown; path: Path; marks: Marks }): ReactNode {
  if (value === null || typeof value !== 'object' || marks.denied.has(key(path))) return <Leaf value={value} path={path} marks={marks} />;
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  if (!entries.length) return <span className="hub-value">{Array.isArray(value) ? '[]' : '{}'}</span>;
  return (
    <div className="hub-tree">
      {entries.map(([k, v]) => (
        <div key={k} className="hub-row" data-path={key([...path, k])}>
          <span className="hub-key">{Array.isArray(value) ? `[${k}]` : k}:</span> <Tree value={v} path={[...path, k]} marks={marks} />
        </div>
      ))}
    </div>
  );
}

function Column({ answer, leaves }: { answer: Answer; leaves: Map<string, string[]> }): ReactNode {
  const denied = deniedPaths(answer.result);
  const withheld = withheldPaths(answer.result.data);
  const other = (answer.result.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN_FIELD');
  const masked = [...leaves.keys()].filter((p) => {
    const value = p.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), answer.result.data);
    return typeof value === 'string' && isMasked(value, leaves.get(p)!);
  }).length;
  return (
    <section className="hub-column" data-testid={`compare-${answer.agency}`}>
      <header>
        <strong>{answer.agency}</strong> <span className="hub-who">{answer.who}</span>
        <div className="hub-counts">
          <span className="hub-masked">{masked} masked</span> · <span className="hub-denied">{denied.size} denied</span> ·{' '}
          <span className="hub-withheld">{withheld.size} withheld</span>
          {answer.status !== 200 ? <> · HTTP {answer.status}</> : null}
        </div>
      </header>
      {other.map((e, i) => (
        <div key={i} className="hub-error">
          {String(e.extensions?.code ?? 'ERROR')}: {e.message}
        </div>
      ))}
      {answer.result.data ? <Tree value={answer.result.data} path={[]} marks={{ denied, withheld, leaves }} /> : null}
    </section>
  );
}

/**
 * Runs the operation in the editor as several agencies at once and shows the answers side by
 * side: what each gets in full, masked, or denied (with the policy's reason).
 */
export function ComparePanel(props: {
  agencies: string[];
  run: (agency: string, request: { query: string; variables: Record<string, unknown>; operationName?: string }) => Promise<Answer>;
  onClose: () => void;
}): ReactNode {
  const queryEditor = useGraphiQL((s) => s.queryEditor);
  const variableEditor = useGraphiQL((s) => s.variableEditor);
  const operationName = useGraphiQL((s) => s.operationName);
  const [chosen, setChosen] = useState<string[]>(() => props.agencies.filter((a) => ['police', 'grid', 'justice', 'court'].includes(a)));
  const [answers, setAnswers] = useState<Answer[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const runAll = async () => {
    setProblem(null);
    let variables: Record<string, unknown> = {};
    try {
      const text = variableEditor?.getValue().trim();
      variables = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      setProblem('the variables are not valid JSON');
      return;
    }
    const query = queryEditor?.getValue() ?? '';
    setRunning(true);
    try {
      setAnswers(await Promise.all(chosen.map((agency) => props.run(agency, { query, variables, operationName: operationName || undefined }))));
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setRunning(false);
    }
  };
  const leaves = leavesByPath(answers);
  return (
    <div className="hub-compare" data-testid="compare-panel">
      <div className="hub-compare-bar">
        <strong>Side by side</strong>
        {props.agencies.map((a) => (
          <label key={a}>
            <input
              type="checkbox"
              checked={chosen.includes(a)}
              onChange={(e) => setChosen(e.target.checked ? props.agencies.filter((x) => x === a || chosen.includes(x)) : chosen.filter((x) => x !== a))}
            />{' '}
            {a}
          </label>
        ))}
        <button type="button" data-testid="compare-run" disabled={running || !chosen.length} onClick={() => void runAll()}>
          {running ? 'Running…' : 'Run the current operation as each'}
        </button>
        <span className="hub-legend">
          <span className="hub-masked">masked</span> <span className="hub-denied">denied</span> <span className="hub-withheld">withheld</span>
        </span>
        <button type="button" className="hub-close" aria-label="Close the comparison" onClick={props.onClose}>
          ×
        </button>
      </div>
      {problem ? <div className="hub-error">{problem}</div> : null}
      <div className="hub-columns">
        {answers.map((a) => (
          <Column key={a.agency} answer={a} leaves={leaves} />
        ))}
      </div>
    </div>
  );
}
