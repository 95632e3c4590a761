import { extendsSource } from './templates';
import { linkFields, type ExistingColumn, type ExistingModel, type ExistingTable, type LinkField } from './fromDatabase';

/**
 * The files `hub new-department <name> --from-database <url>` writes: entities mapped onto the
 * department's tables as they are (names, types, keys), read-only; resolvers that batch every
 * lookup through the kit's loaders; links to `Person` from ID number columns; a test that reads the
 * same tables and compares. No migration, no seed: the data stays in the department's system.
 */
export interface ExistingNames {
  name: string;
  pascal: string;
  model: ExistingModel;
}

const TS_TYPES = { string: 'string', integer: 'number', float: 'number', boolean: 'boolean', date: 'string', datetime: 'Date' } as const;
const where = (n: ExistingNames, t: ExistingTable) => `${n.model.schema}.${t.table}`;
const hasPerson = (n: ExistingNames) => n.model.tables.some((t) => t.columns.some((c) => c.idNumber));
const links = (n: ExistingNames, t: ExistingTable) => linkFields(t, n.model.tables);
const table = (n: ExistingNames, type: string) => n.model.tables.find((t) => t.type === type)!;
/** The table whose first ID number column links to Person (the Person field lists its records). */
const personColumn = (t: ExistingTable) => t.columns.find((c) => c.idNumber);

/** A date column is the graph's Date scalar; a timestamp a JS Date, which the kit maps to DateTime. */
function graphqlType(c: ExistingColumn): string {
  return c.mapping.orm === 'date' ? 'DateScalar' : c.mapping.graphql;
}

/**
 * What the graph says a column is: the system's own comment on it when it has one (legacy systems
 * often describe their pinyin-initial columns there), else where it comes from, to be rewritten.
 */
function columnDescription(n: ExistingNames, t: ExistingTable, c: ExistingColumn): string {
  const source = `${where(n, t)}.${c.column}`;
  const format = c.mapping.orm === 'date' ? ' (YYYY-MM-DD)' : '';
  return c.comment ? `${c.comment.trim()} (${source})${format}` : `${source}${format}, as the ${n.name} department's system holds it.`;
}

function property(n: ExistingNames, t: ExistingTable, c: ExistingColumn): string {
  const orm = c.mapping.orm === 'date' ? 'DateType' : `'${c.mapping.orm}'`;
  const tsType = `${TS_TYPES[c.mapping.orm]}${c.nullable ? ' | null' : ''}`;
  const options = `{ type: ${orm}, fieldName: '${c.column}'${c.nullable ? ', nullable: true' : ''} }`;
  const description = `description: ${JSON.stringify(columnDescription(n, t, c))}`;
  if (c === t.key) return `  @Field(() => ID, { ${description} })\n  @PrimaryKey(${options})\n  ${c.prop}!: ${tsType};\n`;
  if (c.idNumber) {
    return `  /** ID numbers (${c.column}): never a field; \`${links(n, t).find((l) => l.column === c)!.field}\` links to Person by the key computed from it. */\n  @Property(${options})\n  ${c.prop}!: ${tsType};\n`;
  }
  // Every field but the key is nullable: the policy may deny or mask any of them without losing the record.
  return `  @Field(() => ${graphqlType(c)}, { nullable: true, ${description} })\n  @Property(${options})\n  ${c.prop}!: ${tsType};\n`;
}

