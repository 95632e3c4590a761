import fc from 'fast-check';
import {
  GraphQLObjectType,
  Kind,
  OperationTypeNode,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type SelectionSetNode,
} from 'graphql';
import { AGENCIES, type Agency } from '../src/auth/viewer';
import { apiSchema } from '../src/cli/manifest';
import { loadPolicy } from '../src/policy/policy';
import type { Rule } from '../src/policy/types';
import { sql } from './support/db';
import { logger, tapLogs } from '../src/shared/logger';
import { startTestHub, type TestHub } from './support/hub';

/**
 * Property: whatever a caller of any agency sends — a valid operation over the schema, a broken
 * one, an abusive one, or no GraphQL at all — the gateway answers without a 5xx, without a stack
 * trace, and without any value the policy denies to that agency: no field that is denied to it
 * whatever the record, and no full ID number or phone number where the policy only ever grants
 * that agency a masked one (scanned anywhere in the response, errors included).
 */
/** `FUZZ_RUNS=10000` for the long run; `npm test` keeps the default short. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

let t: TestHub;
let tokens: Record<Agency, string>;
let pools: Record<string, string[]>;
let secrets: { idNumbers: Set<string>; phones: Set<string> };
/** Every log line the hub writes while the property runs (at debug level, the most it ever says). */
const logLines: string[] = [];
let untap: (() => void) | undefined;
beforeAll(async () => {
  t = await startTestHub({ INTROSPECTION: 'admin', ERROR_DETAILS: 'off', PERSISTED_QUERIES: 'off' });
  tokens = Object.fromEntries(await Promise.all(AGENCIES.map(async (a) => [a, await t.token(a)]))) as Record<Agency, string>;
  const column = async (query: string) => (await sql<{ v: string }>(t, query)).map((r) => r.v);
  const people = await sql<{ id: string; id_number: string; phone: string }>(t, 'select id, id_number, phone from grid.person');
  secrets = { idNumbers: new Set(people.map((p) => p.id_number)), phones: new Set(people.map((p) => p.phone).filter(Boolean)) };
  pools = {
    id: [
      ...people.slice(0, 20).map((p) => p.id),
      ...(await column('select id as v from grid.grid_event order by id limit 10')),
      ...(await column('select id as v from police.incident order by id limit 10')),
      ...(await column('select id as v from justice.mediation_case order by id limit 10')),
      ...(await column('select id as v from justice.community_correction order by id limit 10')),
    ],
    idNumber: people.slice(0, 20).map((p) => p.id_number),
    caseNo: [
      ...(await column('select case_no as v from police.police_case order by case_no limit 10')),
      ...(await column('select case_no as v from procuratorate.prosecution_case order by case_no limit 10')),
      ...(await column('select case_no as v from procuratorate.arrest_review order by case_no limit 10')),
      ...(await column('select case_no as v from court.court_case order by case_no limit 10')),
    ],
    code: [...(await column('select code as v from grid.district order by code')), ...(await column('select code as v from grid.grid order by code limit 20'))],
    type: ['Person', 'CourtCase', 'PoliceCase', 'AccessRecord', 'Nope'],
    date: ['2025-01-01', '2025-12-31', '2025-02-30', '1900-01-01', 'yesterday'],
    dateTime: ['2025-01-01T00:00:00Z', '2026-12-31T23:59:59Z', '1970-01-01T00:00:00Z', 'not-a-date', '+275760-09-13T00:00:00Z'],
  };
}, 120_000);
afterAll(async () => {
  untap?.();
  await t?.stop();
});

const schema = apiSchema();
const policy = loadPolicy();

// ---- what the policy denies, whatever the record ----------------------------------------------

/**
 * Whether a rule's `then` can apply. The fuzzer's purposes are free text: they establish no case,
 * and it declares no break-glass, so `caseBound` and `breakGlass` never hold for it.
 */
function thenPossible(rule: Exclude<Rule, 'allow' | 'deny' | { mask: unknown }>, _purpose: boolean): boolean {
  const never = (c: string) => c === 'caseBound' || c === 'breakGlass';
  if ('ifAny' in rule) return rule.ifAny.some((c) => !never(c));
  return !(Array.isArray(rule.if) ? rule.if : [rule.if]).some(never);
}

