/**
 * The files `hub new-department <name>` writes: a working department with one entity of its own
 * (`<Name>Case`), an extension of `Person`, demo data, a migration and a test, written the way the
 * five departments are, so the result composes, runs and passes its test before anyone edits it.
 */
export interface DepartmentNames {
  /** `petition`: folder, PostgreSQL schema, subgraph name, query field prefix. */
  name: string;
  /** `Petition`. */
  pascal: string;
  /** `PetitionCase`: the department's own entity type. */
  entity: string;
  /** `petitionCase` / `petitionCases`: the query fields, and the field added to Person. */
  one: string;
  many: string;
  /** `petition_case`: its table. */
  table: string;
  /** `PE`: the prefix of its record ids. */
  idPrefix: string;
  /** `Migration20261129120000`. */
  migration: string;
}

export function departmentNames(name: string, now = new Date()): DepartmentNames {
  const pascal = name[0].toUpperCase() + name.slice(1);
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return {
    name,
    pascal,
    entity: `${pascal}Case`,
    one: `${name}Case`,
    many: `${name}Cases`,
    table: `${name}_case`,
    idPrefix: name.slice(0, 2).toUpperCase(),
    migration: `Migration${stamp}`,
  };
}

export function entitiesFile(n: DepartmentNames): string {
  return `import { DateType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../shared/scalars';

export enum ${n.entity}Status {
  RECEIVED = 'RECEIVED',
  IN_PROGRESS = 'IN_PROGRESS',
  CLOSED = 'CLOSED',
}
registerEnumType(${n.entity}Status, {
  name: '${n.entity}Status',
  description: 'Where a ${n.name} case stands.',
  valuesConfig: {
    RECEIVED: { description: 'Received, not handled yet.' },
    IN_PROGRESS: { description: 'Being handled.' },
    CLOSED: { description: 'Closed.' },
  },
});

/**
 * One case of the ${n.name} department, about one person. Scaffolded by \`hub new-department ${n.name}\`:
 * rename and extend it to the department's own records (then \`npm run hub -- migration create ${n.name}\`).
 */
@ObjectType({ description: 'A case of the ${n.name} department about one person.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: '${n.table}' })
@Index({ properties: ['receivedOn', 'id'] })
export class ${n.entity} {
  @Field(() => ID, { description: 'The id of the case.' })
  @PrimaryKey({ type: 'string' })
  id!: string;

  /** The person's opaque key (the same in every department), never the ID number. */
  @Index()
  @Property({ type: 'string', length: 33 })
  personId!: string;

  /**
   * The grid (12 digits) the case belongs to: the finest division, so a jurisdiction of any level
   * (a grid worker's grid, an officer's district) is a prefix of it and the policy's rowScope works for all.
   */
  @Field(() => String, { description: 'The grid (12 digits) the case belongs to; its first 6 digits are the district.' })
  @Index()
  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  @Field(() => DateScalar, { description: 'Day the case was received, YYYY-MM-DD.' })
  @Property({ type: DateType })
  receivedOn!: string;

  @Field(() => String, { nullable: true, description: 'What the case is about, in the words it was received in.' })
  @Property({ type: 'text' })
  summary!: string;

  @Field(() => ${n.entity}Status, { description: 'Where the case stands.' })
  @Enum({ items: () => ${n.entity}Status, nativeEnumName: '${n.table}_status' })
  status!: ${n.entity}Status;
}
`;
}

/** An entity another department owns that a scaffolded department points to, by its key only. */
export interface StubDeclaration {
  type: 'Person' | 'District';
  key: string;
  /** Who owns it and what this department does with it (the GraphQL description). */
  description: string;
}

/** The owners' key checks, so that a malformed key is refused before the department's fields run. */
const KEY_CHECKS: Record<StubDeclaration['type'], { name: string; from: string } | null> = {
  Person: { name: 'isPersonKey', from: '../../shared/personKey' },
  District: null,
};

/**
 * `extends.ts`: the other departments' entities a department points to or adds fields to, one
 * `entityStub` declaration each (as the hand-written departments declare theirs), and the list
 * that `index.ts` passes to `stubReferences`.
 */
export function extendsSource(department: string, stubs: readonly StubDeclaration[]): string {
  const checks = [...new Set(stubs.flatMap((s) => KEY_CHECKS[s.type] ?? []))];
  const declarations = stubs.map((s) => {
    const check = KEY_CHECKS[s.type];
    return `/** ${s.description} */
export const ${s.type} = entityStub('${s.type}', '${s.key}', { description: '${s.description.replace(/'/g, "\\'")}'${check ? `, isKey: ${check.name}` : ''} });
export type ${s.type} = Stub<typeof ${s.type}>;
`;
  });
  return `import { entityStub, type Stub } from '../../kit/extends';
${checks.map((c) => `import { ${c.name} } from '${c.from}';\n`).join('')}
/* Other departments' entities ${department} points to or adds fields to: only the key lives here. */

${declarations.join('\n')}
export const ${department}Extends = [${stubs.map((s) => s.type).join(', ')}];
`;
}