export function existingEntitiesFile(n: ExistingNames): string {
  const usesDate = n.model.tables.some((t) => t.columns.some((c) => c.mapping.orm === 'date'));
  const gql = new Set(['Directive', 'Field', 'ID', 'ObjectType']);
  for (const t of n.model.tables) for (const c of t.columns) if (['Int', 'Float'].includes(c.mapping.graphql)) gql.add(c.mapping.graphql);
  const classes = n.model.tables.map(
    (t) => `/** ${where(n, t)} of the ${n.name} department's own system, as it is. */
@ObjectType({ description: 'A record of ${where(n, t)} in the ${n.name} department\\'s own system.' })
@Directive('@key(fields: "${t.key.prop}")')
@Entity({ tableName: '${t.table}', schema: '${n.model.schema}' })
export class ${t.type} {
${t.columns.map((c) => property(n, t, c)).join('\n')}}
`,
  );
  return `import { ${usesDate ? 'DateType, ' : ''}Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { ${[...gql].sort().join(', ')} } from 'type-graphql';
${usesDate ? "import { DateScalar } from '../../shared/scalars';\n" : ''}
/*
 * Scaffolded by \`hub new-department ${n.name} --from-database\`: the tables of the department's system
 * (schema ${n.model.schema}) mapped as they are, read-only. The hub never migrates them; when the system
 * changes, scaffold again into a scratch copy and carry the difference over.
 */

${classes.join('\n')}`;
}

export function existingExtendsFile(n: ExistingNames): string {
  return extendsSource(n.name, [{ type: 'Person', key: 'id', description: `A resident (owned by grid); ${n.name} adds its records of the person.` }]);
}

const byKey = (t: ExistingTable) => `${t.one}ByKey`;
const byColumn = (l: LinkField) => `${l.from!.many}By${l.column.prop[0].toUpperCase()}${l.column.prop.slice(1)}`;
const ofPerson = (t: ExistingTable) => `${t.many}OfPerson`;

export function existingLoadersFile(n: ExistingNames): string {
  const out: string[] = [];
  for (const t of n.model.tables) {
    out.push(`/** ${where(n, t)} by its key (the reference resolver and \`${t.one}\` share it). */
export function ${byKey(t)}(ctx: SubgraphContext) {
  return ctx.loaders.one(${t.type}, '${t.key.prop}');
}`);
    for (const l of links(n, t).filter((x) => x.kind === 'referencedBy')) {
      out.push(`/** The ${where(n, l.from!)} records whose ${l.column.column} is each key. */
export function ${byColumn(l)}(ctx: SubgraphContext) {
  return ctx.loaders.many(${l.from!.type}, '${l.column.prop}', { ${l.from!.key.prop}: 'asc' });
}`);
    }
    const id = personColumn(t);
    if (id) {
      out.push(`/** A person's ${where(n, t)} records, by the key computed from ${id.column}. */
export function ${ofPerson(t)}(ctx: SubgraphContext) {
  return recordsOfPerson(ctx, ${t.type}, '${id.prop}', { ${t.key.prop}: 'asc' });
}`);
    }
  }
  return `import type { SubgraphContext } from '../../kit/context';
${hasPerson(n) ? "import { recordsOfPerson } from '../../kit/existing';\n" : ''}import { ${n.model.tables.map((t) => t.type).join(', ')} } from './entities';

/* Batched loads: one SQL statement per entity and query-plan step, however many records are asked for. */

${out.join('\n\n')}
`;
}

function linkResolver(n: ExistingNames, t: ExistingTable, l: LinkField): string {
  if (l.kind === 'person') {
    return `  @FieldResolver(() => Person, { nullable: true, description: 'The person (owned by grid) whose ID number is in ${l.column.column}; null when it is not a valid ID number.' })
  ${l.field}(@Root() record: ${t.type}, @Ctx() ctx: SubgraphContext): Person | null {
    const key = personKeyOf(ctx, record.${l.column.prop});
    return key ? stubOf(Person, { id: key }) : null;
  }`;
  }
  if (l.kind === 'reference') {
    const target = table(n, l.target);
    return `  @FieldResolver(() => ${target.type}, { nullable: true, description: 'The ${where(n, target)} record of ${l.column.column}.' })
  ${l.field}(@Root() record: ${t.type}, @Ctx() ctx: SubgraphContext): Promise<${target.type} | null>${l.column.nullable ? ' | null' : ''} {
    return ${l.column.nullable ? `record.${l.column.prop} === null ? null : ` : ''}${byKey(target)}(ctx).load(String(record.${l.column.prop}));
  }`;
  }
  return `  @FieldResolver(() => [${l.from!.type}], { nullable: true, description: 'The ${where(n, l.from!)} records whose ${l.column.column} is this one.' })
  ${l.field}(@Root() record: ${t.type}, @Ctx() ctx: SubgraphContext): Promise<${l.from!.type}[]> {
    return ${byColumn(l)}(ctx).load(String(record.${t.key.prop}));
  }`;
}