/** Whether a rule can grant anything (in full or masked) to a request with or without a purpose. */
function canGrant(rule: Rule, purpose: boolean): boolean {
  if (rule === 'allow' || (typeof rule === 'object' && 'mask' in rule)) return true;
  if (rule === 'deny') return false;
  return (thenPossible(rule, purpose) && canGrant(rule.then, purpose)) || canGrant(rule.else ?? 'deny', purpose);
}

/** Whether a rule can give the value in full (not masked). */
function canGrantInFull(rule: Rule, purpose: boolean): boolean {
  if (rule === 'allow') return true;
  if (rule === 'deny' || 'mask' in rule) return false;
  return (thenPossible(rule, purpose) && canGrantInFull(rule.then, purpose)) || canGrantInFull(rule.else ?? 'deny', purpose);
}

function alwaysDenied(typeName: string, field: string, agency: Agency, purpose: boolean): boolean {
  const tp = policy.typePolicy(typeName);
  if (!tp) return true;
  const rules = tp.fields?.[field];
  if (rules) return !rules[agency] || !canGrant(rules[agency], purpose);
  return !(tp.visible === 'all' || tp.visible.includes(agency));
}

function neverInFull(typeName: string, field: string, agency: Agency, purpose: boolean): boolean {
  const rule = policy.typePolicy(typeName)?.fields?.[field]?.[agency];
  return alwaysDenied(typeName, field, agency, purpose) || !rule || !canGrantInFull(rule, purpose);
}

/**
 * Response paths holding a value of a field the policy denies to `agency` for every record
 * (`found`), and how many such fields the response had (`checked`, null as they must be).
 */
function deniedValues(document: DocumentNode, data: unknown, agency: Agency, purpose: boolean): { found: string[]; checked: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const found: string[] = [];
  let checked = 0;
  const walk = (selectionSet: SelectionSetNode, type: GraphQLObjectType, value: unknown, path: string) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(selectionSet, type, v, `${path}.${i}`));
      return;
    }
    const record = value as Record<string, unknown>;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const definition = type.getFields()[selection.name.value];
        if (!definition || !(key in record)) continue;
        if (alwaysDenied(type.name, selection.name.value, agency, purpose)) {
          checked++;
          if (record[key] !== null) found.push(`${path}.${key} (${type.name}.${selection.name.value})`);
        }
        const named = getNamedType(definition.type);
        if (selection.selectionSet && isObjectType(named)) walk(selection.selectionSet, named, record[key], `${path}.${key}`);
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (fragment && (!fragment.typeCondition || fragment.typeCondition.name.value === type.name)) walk(fragment.selectionSet, type, value, path);
      }
    }
  };
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = d.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getQueryType();
    if (root) walk(d.selectionSet, root, data, 'data');
  }
  return { found, checked };
}

/**
 * Full ID numbers and phone numbers in `text` that the agency may only ever see masked. `echoes`
 * are values the request itself carried, which an error message may quote back.
 */
function rawSecrets(text: string, agency: Agency, purpose: boolean, echoes = ''): string[] {
  const found: string[] = [];
  if (neverInFull('Person', 'idNumber', agency, purpose)) {
    for (const m of text.match(/\d{17}[\dX]/g) ?? []) if (secrets.idNumbers.has(m) && !echoes.includes(m)) found.push(`ID number ${m}`);
  }
  if (neverInFull('Person', 'phone', agency, purpose)) {
    for (const m of text.match(/1\d{10}/g) ?? []) if (secrets.phones.has(m) && !echoes.includes(m)) found.push(`phone ${m}`);
  }
  return found;
}

// ---- operations over the schema, valid and not ---------------------------------------------------

const GARBAGE = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "' OR 1=1 --",
    '"; drop table grid.person; --',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '𠜎𠜱',
    '${jndi:ldap://x}',
    '<script>alert(1)</script>',
    'x'.repeat(5000),
  ),
);

function argumentName(arg: GraphQLArgument | { name: string }): string {
  if (/code$/i.test(arg.name)) return 'code';
  return arg.name;
}

function stringLiteral(value: string): string {
  return JSON.stringify(value);
}

