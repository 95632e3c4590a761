import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLError } from 'graphql';
import { buildSchema, Query, Resolver } from 'type-graphql';
import { entityStub, stubOf, stubReferences } from '../kit/extends';
import { caseFlowStub, districtMonthStub } from './computed';

@Resolver()
class NothingResolver {
  @Query(() => Boolean)
  nothing(): boolean {
    return false;
  }
}

const Case = entityStub('PoliceCase', 'caseNo', { isKey: (v) => v.startsWith('A'), description: 'A case (owned elsewhere).' });
const Grid = entityStub('Grid', 'code', { pointsOnly: true });
const Flow = caseFlowStub('prosecutedCaseKeys');
const Month = districtMonthStub();

/** What a stub's reference resolver makes of a representation (it needs no context: a stub loads nothing). */
const resolve = (stub: { reference?: (r: Record<string, unknown>, c: never) => unknown }, representation: Record<string, unknown>) =>
  stub.reference!(representation, undefined as never);

describe("stubs of other departments' entities (kit/extends.ts) and of the computed ones", () => {
  it('print as the hand-written classes did: the key field, the key directive, the external keys a stage requires', async () => {
    const schema = await buildSchema({ resolvers: [NothingResolver], orphanedTypes: [Case, Grid, Flow, Month], skipCheck: true });
    const sdl = printSchemaWithDirectives(schema);
    expect(sdl).toContain('"""A case (owned elsewhere)."""\ntype PoliceCase @key(fields: "caseNo") {\n  caseNo: ID!\n}');
    expect(sdl).toContain('type Grid @key(fields: "code", resolvable: false) {\n  code: ID!\n}');
    expect(sdl).toContain('type CaseFlow @key(fields: "id") {\n  id: ID!\n  prosecutedCaseKeys: [String!] @external\n}');
    expect(sdl).toContain('type DistrictMonth @key(fields: "id") {\n  id: ID!\n}');
  });

  it('resolve a representation from its key alone, refusing a malformed one; a type only pointed to has no resolver', () => {
    expect(resolve(Case, { __typename: 'PoliceCase', caseNo: 'A1' })).toEqual(stubOf(Case, { caseNo: 'A1' }));
    expect(() => resolve(Case, { __typename: 'PoliceCase', caseNo: 'B1' })).toThrow(GraphQLError);
    expect(Object.keys(stubReferences([Case, Grid, Flow, Month]))).toEqual(['PoliceCase', 'CaseFlow', 'DistrictMonth']);
  });

  it('build a computed entity from its id: the hidden fields are the parsed id, plus the keys carried from the stage before', () => {
    expect({ ...(resolve(Month, { __typename: 'DistrictMonth', id: '211402001:2025-01-01:2025-03-31:2025-02' }) as object) }).toEqual({
      id: '211402001:2025-01-01:2025-03-31:2025-02',
      code: '211402001',
      month: '2025-02',
      range: { from: '2025-01-01', to: '2025-03-31' },
    });
    expect({ ...(resolve(Flow, { __typename: 'CaseFlow', id: '211402::2025-12-31', prosecutedCaseKeys: ['211402001|P1'] }) as object) }).toEqual({
      id: '211402::2025-12-31',
      code: '211402',
      range: { from: null, to: '2025-12-31' },
      from: null,
      to: '2025-12-31',
      prosecutedCaseKeys: ['211402001|P1'],
    });
    expect(() => resolve(Flow, { __typename: 'CaseFlow', id: '211402::2025-12-31', prosecutedCaseKeys: [1] })).toThrow(/must be a list of strings/);
    expect(() => resolve(Month, { __typename: 'DistrictMonth', id: '2114:2025-01-01:2025-03-31:2025-02' })).toThrow(GraphQLError);
  });
});