export function existingResolversFile(n: ExistingNames): string {
  const loaders = new Set<string>();
  const classes = n.model.tables.map((t) => {
    loaders.add(byKey(t));
    const ls = links(n, t);
    for (const l of ls) {
      if (l.kind === 'reference') loaders.add(byKey(table(n, l.target)));
      if (l.kind === 'referencedBy') loaders.add(byColumn(l));
    }
    return `@ObjectType({ description: 'A page of records of ${where(n, t)} (Relay connection).' })
class ${t.type}Connection extends ConnectionType(${t.type}, '${t.type}') {}

@Resolver(() => ${t.type})
export class ${t.type}Resolver {
  @Query(() => ${t.type}, { nullable: true, description: 'One record of ${where(n, t)} by its key.' })
  ${t.one}(@Arg('${t.key.prop}', () => ID, { description: 'Its key (${t.key.column}).' }) ${t.key.prop}: string, @Ctx() ctx: SubgraphContext): Promise<${t.type} | null> {
    return ${byKey(t)}(ctx).load(${t.key.prop});
  }

  @Query(() => ${t.type}Connection, { description: 'The records of ${where(n, t)}, in key order.' })
  ${t.many}(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: SubgraphContext): Promise<${t.type}Connection> {
    // The policy's rowScope (once it names a scope column and the viewer's agency) limits the list in SQL.
    return paginate(ctx, ${t.type}, rowScope<${t.type}>(ctx, '${t.type}'), page, { columns: ['${t.key.prop}'], direction: 'asc' });
  }
${ls.map((l) => `\n${linkResolver(n, t, l)}\n`).join('')}}
`;
  });
  const people = n.model.tables.filter((t) => personColumn(t));
  for (const t of people) loaders.add(ofPerson(t));
  const personResolver = people.length
    ? `
/** What ${n.name} adds to \`Person\` (owned by grid): its records of the person, found by the key alone. */
@Resolver(() => Person)
export class Person${n.pascal}Resolver {
${people
  .map(
    (
      t,
    ) => `  @FieldResolver(() => [${t.type}], { nullable: true, description: 'The person\\'s ${where(n, t)} records (by the ID number in ${personColumn(t)!.column}).' })
  ${t.many}(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<${t.type}[]> {
    return ${ofPerson(t)}(ctx).load(person.id);
  }`,
  )
  .join('\n\n')}
}
`
    : '';
  return `import { Arg, Args, Ctx, ${hasPerson(n) || n.model.tables.some((t) => links(n, t).length) ? 'FieldResolver, ' : ''}ID, ObjectType, Query, Resolver${hasPerson(n) || n.model.tables.some((t) => links(n, t).length) ? ', Root' : ''} } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
${hasPerson(n) ? "import { personKeyOf } from '../../kit/existing';\nimport { stubOf } from '../../kit/extends';\n" : ''}import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope } from '../../kit/scope';
import { ${n.model.tables.map((t) => t.type).join(', ')} } from './entities';
import { ${[...loaders].sort().join(', ')} } from './loaders';
${hasPerson(n) ? "import { Person } from './extends';\n" : ''}
${classes.join('\n')}${personResolver}`;
}

export function existingIndexFile(n: ExistingNames): string {
  const resolvers = [...n.model.tables.map((t) => `${t.type}Resolver`), ...(hasPerson(n) ? [`Person${n.pascal}Resolver`] : [])];
  return `import type { DepartmentDefinition } from '../../kit/department';
${hasPerson(n) ? "import { stubReferences } from '../../kit/extends';\n" : ''}import { ownedReference } from '../../kit/references';
import { ${n.model.tables.map((t) => t.type).join(', ')} } from './entities';
import { ${resolvers.join(', ')} } from './resolvers';
${hasPerson(n) ? `import { ${n.name}Extends } from './extends';\n` : ''}
/**
 * The ${n.name} department (scaffolded by \`hub new-department ${n.name} --from-database\`): its records stay
 * in its own system's database (\`DATABASE_URL_${n.name.toUpperCase()}\`, schema ${n.model.schema}), read as they are,
 * read-only. See docs/integrating-a-department.md.
 */
export const ${n.name}Department: DepartmentDefinition = {
  name: '${n.name}',
  existingDatabase: { schema: '${n.model.schema}' },
  entities: [${n.model.tables.map((t) => t.type).join(', ')}],
  migrations: [],
  resolvers: [${resolvers.join(', ')}],
  referenceResolvers: {
${n.model.tables.map((t) => `    ${t.type}: ownedReference(${t.type}, '${t.key.prop}'),\n`).join('')}${hasPerson(n) ? `    ...stubReferences(${n.name}Extends),\n` : ''}  },
  // Nothing to seed: the records are the department's own.
  seed: () => [],
};
`;
}

export function existingPolicyEntries(n: ExistingNames): { query: string[]; person: string[]; types: string[] } {
  const rule = (heading: string) => heading + '-'.repeat(Math.max(4, 100 - heading.length));
  return {
    query: n.model.tables.flatMap((t) => [`      ${t.one}: { admin: allow }`, `      ${t.many}: { admin: allow }`]),
    person: n.model.tables.filter((t) => personColumn(t)).map((t) => `      ${t.many}: { admin: allow }`),
    types: [
      '',
      rule(`  # ---- ${n.pascal} (scaffolded by \`hub new-department ${n.name} --from-database\`) `),
      `  # Deny by default: only admin sees these records until the policy is written. Add \`scope\` (the`,
      `  # column with a grid or division code) and \`rowScope\`, grant agencies under Query and Person,`,
      `  # list sensitive fields under \`fields\` with their legal basis.`,
      ...n.model.tables.flatMap((t) => [
        `  ${t.type}:`,
        `    description: ${where(n, t)} of the ${n.name} department's own system (scaffolded; admin only until the policy is written).`,
        `    visible: [admin]`,
      ]),
    ],
  };
}

/** How the test reads a column's value as GraphQL answers it. */
function asAnswered(c: ExistingColumn, v: string): string {
  if (c.mapping.orm === 'datetime') return `${v}${c.nullable ? '?.toISOString() ?? null' : '.toISOString()'}`;
  return c.nullable ? `${v} ?? null` : v;
}

export function existingTestFile(n: ExistingNames): string {
  const env = `DATABASE_URL_${n.name.toUpperCase()}`;
  const blocks = n.model.tables.map((t) => {
    const shown = t.columns.filter((c) => !c.idNumber);
    const ls = links(n, t);
    const person = ls.find((l) => l.kind === 'person');
    const reference = ls.find((l) => l.kind === 'reference');
    const selection = [
      ...shown.map((c) => c.prop),
      ...(person ? [`${person.field} { id }`] : []),
      ...(reference ? [`${reference.field} { ${table(n, reference.target).key.prop} }`] : []),
    ].join(' ');
    const expected = [
      ...shown.map((c) => `${c.prop}: ${c === t.key ? `String(r.${c.prop})` : `asAdmin('${t.type}', '${c.prop}', r, ${asAnswered(c, `r.${c.prop}`)})`}`),
      ...(person ? [`${person.field}: personOf(r.${person.column.prop})`] : []),
      ...(reference
        ? [
            `${reference.field}: ${reference.column.nullable ? `r.${reference.column.prop} === null ? null : ` : ''}{ ${table(n, reference.target).key.prop}: String(r.${reference.column.prop}) }`,
          ]
        : []),
    ].join(', ');
    return `describe('${t.type} (${where(n, t)})', () => {
  const SELECTION = '${selection}';
  const answered = (r: ${t.type}) => ({ ${expected} });

  it('lists the first records in key order and reads one by key, as admin: what the table holds, as the policy shows it', async () => {
    const rows = await firstRows(${t.type}, '${t.key.prop}');
    expect(rows.length).toBeGreaterThan(0);
    const list = await t.query<{ ${t.many}: { edges: Array<{ node: unknown }> } }>('admin', \`{ ${t.many}(first: \${rows.length}) { edges { node { \${SELECTION} } } } }\`);
    expect(unexpected(list.body.errors)).toEqual([]);
    expect(list.body.data!.${t.many}.edges.map((e) => e.node)).toEqual(rows.map(answered));
    const one = await t.query<{ ${t.one}: unknown }>('admin', \`query ($key: ID!) { ${t.one}(${t.key.prop}: $key) { \${SELECTION} } }\`, { key: String(rows[0].${t.key.prop}) });
    expect(unexpected(one.body.errors)).toEqual([]);
    expect(one.body.data!.${t.one}).toEqual(answered(rows[0]));
  });

  it('denies the agencies the policy does not grant (deny by default)', async () => {
    const res = await t.query(deniedAgency('${t.many}'), '{ ${t.many}(first: 1) { edges { node { ${t.key.prop} } } } }');
    expect(res.body.data?.${t.many} ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN_FIELD');
  });
${
  person && personColumn(t)
    ? `
  it('finds a person\\'s records by the key computed from ${person.column.column} (several people, one request)', async () => {
    const rows = (await firstRows(${t.type}, '${t.key.prop}')).filter((r) => personOf(r.${person.column.prop}) !== null);
    expect(rows.length).toBeGreaterThan(0);
    const people = rows.slice(0, 3).map((r) => personOf(r.${person.column.prop})!.id);
    const res = await t.subgraphQuery<{ _entities: Array<{ ${t.many}: Array<{ ${t.key.prop}: string }> }> }>('${n.name}', 'admin',
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { ${t.many} { ${t.key.prop} } } } }',
      { r: people.map((id) => ({ __typename: 'Person', id })) });
    expect(res.body.errors).toBeUndefined();
    rows.slice(0, 3).forEach((r, i) => expect(res.body.data!._entities[i].${t.many}.map((x) => x.${t.key.prop})).toContain(String(r.${t.key.prop})));
  });
`
    : ''
}});
`;
  });
  const entities = n.model.tables.map((t) => t.type).join(', ');
  return `import type { EntityClass } from '@mikro-orm/core';
import { ${entities} } from '../src/subgraphs/${n.name}/entities';
import { startTestHub, type TestHub } from './support/hub';
import { asAdmin, deniedAgency, ${hasPerson(n) ? 'personOf, ' : ''}unexpected } from './support/scaffolded';

/**
 * The ${n.name} department (scaffolded from its own database) through the gateway, compared with what
 * its tables hold. Its database: ${env} when set, else the hub's (with the dev stand-in, if any).
 */
let t: TestHub;
beforeAll(async () => {
  const own = process.env.${env};
  t = await startTestHub(own ? { ${env}: own } : {});
});
afterAll(async () => {
  await t?.stop();
});

/** The first records of a table in key order, read through the subgraph's own (read-only) connection. */
function firstRows<T extends object>(entity: EntityClass<T>, key: keyof T & string): Promise<T[]> {
  return t.hub.subgraphs.${n.name}.orm.em.fork().find(entity, {}, { orderBy: { [key]: 'asc' } as never, limit: 5 });
}

it('reads the department\\'s database read-only', async () => {
  const em = t.hub.subgraphs.${n.name}.orm.em.fork();
  await expect(em.getConnection().execute('create table "${n.model.schema}".hub_must_not_write (x int)')).rejects.toThrow(/read-only transaction/);
});

${blocks.join('\n')}`;
}