function inputValue(type: GraphQLInputType, name: string, depth = 0): fc.Arbitrary<string> {
  const nullable = getNullableType<GraphQLInputType>(type);
  if (isListType(nullable)) return fc.array(inputValue(nullable.ofType, name, depth + 1), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`);
  if (isEnumType(nullable))
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...nullable.getValues().map((v) => v.name)) },
      { weight: 1, arbitrary: fc.constantFrom('BOGUS', '"QUOTED"', '1') },
    );
  if (isInputObjectType(nullable)) {
    if (depth > 2) return fc.constant('{}');
    const fields = Object.values(nullable.getFields());
    return fc
      .subarray(fields.filter((f) => !isNonNullType(f.type)))
      .chain((chosen) =>
        fc
          .tuple(
            ...[...fields.filter((f) => isNonNullType(f.type)), ...chosen].map((f) =>
              inputValue(f.type, argumentName(f), depth + 1).map((v) => `${f.name}: ${v}`),
            ),
          )
          .map((parts) => `{ ${parts.join(', ')} }`),
      );
  }
  const scalar = nullable.name;
  if (scalar === 'Int') return fc.oneof(fc.integer({ min: -3, max: 120 }), fc.constantFrom(0, 2147483647, -2147483648)).map(String);
  if (scalar === 'Boolean') return fc.constantFrom('true', 'false');
  if (scalar === 'Float') return fc.double({ noNaN: true, noDefaultInfinity: true }).map(String);
  const pool = scalar === 'DateTime' ? pools.dateTime : scalar === 'Date' ? pools.date : pools[name];
  return fc
    .oneof({ weight: 3, arbitrary: pool?.length ? fc.constantFrom(...pool) : fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: GARBAGE })
    .map(stringLiteral);
}

function argumentsOf(field: GraphQLField<unknown, unknown>): fc.Arbitrary<string> {
  if (!field.args.length) return fc.constant('');
  const required = field.args.filter((a) => isNonNullType(a.type));
  const optional = field.args.filter((a) => !isNonNullType(a.type));
  return fc
    .tuple(
      fc.subarray(optional),
      fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
    )
    .chain(([chosen, dropRequired]) => {
      // Now and then a required argument is missing: a validation error, nothing more.
      const args = [...(dropRequired && required.length ? required.slice(1) : required), ...chosen];
      if (!args.length) return fc.constant('');
      return fc.tuple(...args.map((a) => inputValue(a.type, argumentName(a)).map((v) => `${a.name}: ${v}`))).map((parts) => `(${parts.join(', ')})`);
    });
}

/** Mostly none; an alias named after its field, so that two aliased fields rarely collide. */
const ALIAS = fc.constantFrom('', '', '', '', '', 'a_', 'secret_');

function selectionSet(type: GraphQLObjectType, depth: number): fc.Arbitrary<string> {
  const fields = Object.values(type.getFields());
  const field = fc.constantFrom(...fields).chain((f) => {
    const named = getNamedType(f.type);
    const aliased = (alias: string) => (alias ? `${alias}${f.name}: ${f.name}` : f.name);
    if (isLeafType(named)) return fc.tuple(ALIAS, argumentsOf(f)).map(([alias, args]) => `${aliased(alias)}${args}`);
    if (depth <= 0) return fc.constant('__typename');
    return fc.tuple(ALIAS, argumentsOf(f), selectionSet(named as GraphQLObjectType, depth - 1)).map(([alias, args, sub]) => `${aliased(alias)}${args} ${sub}`);
  });
  const extras = fc.constantFrom('', '', '', '__typename', `... on ${type.name} { __typename }`);
  return fc.tuple(fc.array(field, { minLength: 1, maxLength: 4 }), extras).map(([parts, extra]) => `{ ${parts.join(' ')} ${extra} }`);
}

const VALID = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 5 }).chain((depth) => selectionSet(schema.getQueryType()!, depth)) },
  { weight: 1, arbitrary: selectionSet(schema.getMutationType()!, 2).map((s) => `mutation ${s}`) },
);

type RequestKind =
  | 'operation'
  | 'broken syntax'
  | 'unknown field'
  | 'introspection'
  | 'too deep'
  | 'too many aliases'
  | 'huge page'
  | 'not GraphQL'
  | 'batch'
  | 'no or bad token';

interface Case {
  kind: RequestKind;
  agency: Agency;
  purpose: string | null;
  /** The HTTP body sent, and the document in it when there is one. */
  body: string;
  document?: string;
  token?: string;
}

const asCase = (kind: RequestKind) => (document: string) => ({ kind, document, body: JSON.stringify({ query: document }) });

const REQUESTS: fc.Arbitrary<Omit<Case, 'agency' | 'purpose'>> = fc.oneof(
  { weight: 12, arbitrary: VALID.map(asCase('operation')) },
  { weight: 2, arbitrary: fc.tuple(VALID, fc.nat()).map(([d, cut]) => asCase('broken syntax')(d.slice(0, cut % d.length))) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(VALID, fc.constantFrom('bogus', 'idNumberRaw', '__proto__', 'constructor'))
      .map(([d, f]) => asCase('unknown field')(d.replace('{', `{ ${f} `))),
  },
  { weight: 1, arbitrary: VALID.map((d) => asCase('introspection')(d.replace('{', '{ __schema { types { name fields { name } } } '))) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 14, max: 40 })
      .map((n) => asCase('too deep')(`{ district(code: "211402") { ${'parent { '.repeat(n)}code${' }'.repeat(n)} } }`)),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 10, max: 60 })
      .map((n) =>
        asCase('too many aliases')(
          `{ ${Array.from({ length: n }, (_, i) => `p${i}: personByIdNumber(idNumber: "${pools.idNumber[i % pools.idNumber.length]}") { id idNumber }`).join(' ')} }`,
        ),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 50, max: 5000 })
      .map((n) =>
        asCase('huge page')(`{ persons(first: ${n}) { edges { node { id idNumber phone courtCases { caseNo parties { person { id idNumber } } } } } } }`),
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.string({ maxLength: 200 }),
        fc.json().map((j) => j),
        fc.constantFrom(
          '{"query": 123}',
          '{"query": "{ district(code: \\"211402\\") { code } }", "variables": "x"}',
          '{"query": null}',
          '{}',
          'null',
          '{"query": "{ __typename }", "operationName": {}}',
          `{"query": "${'{ '.repeat(3000)}"}`,
        ),
      )
      .map((body) => ({ kind: 'not GraphQL' as const, body })),
  },
  {
    weight: 1,
    arbitrary: fc.array(VALID, { minLength: 1, maxLength: 3 }).map((ds) => ({ kind: 'batch' as const, body: JSON.stringify(ds.map((query) => ({ query }))) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(VALID, fc.constantFrom('', 'not-a-jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'))
      .map(([d, token]) => ({ ...asCase('no or bad token')(d), token })),
  },
);

const CASES: fc.Arbitrary<Case> = fc
  .tuple(REQUESTS, fc.constantFrom(...AGENCIES), fc.option(fc.constantFrom('case A211402202500001', '(2025)辽1402刑初1号'), { freq: 2 }))
  .map(([request, agency, purpose]) => ({ ...request, agency, purpose }));

// ---- the property ---------------------------------------------------------------------------------

it('has checks that catch a leak when there is one', () => {
  const document = parse('{ person(id: "P1") { id name policeRecords { role } } }');
  // Person.policeRecords is never the grid worker's; the name may be (in their grid).
  expect(deniedValues(document, { person: { id: 'P1', name: '张三', policeRecords: [{ role: 'SUSPECT' }] } }, 'grid', false).found).toEqual([
    'data.person.policeRecords (Person.policeRecords)',
    'data.person.policeRecords.0.role (CaseParticipant.role)',
  ]);
  expect(deniedValues(document, { person: { id: 'P1', name: '张三', policeRecords: null } }, 'grid', false)).toEqual({ found: [], checked: 1 });
  // The analyst sees no person at all.
  expect(deniedValues(document, { person: { id: 'P1', name: null, policeRecords: null } }, 'analyst', false).found).toContain('data.person (Query.person)');
  const idNumber = [...secrets.idNumbers][0];
  expect(rawSecrets(JSON.stringify({ x: idNumber }), 'justice', false)).toEqual([`ID number ${idNumber}`]);
  expect(rawSecrets(JSON.stringify({ x: idNumber }), 'police', false)).toEqual([]);
  expect(rawSecrets(JSON.stringify({ x: idNumber }), 'justice', false, `{"idNumber":"${idNumber}"}`)).toEqual([]);
});

it(
  `answers ${RUNS} random operations from random agencies without a 5xx, a stack trace or a denied value`,
  async () => {
    const tally = new Map<string, number>();
    let deniedFieldsChecked = 0;
    const started = Date.now();
    const level = logger.level;
    logger.level = 'debug';
    // Read at debug level (the most the hub ever says), kept out of the test output.
    untap = tapLogs((line) => logLines.push(line), { instead: true });
    await fc.assert(
      fc.asyncProperty(CASES, async (c) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${c.token ?? tokens[c.agency]}` };
        if (c.purpose) headers['x-purpose'] = encodeURIComponent(c.purpose);
        const res = await fetch(t.url, { method: 'POST', headers, body: c.body });
        const text = await res.text();
        tally.set(`${c.kind} → ${res.status}`, (tally.get(`${c.kind} → ${res.status}`) ?? 0) + 1);
        const problems: string[] = [];
        if (res.status >= 500) problems.push(`HTTP ${res.status}`);
        if (/stacktrace|\bat [\w$.<>]+ \(|\.[jt]s:\d+:\d+/.test(text)) problems.push('a stack trace');
        let data: unknown;
        let errors: unknown;
        try {
          ({ data, errors } = JSON.parse(text) as { data?: unknown; errors?: unknown });
        } catch {
          problems.push('a body that is not JSON');
        }
        if (c.document && data) {
          let document: DocumentNode | undefined;
          try {
            document = parse(c.document);
          } catch {
            // unparsable: the gateway must not have answered with data, which the check below catches
          }
          if (!document) problems.push('data for a document that does not parse');
          else {
            const { found, checked } = deniedValues(document, data, c.agency, !!c.purpose);
            deniedFieldsChecked += checked;
            problems.push(...found.map((p) => `denied value at ${p}`));
          }
        }
        // Data never quotes the request: a number the caller sent must still come back masked.
        problems.push(...rawSecrets(JSON.stringify(data ?? null), c.agency, !!c.purpose).map((s) => `${s} in full in data`));
        problems.push(...rawSecrets(JSON.stringify(errors ?? null), c.agency, !!c.purpose, c.body).map((s) => `${s} in full in errors`));
        if (problems.length)
          throw new Error(
            `${c.kind} as ${c.agency}${c.purpose ? ' with a purpose' : ''}: ${problems.join(', ')}\n${c.body.slice(0, 2000)}\n→ ${res.status} ${text.slice(0, 2000)}`,
          );
      }),
      { numRuns: RUNS },
    );
    untap();
    logger.level = level;
    const byKind = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `  ${k}: ${n}`);
    console.log(
      `fuzz: ${RUNS} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; ${deniedFieldsChecked} denied fields in responses, all null; by kind → HTTP status:\n${byKind.join('\n')}`,
    );
    // The property saw data, and fields it had to find null: it was not vacuously true.
    expect(deniedFieldsChecked).toBeGreaterThan(0);
    expect([...tally.keys()].some((k) => k.startsWith('operation → 200'))).toBe(true);
    // Nothing the hub logged while answering them names a resident: no ID number, no phone number
    // (the requests carried both, in arguments, in bad input, in statements that failed).
    const logged = logLines.join('');
    const leaks = [
      ...(logged.match(/\d{17}[\dX]/g) ?? []).filter((m) => secrets.idNumbers.has(m)),
      ...(logged.match(/1\d{10}/g) ?? []).filter((m) => secrets.phones.has(m)),
    ];
    console.log(
      `fuzz: ${logLines.length} log lines, ${logLines.filter((l) => l.includes('"stack"')).length} with a stack trace, ${leaks.length} naming a resident`,
    );
    expect(logLines.length).toBeGreaterThan(RUNS);
    expect(leaks).toEqual([]);
  },
  Math.max(120_000, RUNS * 100),
);
