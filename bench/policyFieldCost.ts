import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { cpuUsage } from 'node:process';
import { buildSchema, defaultFieldResolver, execute, isObjectType, parse, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, rule, shield } from 'graphql-shield';
import { repoRoot } from '../src/shared/paths';
import { POLICY_FIELD_COST_RESULTS, type PolicyFieldCostResults } from './report';

/**
 * `node dist/bench/policyFieldCost.js [records]`: what a policy layer costs per resolved field,
 * with nothing else in the way (no HTTP, no database): a list of `records` records (default 2000)
 * of ten scalar fields, executed in process, each way in turn, repeatedly, and the CPU time per
 * field over the bare schema printed and written to bench/results/policy-field-cost.json (which
 * docs/performance.md shows; `node dist/bench/report.js` redoes the page). The ways:
 *
 * - graphql-shield with its built-in `allow` on every field (the engine alone);
 * - graphql-shield with a rule that looks the agency up (what the policy's rule did per field);
 * - the same rule plus a second graphql-middleware layer (the masking step that masked fields had);
 * - a synchronous guard doing the same look-up (what src/policy/enforce.ts installs now).
 */
const FIELDS = Array.from({ length: 10 }, (_, i) => `f${i}`);
const SDL = `type Query { records: [Rec!]! }\ntype Rec { ${FIELDS.map((f) => `${f}: String`).join(' ')} }`;
const QUERY = parse(`{ records { ${FIELDS.join(' ')} } }`);
const VISIBLE = new Set(['court', 'police']);

interface Ctx {
  agency: string;
}

function bare(records: number): GraphQLSchema {
  const schema = buildSchema(SDL);
  const rows = Array.from({ length: records }, (_, i) => Object.fromEntries(FIELDS.map((f) => [f, `${f}-${i}`])));
  schema.getQueryType()!.getFields().records.resolve = () => rows;
  return schema;
}

const agencyRule = rule({ cache: 'no_cache' })((_parent, _args, ctx: Ctx) => VISIBLE.has(ctx.agency));

function shielded(records: number, withMaskLayer: boolean, fieldRule: typeof agencyRule | typeof allow = agencyRule): GraphQLSchema {
  const schema = bare(records);
  const rules = { Query: { records: allow }, Rec: Object.fromEntries(FIELDS.map((f) => [f, fieldRule])) };
  const passThrough = {
    Rec: Object.fromEntries(FIELDS.map((f) => [f, async (resolve: (...a: unknown[]) => unknown, ...rest: unknown[]) => resolve(...rest)])),
  };
  return withMaskLayer ? applyMiddleware(schema, shield(rules), passThrough) : applyMiddleware(schema, shield(rules));
}

function guarded(records: number): GraphQLSchema {
  const schema = bare(records);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name !== 'Rec') continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, Ctx> = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, ctx: Ctx, info) => (VISIBLE.has(ctx.agency) ? resolve(parent, args, ctx, info) : new Error('denied'));
    }
  }
  return schema;
}

async function cpuPerRun(schema: GraphQLSchema, runs: number): Promise<number> {
  const before = cpuUsage();
  for (let i = 0; i < runs; i++) {
    const result = await execute({ schema, document: QUERY, contextValue: { agency: 'court' } });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  }
  const used = cpuUsage(before);
  return (used.user + used.system) / runs; // µs
}

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 2000);
  const fields = records * FIELDS.length;
  const ways: Array<[string, GraphQLSchema]> = [
    ['bare schema', bare(records)],
    ['graphql-shield, built-in allow on every field', shielded(records, false, allow)],
    ['graphql-shield, agency rule on every field', shielded(records, false)],
    ['graphql-shield + a second middleware layer (masking step)', shielded(records, true)],
    ['synchronous guard, same agency look-up', guarded(records)],
  ];
  const load = loadavg()[0];
  for (const [, schema] of ways) await cpuPerRun(schema, 5); // warm-up (JIT)
  const totals = new Map<string, number[]>(ways.map(([name]) => [name, []]));
  // Alternating rounds, so load on the machine falls on every way alike; the median is kept.
  for (let round = 0; round < 7; round++) for (const [name, schema] of ways) totals.get(name)!.push(await cpuPerRun(schema, 10));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(totals.get('bare schema')!);
  const results: PolicyFieldCostResults = {
    measuredAt: new Date().toISOString(),
    records,
    fieldsPerExecution: fields,
    loadAverage: [load, loadavg()[0]],
    ways: ways.map(([name]) => {
      const us = median(totals.get(name)!);
      return { name, msPerExecution: us / 1000, nsPerField: ((us - base) * 1000) / fields };
    }),
  };
  process.stdout.write(
    `${records} records × ${FIELDS.length} fields = ${fields} field resolutions per execution; CPU per execution (median of 7 rounds of 10):\n`,
  );
  for (const w of results.ways) {
    process.stdout.write(
      `  ${w.name.padEnd(60)} ${w.msPerExecution.toFixed(1).padStart(7)} ms   ${w.name === 'bare schema' ? '' : `+${w.nsPerField.toFixed(0)} ns per field`}\n`,
    );
  }
  writeFileSync(join(repoRoot, POLICY_FIELD_COST_RESULTS), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
