import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { SubgraphContext } from '../kit/context';
import type { AccessEntry } from './chain';
import { auditPlugin } from './plugin';

/**
 * The deadline rule on its own (the integration tests cover the rest through real PostgreSQL): an
 * answer finished after the request's deadline is not recorded, and its sensitive values are
 * withheld; one finished in time is recorded. The writer here only records what it was given.
 */
async function respond(deadline: number | null): Promise<{ written: AccessEntry[][]; data: Record<string, unknown>; codes: unknown[] }> {
  const written: AccessEntry[][] = [];
  const plugin = auditPlugin({ write: async (entries) => void written.push(entries) }, 'grid');
  const record = {};
  const ctx = {
    requestId: 'r1',
    viewer: { sub: 'po-1', name: '', agency: 'police', roles: [], jurisdiction: [] },
    operation: null,
    documentHash: null,
    purpose: null,
    deadline,
    decisions: [
      {
        typeName: 'Person',
        field: 'name',
        entityId: 'P1',
        outcome: 'allow',
        reason: 'allowed',
        paths: [
          ['a', 'name'],
          ['b', 'name'],
        ],
        sealed: false,
      },
    ],
    touched: {
      byRecord: new Map([[record, { typeName: 'Person', entityId: 'P1', fields: new Set(['name']), paths: [['a'], ['b']], sealed: false }]]),
      byObject: new WeakMap(),
    },
  } as unknown as SubgraphContext & { deadline: number | null };
  const data = { a: { name: '张三' }, b: { name: '张三' } };
  const response = { body: { kind: 'single' as const, singleResult: { data } } };
  const hooks = await plugin.requestDidStart!({} as never);
  await hooks!.willSendResponse!({ contextValue: ctx, response } as unknown as GraphQLRequestContextWillSendResponse<
    SubgraphContext & { deadline: number | null }
  >);
  const result = response.body.singleResult as { data: Record<string, unknown>; errors?: Array<{ extensions?: { code?: unknown } }> };
  return { written, data: result.data, codes: (result.errors ?? []).map((e) => e.extensions?.code) };
}

describe('audit plugin and the request deadline', () => {
  it('writes nothing and withholds every path when the answer is past its deadline', async () => {
    const late = await respond(Date.now() - 1);
    expect(late.written).toEqual([]);
    expect(late.data).toEqual({ a: { name: null }, b: { name: null } });
    expect(late.codes).toEqual(['AUDIT_UNAVAILABLE', 'AUDIT_UNAVAILABLE']);
  });

  it('records the record looked up and every path of the field when in time (or with no deadline)', async () => {
    for (const deadline of [Date.now() + 60_000, null]) {
      const inTime = await respond(deadline);
      expect(inTime.data).toEqual({ a: { name: '张三' }, b: { name: '张三' } });
      expect(inTime.written).toHaveLength(1);
      expect(inTime.written[0].map((e) => [e.field, e.paths])).toEqual([
        ['*', ['a', 'b']],
        ['name', ['a.name', 'b.name']],
      ]);
    }
  });
});
