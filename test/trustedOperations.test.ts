import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationHash, parseManifest, TrustedOperations } from '../src/gateway/trustedOperations';
import { ConfigError } from '../src/shared/errors';
import { hub } from './support/cli';
import { startTestHub, type TestHub } from './support/hub';

/** What a front end's build hands over: its operations in .graphql files. */
const FRONT_END_OPERATIONS = `
query District($code: String!) { district(code: $code) { ...DistrictName } }
query Districts { districts { ...DistrictName } }
fragment DistrictName on District { code name }
`;

let t: TestHub;
let dir: string;
let manifest: Record<string, string>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pingan-hub-trusted-'));
  writeFileSync(join(dir, 'districts.graphql'), FRONT_END_OPERATIONS);
  const built = hub(['manifest', dir, '--out', join(dir, 'manifest.json')]);
  expect(built.stderr).toContain('2 operations registered');
  expect(built.status).toBe(0);
  manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, string>;
  t = await startTestHub({ TRUSTED_OPERATIONS_FILE: join(dir, 'manifest.json') });
});
afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const hashOf = (name: string) => Object.keys(manifest).find((h) => manifest[h].startsWith(`query ${name}`))!;

async function post(body: unknown, init: { method?: string } = {}) {
  const before = t.subgraphRequests();
  const token = await t.token('police');
  const res =
    init.method === 'GET'
      ? await fetch(
          `${t.url}?${new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()}`,
          { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } },
        )
      : await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const json = (await res.json()) as { data?: Record<string, unknown>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  return { status: res.status, json, calls: t.subgraphRequests() - before };
}

describe('hub manifest', () => {
  it('registers each named operation with the fragments it uses, keyed by the SHA-256 of its document', () => {
    expect(Object.keys(manifest)).toHaveLength(2);
    for (const [hash, document] of Object.entries(manifest)) {
      expect(operationHash(document)).toBe(hash);
      expect(document).toContain('fragment DistrictName on District');
    }
  });

  it('refuses operations that do not validate against the schema, or are anonymous', () => {
    writeFileSync(join(dir, 'bad.graphql'), '{ districts { code } } query Broken { districts { nope } }');
    try {
      const res = hub(['manifest', join(dir, 'bad.graphql')]);
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('every operation needs a name');
      expect(res.stderr).toContain('Broken: Cannot query field "nope" on type "District"');
    } finally {
      rmSync(join(dir, 'bad.graphql'));
    }
  });

  it('stops the start on a tampered manifest', () => {
    const [hash, document] = Object.entries(manifest)[0];
    expect(() => parseManifest(JSON.stringify({ [hash]: document.replace('name', 'name code') }), 'm.json')).toThrow(ConfigError);
    expect(() => TrustedOperations.load(join(dir, 'missing.json'))).toThrow(/cannot read/);
  });
});

describe('trusted-operations mode', () => {
  it('runs a registered operation sent by hash alone, by hash with its document, or as the document alone (POST and GET)', async () => {
    const hash = hashOf('District');
    const persistedQuery = { version: 1, sha256Hash: hash };
    for (const [body, method] of [
      [{ extensions: { persistedQuery }, variables: { code: '211402' } }, 'POST'],
      [{ query: manifest[hash], extensions: { persistedQuery }, variables: { code: '211402' } }, 'POST'],
      [{ query: manifest[hash], variables: { code: '211402' } }, 'POST'],
      [{ extensions: { persistedQuery }, variables: { code: '211402' } }, 'GET'],
    ] as const) {
      const res = await post(body, { method });
      expect({ method, status: res.status, data: res.json.data }).toEqual({
        method,
        status: 200,
        data: { district: { code: '211402', name: expect.any(String) } },
      });
      expect(res.calls).toBeGreaterThan(0);
    }
  });

  it('refuses an unregistered document, an unknown hash, and a registered hash sent with another document, before any subgraph', async () => {
    const hash = hashOf('District');
    const other = 'query District($code: String!) { district(code: $code) { code name } }';
    const widened = manifest[hash].replace(/\n {2}name\n/, '\n  name\n  parent { code }\n');
    expect(widened).not.toBe(manifest[hash]);
    for (const body of [
      { query: other },
      { query: widened },
      { extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(other) } } },
      { query: widened, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
      { query: `${manifest[hash]} `, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
    ]) {
      const res = await post({ ...body, variables: { code: '211402' } });
      expect({ status: res.status, code: res.json.errors?.[0].extensions?.code, calls: res.calls }).toEqual({
        status: 400,
        code: 'OPERATION_NOT_TRUSTED',
        calls: 0,
      });
    }
  });
});
