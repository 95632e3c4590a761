import type { CryptoKey } from 'jose';
import { STEP_TOKEN_HEADER, signStepToken } from '../auth/stepToken';
import { CIVIL_TO_CRIMINAL_PROTOCOL, STATISTICS_SERVICE } from '../analytics/civilToCriminal';
import { matchCounts } from '../analytics/psi';
import { decodeGroups, encodeGroups, type WireGroups } from '../analytics/psiSteps';
import { HttpError } from '../shared/http';
import { withSubgraphOrm } from '../kit/migrate';
import type { ReleaseSummary, SubgraphDefinition } from '../kit/department';
import type { Policy } from '../policy/policy';
import { subgraphs } from '../subgraphs';

/** What a 民转刑 run stored, and what the coordinator saw: the sizes of the two blinded sets (and the bytes it moved, over HTTP). */
export interface CivilToCriminalRun extends ReleaseSummary {
  department: 'civilToCriminal';
  seconds: number;
  elements: { police: number; justice: number };
  /** Bytes of the steps' bodies sent and received (distributed mode). */
  traffic?: StepTraffic;
}

/** The two departments of the protocol. */
type Side = 'police' | 'justice';

/** One internal step of a department, with its JSON body; resolves to its JSON answer, or rejects (StepFailed) with the step's status and code. */
export type StepCall = (department: Side, step: string, body: unknown) => Promise<unknown>;

/** A step the department refused or could not run: its status and stable code (never a value of the body). */
export class StepFailed extends Error {
  override name = 'StepFailed';
  constructor(
    readonly department: string,
    readonly step: string,
    readonly status: number,
    readonly code: string,
    where?: string,
  ) {
    super(`${department} ${step}: ${status ? `${status} ` : ''}${code}${where ? ` at ${where}` : ''}`);
  }
}

export interface StepTraffic {
  sent: number;
  received: number;
}

/** How long one step may take over HTTP: the city's justice bureau blinds some 430,000 elements (about a minute). */
const STEP_TIMEOUT_MS = 10 * 60_000;

/**
 * Distributed mode: each step is a POST to `internal/<step>` beside the department's GraphQL URL
 * (`SUBGRAPH_URL_<NAME>`), with a step token for that department, step and body, signed with the
 * internal key. `traffic` adds up the bodies' bytes.
 */
export function httpSteps(urls: Record<Side, string>, signingKey: CryptoKey, traffic: StepTraffic = { sent: 0, received: 0 }): StepCall {
  return async (department, step, body) => {
    const text = JSON.stringify(body);
    const token = await signStepToken(signingKey, { service: STATISTICS_SERVICE, department, step, body: text });
    const url = new URL(`internal/${step}`, urls[department]);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [STEP_TOKEN_HEADER]: token },
      body: text,
      signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
    }).catch((e: unknown) => {
      // Not reached, or no answer in time: say where (SUBGRAPH_URL_<NAME>), as a stable code.
      throw new StepFailed(department, step, 0, (e as Error).name === 'TimeoutError' ? 'TIMEOUT' : 'UNREACHABLE', url.origin);
    });
    const answer = await res.text();
    traffic.sent += Buffer.byteLength(text);
    traffic.received += Buffer.byteLength(answer);
    if (!res.ok) {
      let code: unknown;
      try {
        code = (JSON.parse(answer) as { errors?: Array<{ extensions?: { code?: unknown } }> }).errors?.[0]?.extensions?.code;
      } catch {
        // Not the department's answer (a proxy's page): the status says enough.
      }
      throw new StepFailed(department, step, res.status, typeof code === 'string' ? code : 'ERROR');
    }
    return JSON.parse(answer) as unknown;
  };
}

/**
 * Embedded mode: the departments' steps in this process, the same code their subgraphs serve, on
 * their databases at `urls` (opened for `work` and closed after), with `policy`'s release rules.
 */
export async function withLocalSteps<T>(urls: Record<Side, string>, policy: Policy, work: (call: StepCall) => Promise<T>): Promise<T> {
  const open = (def: SubgraphDefinition, url: string, inner: (run: (step: string, body: unknown) => Promise<unknown>) => Promise<T>) =>
    withSubgraphOrm(
      def,
      url,
      (orm) =>
        inner(async (step, body) => {
          const found = def.serviceSteps?.[step];
          if (!found) throw new StepFailed(def.name, step, 404, 'NOT_FOUND');
          try {
            return await found.run({ department: def.name, em: orm.em.fork(), policy }, body);
          } catch (e) {
            throw e instanceof HttpError ? new StepFailed(def.name, step, e.status, e.code) : e;
          }
        }),
      { statementTimeoutMs: 0, poolMax: 1 },
    );
  return open(subgraphs.police, urls.police, (police) =>
    open(subgraphs.justice, urls.justice, (justice) => work((d, step, body) => (d === 'police' ? police : justice)(step, body))),
  );
}

const step = (name: string) => `${CIVIL_TO_CRIMINAL_PROTOCOL}/${name}`;

/** A start's answer: a run and its blinded groups, or (police, `unlessStored`) that a release is stored. */
function started(department: Side, answer: unknown): { run: string; groups: Map<string, Uint8Array[]> } | null {
  const a = answer as { run?: unknown; groups?: WireGroups; stored?: unknown };
  if (a?.stored === true) return null;
  if (typeof a?.run !== 'string') throw new StepFailed(department, step('start'), 200, 'NO_RUN');
  return { run: a.run, groups: decodeGroups(a.groups) };
}

const size = (groups: ReadonlyMap<string, readonly unknown[]>) => [...groups.values()].reduce((n, g) => n + g.length, 0);

/**
 * The coordinator of 民转刑 (the statistics refresh), through `call` — HTTP to the departments'
 * processes in distributed mode, in process in embedded mode. Each side blinds its own set in its
 * own process and keeps its scalar there; the coordinator hands each side the other's blinded
 * groups to reblind, counts the equal doubly blinded values per county and year, and gives the
 * counts to the police to decide and store. It never reads either department's records.
 * `onlyIfMissing`: nothing when a release of it is stored (a start).
 */
export async function refreshCivilToCriminal(
  call: StepCall,
  opts: { onlyIfMissing?: boolean; traffic?: StepTraffic } = {},
): Promise<CivilToCriminalRun | null> {
  const begun = Date.now();
  const police = started('police', await call('police', step('start'), opts.onlyIfMissing ? { unlessStored: true } : {}));
  if (!police) return null;
  const justice = started('justice', await call('justice', step('start'), {}));
  if (!justice) throw new StepFailed('justice', step('start'), 200, 'NO_RUN');
  // Both reblinds at once: in distributed mode each runs in its own department's process.
  const [policeByJustice, justiceByPolice] = await Promise.all([
    call('justice', step('reblind'), { run: justice.run, groups: encodeGroups(police.groups) }),
    call('police', step('reblind'), { run: police.run, groups: encodeGroups(justice.groups) }),
  ]);
  const groupsOf = (answer: unknown) => decodeGroups((answer as { groups?: unknown })?.groups);
  const counts = matchCounts(groupsOf(policeByJustice), groupsOf(justiceByPolice));
  const summary = (await call('police', step('store'), { counts: Object.fromEntries(counts) })) as ReleaseSummary;
  return {
    department: 'civilToCriminal',
    cells: summary.cells,
    withheld: summary.withheld,
    audit: summary.audit,
    seconds: (Date.now() - begun) / 1000,
    elements: { police: size(police.groups), justice: size(justice.groups) },
    ...(opts.traffic ? { traffic: opts.traffic } : {}),
  };
}