/** `extends.ts`: the other departments' entities this one adds fields to (`Person`). */
export function extendsFile(n: DepartmentNames): string {
  return extendsSource(n.name, [{ type: 'Person', key: 'id', description: `A resident (owned by grid); ${n.name} adds the person's cases.` }]);
}

/** `keys.ts`: the department's own key formats (its record numbers). */
export function keysFile(n: DepartmentNames): string {
  return `/** A ${n.name} case id as the department writes them: \`${n.idPrefix}\`, the year and a six-digit serial (\`${n.idPrefix}2026000001\`). */
export function ${n.one}Id(year: number, serial: number): string {
  return \`${n.idPrefix}\${year}\${String(serial).padStart(6, '0')}\`;
}
`;
}

export function resolversFile(n: DepartmentNames): string {
  return `import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { stubOf } from '../../kit/extends';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope } from '../../kit/scope';
import { checkCode } from '../../shared/validate';
import { ${n.entity} } from './entities';
import { Person } from './extends';

/*
 * The department's batched loads. The kit's loaders (ctx.loaders) turn every lookup of one
 * request step into one SQL statement, whatever the number of people or cases asked for.
 * A department that keeps its data behind its own HTTP API writes a custom loader instead:
 * ctx.loaders.custom('${n.name}Api.casesOfPerson', (personIds) => one batched API call).
 */

/** A person's cases, newest first: one statement for all the people of a page. */
function casesOfPerson(ctx: SubgraphContext) {
  return ctx.loaders.many(${n.entity}, 'personId', { receivedOn: 'desc', id: 'desc' });
}

/** Cases by id (the reference resolver and \`${n.one}\` share it). */
function caseById(ctx: SubgraphContext) {
  return ctx.loaders.one(${n.entity}, 'id');
}

@ObjectType({ description: 'A page of ${n.name} cases (Relay connection).' })
class ${n.entity}Connection extends ConnectionType(${n.entity}, '${n.entity}') {}

@Resolver(() => ${n.entity})
export class ${n.entity}Resolver {
  @Query(() => ${n.entity}, { nullable: true, description: 'One ${n.name} case by its id.' })
  ${n.one}(@Arg('id', () => ID, { description: 'The id of the case.' }) id: string, @Ctx() ctx: SubgraphContext): Promise<${n.entity} | null> {
    return caseById(ctx).load(id);
  }

  @Query(() => ${n.entity}Connection, { description: 'Cases newest first, optionally of one division: a district (6 digits), township (9) or grid (12).' })
  ${n.many}(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('divisionCode', () => String, { nullable: true, description: 'A district (6 digits), township (9) or grid (12) code.' }) divisionCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<${n.entity}Connection> {
    // The policy's rowScope (if it names the viewer's agency) limits the list in SQL.
    const where: FilterQuery<${n.entity}>[] = [rowScope<${n.entity}>(ctx, '${n.entity}')];
    if (divisionCode) where.push({ gridCode: { $like: \`\${checkCode('divisionCode', divisionCode, divisionCode.length === 12 ? 'grid' : 'division')}%\` } });
    return paginate(ctx, ${n.entity}, { $and: where }, page, { columns: ['receivedOn', 'id'], direction: 'desc' });
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The person the case is about (resolved by the grid department).' })
  person(@Root() record: ${n.entity}): Person {
    return stubOf(Person, { id: record.personId });
  }
}

/** What ${n.name} adds to \`Person\` (owned by grid): resolved here from the person key alone. */
@Resolver(() => Person)
export class Person${n.pascal}Resolver {
  @FieldResolver(() => [${n.entity}], { nullable: true, description: 'The person\\'s ${n.name} cases, newest first.' })
  ${n.many}(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<${n.entity}[]> {
    return casesOfPerson(ctx).load(person.id);
  }
}
`;
}

