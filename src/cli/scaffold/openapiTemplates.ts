import { extendsSource, type StubDeclaration } from './templates';
import type { ApiEntity, ApiModel, ApiProperty } from './fromOpenApi';

/**
 * The files `hub new-department <name> --from-openapi <spec>` writes: GraphQL types from the
 * spec's schemas, queries from its GET operations, loaders that batch (`?ids=`) or de-duplicate
 * every call, links to Person (ID numbers) and District (district codes), a deny-by-default
 * policy stanza and a test that compares the graph's answers with the API's own.
 */
export interface ApiNames {
  name: string;
  pascal: string;
  model: ApiModel;
  /** The spec, relative to the repository root (named in comments). */
  spec: string;
}

const TS = { String: 'string', Int: 'number', Float: 'number', Boolean: 'boolean' } as const;
const apiConst = (n: ApiNames) => `${n.name}Api`;
const byKey = (e: ApiEntity) => `${e.one}ByKey`;
const linkName = (e: ApiEntity, p: ApiProperty, kind: 'idNumber' | 'district') => {
  const several = e.properties.filter((x) => x[kind]).length > 1;
  const base = kind === 'idNumber' ? 'person' : 'district';
  return several ? `${p.name}${base[0].toUpperCase()}${base.slice(1)}` : base;
};
const uses = (n: ApiNames, kind: 'idNumber' | 'district') => n.model.entities.some((e) => e.properties.some((p) => p[kind]));

export function apiClientFile(n: ApiNames): string {
  return `import { DepartmentApi } from '../../kit/api';

/**
 * The ${n.name} department's own API (${n.spec}). Its spec's server by default; where the hub runs,
 * \`API_URL_${n.name.toUpperCase()}\` says where it is. Every call: timeout, retries with backoff, circuit breaker.
 */
export const ${apiConst(n)} = new DepartmentApi('${n.name}', '${n.model.serverUrl}');
`;
}

function field(e: ApiEntity, p: ApiProperty): string {
  // The spec's own description when it has one; else where the value comes from, to be rewritten.
  const doc = `, description: ${JSON.stringify(p.description?.trim() || `${p.name} of a ${e.schema}, as the API answers it.`)}`;
  if (p.name === e.key) return `  @Field(() => ID, { ${doc.slice(2)} })\n  ${p.name}!: string;\n`;
  if (p.idNumber)
    return `  /** ID numbers (${p.name}): never a field; \`${linkName(e, p, 'idNumber')}\` links to Person by the key computed from it. */\n  ${p.name}!: string | null;\n`;
  // Every field but the key is nullable: the policy may deny or mask any of them without losing the record.
  return `  @Field(() => ${p.graphql}, { nullable: true${doc} })\n  ${p.name}!: ${TS[p.graphql]}${p.nullable ? ' | null' : ''};\n`;
}

