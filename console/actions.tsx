import { useGraphiQL } from '@graphiql/react';
import { useState, type ReactNode } from 'react';
import { curlCommand } from './caller';

/** The acting caller's headers (dev token or pasted token, and the purpose). */
export type HeadersFor = () => Promise<Record<string, string>>;

/** The active tab's variables as an object; null when they are not valid JSON. */
function useVariables(): () => Record<string, unknown> | null {
  const variableEditor = useGraphiQL((s) => s.variableEditor);
  return () => {
    try {
      const text = variableEditor?.getValue().trim();
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return null;
    }
  };
}

/**
 * Downloads the district statistics as CSV (`/stats.csv`, Chinese labels, withheld cells marked),
 * for the division and range in the active tab's variables (`code`, `from`, `to`) when it has them.
 */
export function CsvButton({ headersFor }: { headersFor: HeadersFor }): ReactNode {
  const variables = useVariables();
  const [problem, setProblem] = useState('');
  const download = async () => {
    setProblem('');
    const vars = variables() ?? {};
    const params = new URLSearchParams({ query: 'districts' });
    for (const [param, name] of [
      ['division', 'code'],
      ['from', 'from'],
      ['to', 'to'],
    ] as const) {
      if (typeof vars[name] === 'string' && vars[name]) params.set(param, vars[name] as string);
    }
    const res = await fetch(`/stats.csv?${params}`, { headers: await headersFor() });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { errors?: Array<{ message: string }> } | null;
      setProblem(body?.errors?.[0]?.message ?? `${res.status} ${res.statusText}`);
      return;
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'statistics.csv';
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await res.blob());
    link.download = name;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <>
      <button
        type="button"
        data-testid="csv"
        title="District statistics as CSV (division, from and to from the variables)"
        onClick={() => void download().catch((e: Error) => setProblem(e.message))}
      >
        CSV
      </button>
      {problem ? (
        <span className="hub-error" data-testid="csv-problem">
          {problem}
        </span>
      ) : null}
    </>
  );
}

/** Copies the active operation, as the acting caller would send it, as a `curl` command. */
export function CurlButton({ headersFor, graphqlPath }: { headersFor: HeadersFor; graphqlPath: string }): ReactNode {
  const queryEditor = useGraphiQL((s) => s.queryEditor);
  const operationName = useGraphiQL((s) => s.operationName);
  const variables = useVariables();
  const [status, setStatus] = useState('');
  const copy = async () => {
    const vars = variables();
    if (vars === null) return setStatus('the variables are not valid JSON');
    const body = { query: queryEditor?.getValue() ?? '', variables: vars, ...(operationName ? { operationName } : {}) };
    await navigator.clipboard.writeText(curlCommand(new URL(graphqlPath, location.origin).href, await headersFor(), body));
    setStatus('copied');
  };
  return (
    <>
      <button
        type="button"
        data-testid="copy-curl"
        title="Copy the current operation, with your token and purpose, as a curl command"
        onClick={() => void copy().catch((e: Error) => setStatus(e.message))}
      >
        Copy as cURL
      </button>
      {status ? (
        <span className="hub-who" data-testid="curl-status">
          {status}
        </span>
      ) : null}
    </>
  );
}
