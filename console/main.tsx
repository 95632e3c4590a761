import './monacoWorkers';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './console.css';
import { useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { StrictMode, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { CITY_CODE, CITY_NAME, DISTRICTS } from '../src/demo/divisions';
import { CsvButton, CurlButton } from './actions';
import { ChartPanel } from './chart';
import { callerHeaders, DevTokens, inCity, loadIdentities, loadSettings, postGraphQL, type Identity, type Settings } from './caller';
import { ComparePanel, type Answer } from './compare';
import { CONSOLE_EXAMPLES } from './examples';
import { PermissionsPanel } from './permissions';
import { StatisticsPanel, type RunAsCaller } from './statisticsPage';

/** The codes a jurisdiction may name: the city, or a division or grid inside one of its districts. */
const CITY = { code: CITY_CODE, districts: DISTRICTS.map((d) => d.code) };

type Fetcher = GraphiQLProps['fetcher'];
type Request = { query: string; variables?: Record<string, unknown> | null; operationName?: string | null };

const devTokens = new DevTokens();
/** GraphiQL's explorer: the schema as a tree of checkboxes that writes the query (one instance: GraphiQL keys plugins by identity). */
const EXPLORER = explorerPlugin();

/** Opens one of the ready-made operations in a new tab (what the user typed stays in its own). */
function ExamplePicker(): ReactNode {
  const { addTab } = useGraphiQLActions();
  const queryEditor = useGraphiQL((s) => s.queryEditor);
  const variableEditor = useGraphiQL((s) => s.variableEditor);
  const activeVariables = useGraphiQL((s) => s.tabs[s.activeTabIndex]?.variables ?? '');
  const [hint, setHint] = useState('');
  // GraphiQL 5 leaves the variables editor of the first tab empty on a first visit; fill it once.
  useEffect(() => {
    if (variableEditor && !variableEditor.getValue() && activeVariables) variableEditor.setValue(activeVariables);
  }, [variableEditor]);
  return (
    <label className="hub-field" title={hint}>
      Examples
      <select
        data-testid="examples"
        value=""
        onChange={(e) => {
          const example = CONSOLE_EXAMPLES.find((x) => x.name === e.target.value);
          if (!example) return;
          addTab();
          queryEditor?.setValue(example.query);
          variableEditor?.setValue(JSON.stringify(example.variables, null, 2));
          setHint(example.hint);
        }}
      >
        <option value="">open an example…</option>
        {CONSOLE_EXAMPLES.map((x) => (
          <option key={x.name} value={x.name}>
            {x.title}
          </option>
        ))}
      </select>
      {hint ? <span className="hub-hint">{hint}</span> : null}
    </label>
  );
}

interface Caller {
  agency: string;
  /** Jurisdiction codes per agency, as typed ('' = the ready-made officer's own). */
  jurisdictions: Record<string, string>;
  purpose: string;
}

function App({ settings, identities }: { settings: Settings; identities: Identity[] }): ReactNode {
  const [caller, setCaller] = useState<Caller>({ agency: identities[0]?.agency ?? '', jurisdictions: {}, purpose: '' });
  const [who, setWho] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [pastedToken, setPastedToken] = useState(() => sessionStorage.getItem('hub-token') ?? '');
  const [comparing, setComparing] = useState(false);
  const [permissions, setPermissions] = useState(false);
  const [charting, setCharting] = useState(false);
  const [statistics, setStatistics] = useState(false);
  const [jurisdictionDraft, setJurisdictionDraft] = useState('');
  const callerRef = useRef(caller);
  callerRef.current = caller;

  const identity = identities.find((i) => i.agency === caller.agency);
  const jurisdictionOf = (agency: string, c: Caller) => c.jurisdictions[agency] ?? '';

  /** The headers of a request as `agency` (dev mode) or as the pasted token (production). */
  const headersFor = useCallback(
    async (agency: string | null): Promise<{ headers: Record<string, string>; who: string }> => {
      const c = callerRef.current;
      if (!settings.devTokens || agency === null) return { headers: pastedToken ? callerHeaders(pastedToken, c.purpose) : {}, who: 'your token' };
      const issued = await devTokens.get(agency, jurisdictionOf(agency, c));
      const { description, jurisdiction } = issued.identity;
      const where = jurisdiction.join(', ');
      return { headers: callerHeaders(issued.token, c.purpose), who: description.includes(where) ? description : `${description} (${where})` };
    },
    [settings.devTokens, pastedToken],
  );

  /** Posts a request as `agency`; a token the gateway refuses is renewed once (it may have expired). */
  const runAs = useCallback(
    async (agency: string | null, request: Request, extraHeaders: Record<string, string> = {}) => {
      let { headers, who: label } = await headersFor(agency);
      let answer = await postGraphQL(settings.graphqlPath, { ...headers, ...extraHeaders }, request);
      if (answer.status === 401 && settings.devTokens && agency !== null) {
        devTokens.forget(agency, jurisdictionOf(agency, callerRef.current));
        ({ headers, who: label } = await headersFor(agency));
        answer = await postGraphQL(settings.graphqlPath, { ...headers, ...extraHeaders }, request);
      }
      return { ...answer, who: label };
    },
    [headersFor, settings],
  );

  // Show who the console acts as; fetching the token early also surfaces a bad jurisdiction at once.
  useEffect(() => {
    if (!settings.devTokens) return;
    let current = true;
    setProblem(null);
    headersFor(caller.agency)
      .then(({ who: label }) => current && setWho(label))
      .catch((e: Error) => current && (setWho(''), setProblem(e.message)));
    return () => {
      current = false;
    };
  }, [caller.agency, caller.jurisdictions, headersFor, settings.devTokens]);

  // A new fetcher when the pasted token changes, so GraphiQL loads the schema again with it.
  const fetcher: Fetcher = useMemo(
    () => async (params, opts) => {
      const { result } = await runAs(settings.devTokens ? callerRef.current.agency : null, params as Request, (opts?.headers ?? {}) as Record<string, string>);
      return result;
    },
    [runAs, settings.devTokens],
  );

  /** The codes of a typed jurisdiction that are not the city or inside it (e.g. 999999). */
  const strangers = (value: string) =>
    value.trim() === ''
      ? []
      : value
          .split(',')
          .map((c) => c.trim())
          .filter((c) => !inCity(c, CITY));
  const setJurisdiction = (value: string) => {
    setJurisdictionDraft(value);
    if (!strangers(value).length) setCaller((c) => ({ ...c, jurisdictions: { ...c.jurisdictions, [c.agency]: value.trim() } }));
  };
  const refused = strangers(jurisdictionDraft);
  const draftValid = refused.length === 0;
  /** One agency's answer, for the side-by-side views. */
  const runAnswer = async (agency: string, request: Request): Promise<Answer> => ({ agency, ...(await runAs(agency, request)) });
  /** The statistics page's requests, as whoever the console acts as when they are made. */
  const runAsCaller: RunAsCaller = useCallback((request) => runAs(settings.devTokens ? callerRef.current.agency : null, request), [runAs, settings.devTokens]);
  const headersOfCaller = useCallback(
    async () => (await headersFor(settings.devTokens ? callerRef.current.agency : null)).headers,
    [headersFor, settings.devTokens],
  );

  return (
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={CONSOLE_EXAMPLES.map((x) => ({ query: x.query, variables: JSON.stringify(x.variables, null, 2) }))}
      defaultEditorToolsVisibility="variables"
      plugins={[EXPLORER]}
    >
      <GraphiQL.Logo>Pingan Hub</GraphiQL.Logo>
      <div className="hub-bar" data-testid="console-bar">
        <strong className="hub-title">Pingan Hub console</strong>
        {settings.devTokens ? (
          <>
            <label className="hub-field">
              Act as
              <select
                data-testid="agency"
                value={caller.agency}
                onChange={(e) => {
                  const agency = e.target.value;
                  setCaller((c) => ({ ...c, agency }));
                  setJurisdictionDraft(caller.jurisdictions[agency] ?? '');
                }}
              >
                {identities.map((i) => (
                  <option key={i.agency} value={i.agency}>
                    {i.agency} — {i.description}
                  </option>
                ))}
              </select>
            </label>
            <label className="hub-field">
              Jurisdiction
              <input
                data-testid="jurisdiction"
                className={draftValid ? '' : 'hub-invalid'}
                placeholder={identity?.jurisdiction.join(',') ?? ''}
                title="A district (6 digits), township (9) or grid (12) code; empty: the ready-made officer's own"
                value={jurisdictionDraft}
                onChange={(e) => setJurisdiction(e.target.value)}
                size={14}
              />
            </label>
            {refused.length ? (
              <span className="hub-error" data-testid="jurisdiction-problem">
                {refused.join(', ')}: not {CITY_NAME} ({CITY_CODE}) or a division or grid in it; still acting as before
              </span>
            ) : null}
          </>
        ) : (
          <label className="hub-field">
            Token
            <input
              data-testid="token"
              type="password"
              placeholder="paste your bearer token"
              value={pastedToken}
              onChange={(e) => {
                setPastedToken(e.target.value.trim());
                sessionStorage.setItem('hub-token', e.target.value.trim());
              }}
              size={28}
            />
          </label>
        )}
        <label className="hub-field">
          Purpose
          <input
            data-testid="purpose"
            placeholder="x-purpose, e.g. case A211402202500109"
            title="Sent as x-purpose and recorded in the audit trail; some fields are given only with a stated purpose"
            value={caller.purpose}
            onChange={(e) => setCaller((c) => ({ ...c, purpose: e.target.value }))}
            size={26}
          />
        </label>
        <ExamplePicker />
        <CsvButton headersFor={headersOfCaller} />
        <CurlButton headersFor={headersOfCaller} graphqlPath={settings.graphqlPath} />
        <button type="button" data-testid="chart-open" title="A bar chart of the statistics in the answer" onClick={() => setCharting((v) => !v)}>
          {charting ? 'Hide chart' : 'Chart'}
        </button>
        <button
          type="button"
          data-testid="stats-open"
          title="Monthly series of a division as charts, and its grid events on a map"
          onClick={() => setStatistics((v) => !v)}
        >
          {statistics ? 'Hide statistics' : 'Statistics'}
        </button>
        {settings.devTokens ? (
          <>
            <button type="button" data-testid="compare-open" onClick={() => setComparing((v) => !v)}>
              {comparing ? 'Hide side by side' : 'Compare agencies'}
            </button>
            <button type="button" data-testid="permissions-open" onClick={() => setPermissions((v) => !v)}>
              {permissions ? 'Hide permissions' : 'Permissions'}
            </button>
          </>
        ) : null}
        <span className="hub-who" data-testid="who">
          {problem ? (
            <span className="hub-error">{problem}</span>
          ) : settings.devTokens ? (
            `acting as ${who}`
          ) : pastedToken ? (
            'using your token'
          ) : (
            'no token yet: paste one to run queries'
          )}
        </span>
      </div>
      {charting ? <ChartPanel onClose={() => setCharting(false)} /> : null}
      {statistics ? <StatisticsPanel run={runAsCaller} actingAs={who} onClose={() => setStatistics(false)} /> : null}
      {comparing && settings.devTokens ? <ComparePanel agencies={identities.map((i) => i.agency)} onClose={() => setComparing(false)} run={runAnswer} /> : null}
      {permissions && settings.devTokens ? (
        <PermissionsPanel agencies={identities.map((i) => i.agency)} onClose={() => setPermissions(false)} run={runAnswer} />
      ) : null}
    </GraphiQL>
  );
}

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  try {
    const settings = await loadSettings();
    // Production mode: no dev identities are asked for, let alone offered.
    const identities = settings.devTokens ? await loadIdentities() : [];
    root.render(
      <StrictMode>
        <App settings={settings} identities={identities} />
      </StrictMode>,
    );
  } catch (e) {
    root.render(<p className="hub-error">The console could not reach the gateway: {(e as Error).message}</p>);
  }
}

void boot();