export function apiEntitiesFile(n: ApiNames): string {
  const gql = new Set(['Directive', 'Field', 'ID', 'ObjectType']);
  for (const e of n.model.entities)
    for (const p of e.properties) if (p.name !== e.key && !p.idNumber && (p.graphql === 'Int' || p.graphql === 'Float')) gql.add(p.graphql);
  return `import { ${[...gql].sort().join(', ')} } from 'type-graphql';

/*
 * Scaffolded by \`hub new-department ${n.name} --from-openapi ${n.spec}\`: the records the API answers,
 * as its spec describes them (plain classes: nothing is stored in the hub).
 */

${n.model.entities
  .map(
    (e) => `/** ${e.schema} of the ${n.name} department's API, as it answers it. */
@ObjectType({ description: 'A ${e.schema} record of the ${n.name} department\\'s own API.' })
@Directive('@key(fields: "${e.key}")')
export class ${e.type} {
${e.properties.map((p) => field(e, p)).join('\n')}}
`,
  )
  .join('\n')}`;
}

/** The other departments' entities the API's records point to: a person by ID number, a district by code. */
function apiStubs(n: ApiNames): StubDeclaration[] {
  return [
    ...(uses(n, 'idNumber')
      ? [{ type: 'Person' as const, key: 'id', description: `A resident (owned by grid); ${n.name}'s records point to the person by key.` }]
      : []),
    ...(uses(n, 'district')
      ? [{ type: 'District' as const, key: 'code', description: `A district or township (owned by grid); ${n.name}'s records point to it by code.` }]
      : []),
  ];
}

export function apiExtendsFile(n: ApiNames): string {
  return extendsSource(n.name, apiStubs(n));
}

export function apiLoadersFile(n: ApiNames): string {
  return `import type { SubgraphContext } from '../../kit/context';
import { recordsByKey } from '../../kit/api';
import { ${apiConst(n)} } from './api';
import type { ${n.model.entities.map((e) => e.type).join(', ')} } from './entities';

/* Batched calls: ${n.model.entities.some((e) => e.list?.batch) ? 'one call per batch of keys where the API takes a list of them, ' : ''}one call per distinct key otherwise (DataLoader de-duplicates within a request). */

${n.model.entities
  .map(
    (e) => `/** ${e.schema} records by ${e.key}. */
export function ${byKey(e)}(ctx: SubgraphContext) {
  return recordsByKey<${e.type}>(ctx, ${apiConst(n)}, '${e.type}', {
    key: '${e.key}',
${e.list?.batch ? `    batch: { path: '${e.list.path}', param: '${e.list.batch.param}', max: ${e.list.batch.max} },\n` : ''}    item: '${e.item}',
  });
}`,
  )
  .join('\n\n')}
`;
}

function listQuery(n: ApiNames, e: ApiEntity): string {
  if (!e.list) return '';
  const args = e.list.filters
    .map(
      (f) => `    @Arg('${f}', () => String, { nullable: true, description: 'Sent to the API as ?${f}= (GET ${e.list!.path}).' }) ${f}: string | undefined,\n`,
    )
    .join('');
  const query = e.list.filters.map((f) => `      ...(${f} ? { ${f} } : {}),\n`).join('');
  return `
  @Query(() => [${e.type}], { description: 'Records from GET ${e.list.path}${e.list.filters.length ? ` (filters: ${e.list.filters.join(', ')})` : ''}, as the API orders them; at most \`first\`.' })
  async ${e.many}(
    @Arg('first', () => Int, { nullable: true, description: 'At most this many (default 20, at most the hub\\'s page size).' }) first: number | undefined,
${args}    @Ctx() ctx: SubgraphContext,
  ): Promise<${e.type}[]> {
    const body = await ${apiConst(n)}.get('${e.list.path}', {
${query}${e.list.limit ? `      ${e.list.limit}: String(checkedPageSize(first, ctx.maxPageSize)),\n` : ''}    });
    // The policy's rowScope cannot be sent to the API: records outside the viewer's jurisdiction are dropped here.
    return inRowScope(ctx, '${e.type}', asRecords<${e.type}>(${apiConst(n)}, body, '${e.key}')).slice(0, checkedPageSize(first, ctx.maxPageSize));
  }
`;
}

function linkResolvers(e: ApiEntity): string {
  return e.properties
    .filter((p) => p.idNumber || p.district)
    .map((p) =>
      p.idNumber
        ? `
  @FieldResolver(() => Person, { nullable: true, description: 'The person (owned by grid) whose ID number is in ${p.name}; null when there is none or it is not valid.' })
  ${linkName(e, p, 'idNumber')}(@Root() record: ${e.type}, @Ctx() ctx: SubgraphContext): Person | null {
    const id = personKeyOf(ctx, record.${p.name});
    return id ? stubOf(Person, { id }) : null;
  }
`
        : `
  @FieldResolver(() => District, { nullable: true, description: 'The district (owned by grid) of ${p.name}.' })
  ${linkName(e, p, 'district')}(@Root() record: ${e.type}): District | null {
    return record.${p.name} ? stubOf(District, { code: record.${p.name} }) : null;
  }
`,
    )
    .join('');
}

export function apiResolversFile(n: ApiNames): string {
  const anyList = n.model.entities.some((e) => e.list);
  const anyLink = uses(n, 'idNumber') || uses(n, 'district');
  const tg = ['Arg', 'Ctx', 'ID', 'Query', 'Resolver', ...(anyList ? ['Int'] : []), ...(anyLink ? ['FieldResolver', 'Root'] : [])].sort();
  const stubs = apiStubs(n)
    .map((s) => s.type)
    .sort();
  return `import { ${tg.join(', ')} } from 'type-graphql';
${anyList ? "import { asRecords, inRowScope } from '../../kit/api';\n" : ''}import type { SubgraphContext } from '../../kit/context';
${uses(n, 'idNumber') ? "import { personKeyOf } from '../../kit/existing';\n" : ''}${anyLink ? "import { stubOf } from '../../kit/extends';\n" : ''}${anyList ? "import { checkedPageSize } from '../../kit/pagination';\n" : ''}${anyList ? `import { ${apiConst(n)} } from './api';\n` : ''}import { ${n.model.entities.map((e) => e.type).join(', ')} } from './entities';
import { ${n.model.entities.map(byKey).join(', ')} } from './loaders';
${stubs.length ? `import { ${stubs.join(', ')} } from './extends';\n` : ''}
${n.model.entities
  .map(
    (e) => `@Resolver(() => ${e.type})
export class ${e.type}Resolver {
  @Query(() => ${e.type}, { nullable: true, description: 'One record from GET ${e.item.replace('{key}', `{${e.key}}`)}.' })
  ${e.one}(@Arg('${e.key}', () => ID, { description: 'Its key (${e.key}).' }) ${e.key}: string, @Ctx() ctx: SubgraphContext): Promise<${e.type} | null> {
    return ${byKey(e)}(ctx).load(${e.key});
  }
${listQuery(n, e)}${linkResolvers(e)}}
`,
  )
  .join('\n')}`;
}

export function apiIndexFile(n: ApiNames): string {
  const links = apiStubs(n).length > 0;
  return `import type { DepartmentDefinition } from '../../kit/department';
${links ? "import { stubReferences } from '../../kit/extends';\n" : ''}import { representationKey } from '../../kit/references';
import { ${apiConst(n)} } from './api';
import { ${n.model.entities.map(byKey).join(', ')} } from './loaders';
import { ${n.model.entities.map((e) => `${e.type}Resolver`).join(', ')} } from './resolvers';
${links ? `import { ${n.name}Extends } from './extends';\n` : ''}
/**
 * The ${n.name} department (scaffolded by \`hub new-department ${n.name} --from-openapi\`): its records stay
 * behind its own API (\`API_URL_${n.name.toUpperCase()}\`); nothing is stored in the hub. See docs/integrating-a-department.md.
 */
export const ${n.name}Department: DepartmentDefinition = {
  name: '${n.name}',
  existingApi: { client: ${apiConst(n)} },
  entities: [],
  migrations: [],
  resolvers: [${n.model.entities.map((e) => `${e.type}Resolver`).join(', ')}],
  referenceResolvers: {
${n.model.entities.map((e) => `    ${e.type}: (representation, ctx) => ${byKey(e)}(ctx).load(representationKey(representation, '${e.key}')),\n`).join('')}${links ? `    ...stubReferences(${n.name}Extends),\n` : ''}  },
  // Nothing to seed: the records are the department's own.
  seed: () => [],
};
`;
}

export function apiPolicyEntries(n: ApiNames): { query: string[]; person: string[]; types: string[] } {
  const rule = (heading: string) => heading + '-'.repeat(Math.max(4, 100 - heading.length));
  return {
    query: n.model.entities.flatMap((e) => [`      ${e.one}: { admin: allow }`, ...(e.list ? [`      ${e.many}: { admin: allow }`] : [])]),
    person: [],
    types: [
      '',
      rule(`  # ---- ${n.pascal} (scaffolded by \`hub new-department ${n.name} --from-openapi\`) `),
      `  # Deny by default: only admin sees these records until the policy is written. Add \`scope\` (the`,
      `  # property with a division code) and \`rowScope\`, grant agencies under Query, list sensitive`,
      `  # fields under \`fields\` with their legal basis.`,
      ...n.model.entities.flatMap((e) => [
        `  ${e.type}:`,
        `    description: ${e.schema} records of the ${n.name} department's own API (scaffolded; admin only until the policy is written).`,
        `    visible: [admin]`,
      ]),
    ],
  };
}

export function apiTestFile(n: ApiNames): string {
  const env = `API_URL_${n.name.toUpperCase()}`;
  const blocks = n.model.entities
    .filter((e) => e.list)
    .map((e) => {
      const shown = e.properties.filter((p) => !p.idNumber);
      const person = e.properties.find((p) => p.idNumber);
      const district = e.properties.find((p) => p.district);
      const selection = [
        ...shown.map((p) => p.name),
        ...(person ? [`${linkName(e, person, 'idNumber')} { id }`] : []),
        ...(district ? [`${linkName(e, district, 'district')} { code }`] : []),
      ].join(' ');
      const expected = [
        ...shown.map((p) => `${p.name}: ${p.name === e.key ? `r.${p.name}` : `asAdmin('${e.type}', '${p.name}', r, r.${p.name} ?? null)`}`),
        ...(person ? [`${linkName(e, person, 'idNumber')}: personOf(r.${person.name} as string | null)`] : []),
        ...(district ? [`${linkName(e, district, 'district')}: r.${district.name} ? { code: r.${district.name} } : null`] : []),
      ].join(', ');
      return `describe('${e.type} (${e.schema} of the API)', () => {
  const SELECTION = '${selection}';
  const answered = (r: Record<string, unknown>) => ({ ${expected} });

  it('answers what the API answers, as admin, as the policy shows it; many records by key in one request', async () => {
    const rows = (await upstream('${e.list!.path}')).slice(0, 5);
    expect(rows.length).toBeGreaterThan(0);
    const list = await t.query<{ ${e.many}: unknown[] }>('admin', \`{ ${e.many}(first: \${rows.length}) { \${SELECTION} } }\`);
    expect(unexpected(list.body.errors)).toEqual([]);
    expect(list.body.data!.${e.many}).toEqual(rows.map(answered));
    const keys = rows.map((r) => String(r.${e.key}));
    const one = await t.subgraphQuery<{ _entities: unknown[] }>('${n.name}', 'admin',
      \`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${e.type} { \${SELECTION} } } }\`,
      { r: [...keys, 'no-such-key'].map((k) => ({ __typename: '${e.type}', ${e.key}: k })) });
    expect(unexpected(one.body.errors)).toEqual([]);
    expect(one.body.data!._entities).toEqual([...rows.map(answered), null]);
  });

  it('denies the agencies the policy does not grant (deny by default)', async () => {
    const res = await t.query(deniedAgency('${e.many}'), '{ ${e.many}(first: 1) { ${e.key} } }');
    expect(res.body.data?.${e.many} ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
  });
});
`;
    });
  return `import { ${apiConst(n)} } from '../src/subgraphs/${n.name}/api';
import { startTestHub, type TestHub } from './support/hub';
import { asAdmin, deniedAgency, ${uses(n, 'idNumber') ? 'personOf, ' : ''}unexpected } from './support/scaffolded';

/**
 * The ${n.name} department (scaffolded from its OpenAPI spec) through the gateway, compared with what
 * its API answers. The API: ${env} when set, else the spec's server (or the dev stand-in, if any).
 */
let t: TestHub;
beforeAll(async () => {
  const own = process.env.${env};
  t = await startTestHub(own ? { ${env}: own } : {});
});
afterAll(async () => {
  await t?.stop();
});

/** What the API itself answers (read straight from it, as the hub's client is configured). */
async function upstream(path: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(\`\${${apiConst(n)}.baseUrl.replace(/\\/$/, '')}\${path}\`);
  expect(res.status).toBe(200);
  return (await res.json()) as Array<Record<string, unknown>>;
}

${blocks.join('\n')}`;
}