export function seedFile(n: DepartmentNames): string {
  return `import { seedTable, type SeedSettings, type SeedTable } from '../../kit/department';
import type { DemoCitySource, DemoPerson } from '../../demo/types';
import { personKey } from '../../shared/personKey';
import { ${n.entity}, ${n.entity}Status } from './entities';
import { ${n.one}Id } from './keys';

const STATUSES = [${n.entity}Status.RECEIVED, ${n.entity}Status.IN_PROGRESS, ${n.entity}Status.CLOSED];

/**
 * Demo cases, derived from the demo city so the same people appear here as in every other
 * department: one case for every 25th resident. Replace with the department's real data.
 * The residents may be a single-pass stream (city scale): read them once, lazily.
 */
function* cases(persons: Iterable<DemoPerson>, settings: SeedSettings): Generator<${n.entity}> {
  let resident = 0;
  let i = 0;
  for (const p of persons) {
    if (resident++ % 25 !== 0) continue;
    yield Object.assign(new ${n.entity}(), {
      id: ${n.one}Id(2026, i + 1),
      personId: personKey(p.idNumber, settings.personKeySecret),
      gridCode: p.gridCode,
      receivedOn: \`2026-\${String((i % 12) + 1).padStart(2, '0')}-\${String((i % 28) + 1).padStart(2, '0')}\`,
      summary: \`${n.name} case \${i + 1} (demo data)\`,
      status: STATUSES[i % STATUSES.length],
    });
    i++;
  }
}

export function demo${n.pascal}Cases(city: DemoCitySource, settings: SeedSettings): ${n.entity}[] {
  return [...cases(city.persons, settings)];
}

export function seed${n.pascal}(city: DemoCitySource, settings: SeedSettings): SeedTable[] {
  return [seedTable(${n.entity}, () => cases(city.persons, settings))];
}
`;
}

export function indexFile(n: DepartmentNames): string {
  return `import { migrations } from '../../../migrations/${n.name}';
import type { DepartmentDefinition } from '../../kit/department';
import { stubReferences } from '../../kit/extends';
import { ownedReference } from '../../kit/references';
import { ${n.entity} } from './entities';
import { ${n.entity}Resolver, Person${n.pascal}Resolver } from './resolvers';
import { ${n.name}Extends } from './extends';
import { seed${n.pascal} } from './seed';

/**
 * The ${n.name} department (scaffolded by \`hub new-department ${n.name}\`): owns \`${n.entity}\` and adds
 * \`${n.many}\` to \`Person\`. See docs/integrating-a-department.md.
 */
export const ${n.name}Department: DepartmentDefinition = {
  name: '${n.name}',
  entities: [${n.entity}],
  migrations,
  resolvers: [${n.entity}Resolver, Person${n.pascal}Resolver],
  referenceResolvers: {
    ${n.entity}: ownedReference(${n.entity}, 'id'),
    ...stubReferences(${n.name}Extends),
  },
  seed: seed${n.pascal},
};
`;
}

export function migrationFile(n: DepartmentNames): string {
  const s = `"${n.name}"`;
  return `import { Migration } from '@mikro-orm/migrations';

/** The ${n.name} department's initial schema (scaffolded): its cases. */
export class ${n.migration} extends Migration {

  override async up(): Promise<void> {
    this.addSql(\`create schema if not exists ${s};\`);
    this.addSql(\`create type ${s}."${n.table}_status" as enum ('RECEIVED', 'IN_PROGRESS', 'CLOSED');\`);
    this.addSql(\`create table ${s}."${n.table}" ("id" varchar(255) not null, "person_id" varchar(33) not null, "grid_code" varchar(12) not null, "received_on" date not null, "summary" text not null, "status" ${s}."${n.table}_status" not null, constraint "${n.table}_pkey" primary key ("id"));\`);
    this.addSql(\`create index "${n.table}_person_id_index" on ${s}."${n.table}" ("person_id");\`);
    this.addSql(\`create index "${n.table}_grid_code_index" on ${s}."${n.table}" ("grid_code");\`);
    this.addSql(\`create index "${n.table}_received_on_id_index" on ${s}."${n.table}" ("received_on", "id");\`);
  }

}
`;
}

export function migrationIndexFile(n: DepartmentNames): string {
  return `import type { MigrationObject } from '@mikro-orm/core';
import { ${n.migration} } from './${n.migration}';

/** The ${n.name} department's migrations, in order. \`npm run hub -- migration create ${n.name}\` adds new ones. */
export const migrations: MigrationObject[] = [
  { name: '${n.migration}', class: ${n.migration} },
];
`;
}

/** A section heading of the policy file, dashed out to the width of the others. */
function rule(heading: string): string {
  return heading + '-'.repeat(Math.max(4, 100 - heading.length));
}

/** The policy stanza: deny by default. No agency owns these records yet, so only admin sees them. */
export function policyEntries(n: DepartmentNames): { query: string[]; person: string[]; types: string[] } {
  return {
    query: [`      ${n.one}: { admin: allow }`, `      ${n.many}: { admin: allow }`],
    person: [`      ${n.many}: { admin: allow }`],
    types: [
      '',
      rule(`  # ---- ${n.pascal} (scaffolded by \`hub new-department ${n.name}\`) `),
      `  # Deny by default: no agency owns these records yet, so only admin sees them. To open them,`,
      `  # grant agencies under Query (${n.one}, ${n.many}), Person.${n.many} and here; list sensitive`,
      `  # fields under \`fields\` (each look is then audited; test/policy.test.ts derives its probe for them).`,
      `  ${n.entity}:`,
      `    description: Cases of the ${n.name} department (scaffolded; admin only until the policy is written).`,
      `    visible: [admin]`,
      `    scope: gridCode`,
    ],
  };
}

