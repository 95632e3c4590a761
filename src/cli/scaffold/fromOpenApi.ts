import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DepartmentApi } from '../../kit/api';
import { idNumberProblem } from '../../shared/idNumber';
import { redactUrl } from './fromDatabase';
import { ScaffoldError } from './errors';

/**
 * What `hub new-department <name> --from-openapi <spec>` learns from a department's OpenAPI 3 spec
 * and a sample of its answers. The spec is read with `yaml` (already a dependency; JSON is YAML):
 * the scaffold only needs GET paths, their parameters and the component schemas they answer, with
 * local `$ref`s, which it resolves itself; a full validator (@apidevtools/swagger-parser) would add
 * a dependency tree for checks the scaffold's own refusals already make.
 */

export interface ApiProperty {
  name: string;
  graphql: 'String' | 'Int' | 'Float' | 'Boolean';
  nullable: boolean;
  description?: string;
  /** Holds ID numbers (sampled): not shown, linked to Person by the key computed from it. */
  idNumber: boolean;
  /** Holds district codes (described as such, sampled 6 digits): linked to District. */
  district: boolean;
}

export interface ApiEntity {
  schema: string;
  type: string;
  one: string;
  many: string;
  key: string;
  properties: ApiProperty[];
  /** The item GET, `{key}` for the key. */
  item: string;
  /** The collection GET: its scalar filters, its page-size parameter, and its list-of-keys parameter. */
  list?: { path: string; filters: string[]; limit?: string; batch?: { param: string; max: number } };
}

export interface ApiModel {
  serverUrl: string;
  entities: ApiEntity[];
}

interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  nullable?: boolean;
  description?: string;
  maxItems?: number;
}
interface Parameter {
  name: string;
  in: string;
  schema?: SchemaObject;
  description?: string;
}
interface Operation {
  parameters?: Parameter[];
  responses?: Record<string, { content?: Record<string, { schema?: SchemaObject }> }>;
}
// YAML reads `openapi: 3.0` as a number.
interface Spec {
  openapi?: string | number;
  servers?: Array<{ url: string }>;
  paths?: Record<string, { get?: Operation }>;
  components?: { schemas?: Record<string, SchemaObject> };
}

const refName = (s: SchemaObject | undefined) => /^#\/components\/schemas\/(\w+)$/.exec(s?.$ref ?? '')?.[1];

function graphqlType(owner: string, name: string, s: SchemaObject): ApiProperty['graphql'] {
  // Dates and times stay the text the API sends (ISO 8601): re-parsing them could only change them.
  if (s.type === 'string') return 'String';
  if (s.type === 'integer') return 'Int';
  if (s.type === 'number') return 'Float';
  if (s.type === 'boolean') return 'Boolean';
  throw new ScaffoldError(
    `property ${owner}.${name} has type ${s.type ?? s.$ref ?? 'unknown'}, which has no GraphQL mapping (string, integer, number, boolean); map it by hand after scaffolding the rest, or leave it out of the spec`,
  );
}

export function readSpec(file: string): Spec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScaffoldError(`cannot read the spec ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let spec: Spec;
  try {
    spec = parse(text) as Spec;
  } catch (e) {
    throw new ScaffoldError(`${file} is not JSON or YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof spec !== 'object' || spec === null || !String(spec.openapi ?? '').startsWith('3.'))
    throw new ScaffoldError(`${file} is not an OpenAPI 3 spec (no "openapi: 3.x")`);
  return spec;
}

