import type { Agency } from '../src/auth/viewer';
import { CONSOLE_EXAMPLES } from '../console/examples';
import { readSupergraph } from '../src/cli/compose';
import { gatewayOptions } from '../src/cli/runtime';
import { loadConfig } from '../src/shared/config';
import { startGateway, type RunningGateway } from '../src/gateway/server';
import { startTestHub, type TestHub } from './support/hub';

/** The console's HTTP side: the page and its files, dev tokens in dev mode only, and the ready examples. */
let t: TestHub;
let production: RunningGateway;
beforeAll(async () => {
  t = await startTestHub();
  production = await startGateway({
    ...gatewayOptions(loadConfig({ HUB_DATA_DIR: t.dataDir }), { ...t.hub.keys, devCallerSigningKey: undefined }),
    port: 0,
    opsPort: 0,
    supergraphSdl: readSupergraph(),
    subgraphUrls: t.subgraphUrls,
    subgraphOpsUrls: t.subgraphOpsUrls,
  });
});
afterAll(async () => {
  await production?.stop();
  await t?.stop();
});

const at = (gateway: { consoleUrl: string }, path: string) => fetch(new URL(path, gateway.consoleUrl));
/** Status of a GET, with the body read to the end (an unread body keeps its connection, and jest, waiting). */
const statusOf = async (gateway: { consoleUrl: string }, path: string) => {
  const res = await at(gateway, path);
  await res.arrayBuffer();
  return res.status;
};

describe('console page', () => {
  it('serves GraphiQL from the gateway itself, under a strict content security policy', async () => {
    const page = await at(t.hub, '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('/console/main.js');
    expect(html).not.toMatch(/https?:\/\//);
    for (const file of ['main.js', 'main.css', 'editor.worker.js', 'graphql.worker.js', 'json.worker.js']) {
      expect({ file, status: await statusOf(t.hub, `/console/${file}`) }).toEqual({ file, status: 200 });
    }
    expect(await statusOf(t.hub, '/console/../package.json')).toBe(404);
  });

  it('hands out dev tokens for any agency and jurisdiction in dev mode, and they work', async () => {
    const settings = await (await at(t.hub, '/console/settings')).json();
    expect(settings).toEqual({ devTokens: true, graphqlPath: '/graphql' });
    const grid = t.city.grids[1].code;
    const res = await at(t.hub, `/dev/token?agency=grid&jurisdiction=${grid}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; identity: { agency: string; sub: string; jurisdiction: string[] } };
    expect(body.identity).toMatchObject({ agency: 'grid', sub: `gw-${grid}`, jurisdiction: [grid] });
    const people = await t.query<{ persons: { edges: Array<{ node: { grid: { code: string } } }> } }>(
      { token: body.token },
      '{ persons(first: 100) { edges { node { grid { code } } } } }',
    );
    const codes = new Set(people.body.data!.persons.edges.map((e) => e.node.grid.code));
    expect(codes).toEqual(new Set([grid]));

    const identities = (await (await at(t.hub, '/dev/identities')).json()) as { identities: Array<{ agency: string }> };
    expect(identities.identities.map((i) => i.agency)).toEqual([
      'police',
      'procuratorate',
      'court',
      'justice',
      'grid',
      'zongzhi',
      'analyst',
      'oversight',
      'admin',
      'citizen',
    ]);
  });

  it.each([
    ['agency=mayor', 'agency must be one of'],
    ['', 'agency must be one of'],
    ['agency=grid&jurisdiction=2114', 'jurisdiction "2114" is not a 6-, 9- or 12-digit division or grid code'],
  ])('refuses /dev/token?%s with 400', async (query, message) => {
    const res = await at(t.hub, `/dev/token?${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Array<{ message: string }> }).errors[0].message).toContain(message);
  });

  it('has no dev tokens in production mode: 404, and the page is told to ask for a token', async () => {
    for (const path of ['/dev/token?agency=police', '/dev/identities']) expect(await statusOf(production, path)).toBe(404);
    expect(await (await at(production, '/console/settings')).json()).toEqual({ devTokens: false, graphqlPath: '/graphql' });
    expect(await statusOf(production, '/')).toBe(200);
  });
});

describe('console examples', () => {
  it.each(CONSOLE_EXAMPLES.map((x) => [x.name, x] as const))('%s runs as the agency it is written for', async (_name, example) => {
    const res = await t.query(example.agency as Agency, example.query, example.variables);
    expect(res.status).toBe(200);
    expect((res.body.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN_FIELD')).toEqual([]);
    const [top] = Object.values(res.body.data ?? {});
    expect(top).toBeTruthy();
  });
});