export function testFile(n: DepartmentNames): string {
  return `import { DEV_PERSON_KEY_SECRET } from '../src/shared/config';
import { demo${n.pascal}Cases } from '../src/subgraphs/${n.name}/seed';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

/** The ${n.name} department (scaffolded) through the gateway: its list, its part of Person, its policy. */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.stop();
});

const demo = () => demo${n.pascal}Cases(t.city, { personKeySecret: DEV_PERSON_KEY_SECRET });
interface Node { id: string; gridCode: string; receivedOn: string; status: string; person: { id: string } }
interface Page { ${n.many}: { edges: Array<{ node: Node }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }
const LIST = \`query ($first: Int, $after: String, $divisionCode: String) {
  ${n.many}(first: $first, after: $after, divisionCode: $divisionCode) {
    edges { node { id gridCode receivedOn status person { id } } }
    pageInfo { hasNextPage endCursor }
  }
}\`;

describe('${n.name} subgraph through the gateway', () => {
  it('pages through every demo case, newest first, as admin', async () => {
    const seen: Node[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: GraphQLResponse<Page> = await t.query<Page>('admin', LIST, { first: 7, after });
      expect(res.body.errors).toBeUndefined();
      const { edges, pageInfo } = res.body.data!.${n.many};
      seen.push(...edges.map((e) => e.node));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    const expected = [...demo()].sort((a, b) => (a.receivedOn === b.receivedOn ? b.id.localeCompare(a.id) : b.receivedOn.localeCompare(a.receivedOn)));
    expect(expected.length).toBeGreaterThan(7);
    expect(seen).toEqual(expected.map((c) => ({ id: c.id, gridCode: c.gridCode, receivedOn: c.receivedOn, status: c.status, person: { id: c.personId } })));
  });

  it('lists the cases of one division (district, township or grid)', async () => {
    const [a] = demo();
    for (const code of [a.gridCode.slice(0, 6), a.gridCode.slice(0, 9), a.gridCode]) {
      const res = await t.query<Page>('admin', LIST, { first: 100, divisionCode: code });
      expect(res.body.errors).toBeUndefined();
      const nodes = res.body.data!.${n.many}.edges.map((e) => e.node);
      expect(nodes.map((c) => c.id)).toContain(a.id);
      expect(nodes.every((c) => c.gridCode.startsWith(code))).toBe(true);
    }
  });

  it('adds the cases to Person, for several people in one request', async () => {
    const [a, b] = demo();
    const res = await t.query<Record<'a' | 'b', { ${n.many}: Array<{ id: string }> }>>('admin', \`query ($a: ID!, $b: ID!) { a: person(id: $a) { ${n.many} { id } } b: person(id: $b) { ${n.many} { id } } }\`, { a: a.personId, b: b.personId });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.a.${n.many}.map((c) => c.id)).toContain(a.id);
    expect(res.body.data!.b.${n.many}.map((c) => c.id)).toContain(b.id);
  });

  it('denies every other agency until the policy grants it (deny by default)', async () => {
    const [a] = demo();
    const list = await t.query('police', LIST, { first: 1 });
    expect(list.body.data?.${n.many} ?? null).toBeNull();
    expect(list.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
    const person = await t.query<{ person: { id: string; ${n.many}: unknown } }>('police', \`query ($id: ID!) { person(id: $id) { id ${n.many} { id } } }\`, { id: a.personId });
    expect(person.body.data!.person).toEqual({ id: a.personId, ${n.many}: null });
    expect(person.body.errors?.map((e) => e.extensions?.field)).toEqual(['Person.${n.many}']);
  });

  it('resolves its entities by key, and refuses a bad division code', async () => {
    const [a, b] = demo();
    const res = await t.subgraphQuery<{ _entities: Array<{ id: string; status: string } | null> }>('${n.name}', 'admin',
      \`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${n.entity} { id status } } }\`,
      { r: [{ __typename: '${n.entity}', id: a.id }, { __typename: '${n.entity}', id: b.id }, { __typename: '${n.entity}', id: 'nope' }] });
    expect(res.body.data!._entities).toEqual([{ id: a.id, status: a.status }, { id: b.id, status: b.status }, null]);
    const bad = await t.query('admin', LIST, { divisionCode: '21' });
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
`;
}