/** Reads the spec's GET operations into entities, then samples the API to find ID number and district columns. */
export async function readOpenApi(file: string, opts: { typePrefix: string; apiUrl?: string }): Promise<ApiModel> {
  const spec = readSpec(file);
  const schemas = spec.components?.schemas ?? {};
  const serverUrl = opts.apiUrl ?? spec.servers?.[0]?.url;
  if (!serverUrl || !/^https?:\/\//.test(serverUrl)) throw new ScaffoldError(`${file} names no http(s) server (servers[0].url); pass --api-url`);
  const ok = (op: Operation) => op.responses?.['200']?.content?.['application/json']?.schema;
  const items = new Map<string, { path: string; key: string }>();
  const lists = new Map<string, { path: string; params: Parameter[] }>();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    const get = item.get;
    const schema = get && ok(get);
    if (!get || !schema) continue;
    const one = /^(.*)\/\{(\w+)\}$/.exec(path);
    if (one && refName(schema) && !/\{/.test(one[1])) items.set(refName(schema)!, { path: path.replace(`{${one[2]}}`, '{key}'), key: one[2] });
    else if (!/\{/.test(path) && schema.type === 'array' && refName(schema.items)) lists.set(refName(schema.items)!, { path, params: get.parameters ?? [] });
  }
  const entities: ApiEntity[] = [];
  for (const [name, item] of items) {
    const s = schemas[name];
    if (!s?.properties) throw new ScaffoldError(`schema ${name} (answered by GET ${item.path.replace('{key}', `{${item.key}}`)}) has no properties`);
    if (s.properties[item.key]?.type !== 'string')
      throw new ScaffoldError(
        `GET ${item.path.replace('{key}', `{${item.key}}`)}: its path parameter ${item.key} must be a string property of ${name} (the record's key)`,
      );
    const required = new Set(s.required ?? []);
    const properties = Object.entries(s.properties).map(([p, ps]): ApiProperty => {
      if (!/^[A-Za-z_]\w*$/.test(p)) throw new ScaffoldError(`property ${name}.${p} is not a valid GraphQL name`);
      return {
        name: p,
        graphql: graphqlType(name, p, ps),
        nullable: !required.has(p) || ps.nullable === true,
        description: ps.description,
        idNumber: false,
        district: false,
      };
    });
    const type = opts.typePrefix + name;
    const list = lists.get(name);
    const batchParam = list?.params.find(
      (p) => p.in === 'query' && p.schema?.type === 'array' && p.schema.items?.type === 'string' && /^(ids|keys|\w+s)$/.test(p.name),
    );
    entities.push({
      schema: name,
      type,
      one: type[0].toLowerCase() + type.slice(1),
      many: `${type[0].toLowerCase()}${type.slice(1)}s`,
      key: item.key,
      properties,
      item: item.path,
      list: list && {
        path: list.path,
        filters: list.params
          .filter((p) => p.in === 'query' && p !== batchParam && p.schema?.type === 'string')
          .map((p) => p.name)
          .filter((p) => /^[A-Za-z_]\w*$/.test(p)),
        limit: list.params.find((p) => p.in === 'query' && p.schema?.type === 'integer' && /^(limit|size|pageSize)$/.test(p.name))?.name,
        batch: batchParam && { param: batchParam.name, max: batchParam.schema?.maxItems ?? 100 },
      },
    });
  }
  if (!entities.length)
    throw new ScaffoldError(
      `${file} has no usable GET operation: the hub needs a GET /things/{key} answering one record (a component schema), optionally with GET /things answering a list of them`,
    );
  await sample(serverUrl, entities);
  return { serverUrl, entities };
}

/** Calls each list GET once (read-only) to see which properties hold ID numbers or district codes. */
async function sample(serverUrl: string, entities: ApiEntity[]): Promise<void> {
  const api = new DepartmentApi('scaffold', serverUrl, { attempts: 1, timeoutMs: 5_000 });
  for (const e of entities) {
    if (!e.list) continue;
    let body: unknown;
    try {
      body = await api.get(e.list.path, e.list.limit ? { [e.list.limit]: '50' } : {});
    } catch (err) {
      throw new ScaffoldError(
        `cannot reach the API at ${redactUrl(serverUrl)} (GET ${e.list.path}): ${(err as { extensions?: { reason?: string } }).extensions?.reason ?? (err as Error).message}`,
      );
    }
    const rows = Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [];
    for (const p of e.properties.filter((x) => x.graphql === 'String' && x.name !== e.key)) {
      const values = rows.map((r) => r[p.name]).filter((v): v is string => typeof v === 'string');
      if (!values.length) continue;
      p.idNumber = values.filter((v) => idNumberProblem(v.trim()) === null).length >= Math.ceil(values.length * 0.8);
      p.district = /district|区县/i.test(p.description ?? '') && values.every((v) => /^\d{6}$/.test(v));
    }
  }
}
