import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devIdentities, devToken, type DevIdentity } from '../../src/auth/devTokens';
import { bindCall, fetchHash, INTERNAL_CALL_HEADER, signInternalToken } from '../../src/auth/internalToken';
import type { Agency, Viewer } from '../../src/auth/viewer';
import { INTERNAL_TOKEN_HEADER } from '../../src/kit/server';
import { startHub, type RunningHub } from '../../src/cli/runtime';
import { loadConfig } from '../../src/shared/config';
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/shared/db';
import { buildDemoCity, DEMO_SIZES } from '../../src/demo/city';
import type { DemoCity } from '../../src/demo/types';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }> };
}

export interface TestHub {
  hub: RunningHub;
  url: string;
  city: DemoCity;
  database: string;
  serverUrl: string;
  /** The hub's data folder (holds its dev keys). */
  dataDir: string;
  /** Each subgraph's GraphQL URL and operations base URL, for a gateway of a test's own in front of them. */
  subgraphUrls: Record<string, string>;
  subgraphOpsUrls: Record<string, string>;
  /** A dev token for one of the ready-made identities, optionally changed. */
  token(agency: Agency, overrides?: Partial<DevIdentity> & { ttl?: string }): Promise<string>;
  /** POSTs a GraphQL request to the gateway as `who` (an agency's dev identity, a raw token, or nobody). */
  query<T = Record<string, unknown>>(
    who: Agency | { token: string; headers?: Record<string, string> } | null,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /**
   * POSTs straight to one department's subgraph, bypassing the gateway, with an internal token
   * for `agency`'s dev identity (or the given raw token header value, or none).
   */
  subgraphQuery<T = Record<string, unknown>>(
    department: string,
    who: Agency | { internalToken: string; call?: string } | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>>;
  /** An internal token as the gateway signs one for `viewer`'s request (default: 10 s to its deadline). */
  internalToken(viewer: Viewer, deadline?: number): Promise<string>;
  /** The call binding the gateway would send with `token` to `department` for `query` (no operation name). */
  bindCall(department: string, token: string, query: string, deadline?: number): string;
  /** An internal token for `agency`'s dev identity, optionally changed (e.g. a city-wide jurisdiction), as the gateway signs it. */
  agencyInternalToken(agency: Agency, overrides?: Partial<DevIdentity>): Promise<string>;
  /** SQL statements all subgraphs sent since start. */
  sqlStatements(): number;
  /** GraphQL requests all subgraphs received since start (the gateway's calls, and `subgraphQuery`'s). */
  subgraphRequests(): number;
  stop(): Promise<void>;
}

/**
 * The whole hub for one test file: its own database cloned from the migrated, seeded template
 * (made by globalSetup), five subgraphs and the gateway on free loopback ports.
 */
export async function startTestHub(env: Record<string, string> = {}): Promise<TestHub> {
  const serverUrl = process.env.HUB_TEST_SERVER_URL!;
  const database = `hub_test_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(serverUrl, database, process.env.HUB_TEST_TEMPLATE);
  const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-test-'));
  // Test files send bursts as one identity; rate limits are tested where a test sets them (`env`).
  const config = loadConfig({ HUB_DATA_DIR: dataDir, RATE_LIMIT_SUBJECT_BURST: '1000000', RATE_LIMIT_AGENCY_BURST: '1000000', ...env });
  // As `npm start` runs: migrated by the database's owner, served by each subgraph's own login without superuser rights.
  const hub = await startHub({ config, databaseUrl: withDatabase(serverUrl, database), randomPorts: true, servingLogins: true });
  const city = buildDemoCity(DEMO_SIZES.small);
  const identities = devIdentities(city.grids[0].code);
  const internalToken: TestHub['internalToken'] = (viewer, deadline = Date.now() + 10_000) =>
    signInternalToken(hub.keys.internalSigningKey!, { viewer, purpose: null }, deadline);
  const bind: TestHub['bindCall'] = (department, token, query, deadline = Date.now() + 10_000) =>
    bindCall(config.personKeySecret, token, { subgraph: department, requestId: 'test', fetchHash: fetchHash(query, null), deadline });
  const token: TestHub['token'] = (agency, overrides = {}) => {
    const base = identities.find((i) => i.agency === agency)!;
    return devToken(hub.keys.devCallerSigningKey!, hub.keys.callerIssuer, hub.keys.callerAudience, { ...base, ...overrides }, overrides.ttl);
  };
  return {
    hub,
    url: hub.gatewayUrl,
    city,
    database,
    serverUrl,
    dataDir,
    subgraphUrls: Object.fromEntries(Object.values(hub.subgraphs).map((s) => [s.department, s.url])),
    subgraphOpsUrls: Object.fromEntries(Object.values(hub.subgraphs).map((s) => [s.department, s.opsUrl])),
    token,
    internalToken,
    bindCall: bind,
    async query(who, query, variables, headers = {}) {
      const auth: Record<string, string> = {};
      if (typeof who === 'string') auth.authorization = `Bearer ${await token(who)}`;
      else if (who) Object.assign(auth, { authorization: `Bearer ${who.token}` }, who.headers);
      const res = await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] } as never;
    },
    async subgraphQuery(department, who, query, variables) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (typeof who === 'string') {
        const token = await internalToken(identities.find((i) => i.agency === who)!);
        Object.assign(headers, { [INTERNAL_TOKEN_HEADER]: token, [INTERNAL_CALL_HEADER]: bind(department, token, query) });
      } else if (who)
        Object.assign(headers, { [INTERNAL_TOKEN_HEADER]: who.internalToken, [INTERNAL_CALL_HEADER]: who.call ?? bind(department, who.internalToken, query) });
      const res = await fetch(hub.subgraphs[department].url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] } as never;
    },
    agencyInternalToken: (agency, overrides = {}) => internalToken({ ...identities.find((i) => i.agency === agency)!, ...overrides }),
    sqlStatements: () => Object.values(hub.subgraphs).reduce((n, s) => n + s.stats.sqlStatements, 0),
    subgraphRequests: () => Object.values(hub.subgraphs).reduce((n, s) => n + s.stats.requests, 0),
    async stop() {
      await hub.stop();
      await dropDatabase(serverUrl, database);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
