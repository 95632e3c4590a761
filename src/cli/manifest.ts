import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import {
  Kind,
  parse,
  print,
  validate,
  visit,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { exceededLimit, measureOperation, type OperationMetrics, type PageSizes } from '../gateway/limits';
import { operationHash, type TrustedManifest } from '../gateway/trustedOperations';
import type { OperationLimits } from '../shared/config';
import { readSupergraph } from './compose';

/** The schema callers see (the supergraph without federation's plumbing). */
export function apiSchema(supergraphSdl = readSupergraph()): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** Every `.graphql` / `.gql` file under the given files and folders (node_modules skipped). */
export function graphqlFiles(paths: string[]): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (entry !== 'node_modules' && !entry.startsWith('.')) walk(join(path, entry));
    } else if (/\.(graphql|gql)$/.test(path)) found.push(path);
  };
  paths.forEach(walk);
  return found;
}

export interface RegisteredOperation {
  name: string;
  file: string;
  hash: string;
  metrics: OperationMetrics;
}

/** A problem that keeps the manifest from being written, naming the file and operation. */
export class ManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`cannot build the manifest:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function spreadNames(node: DefinitionNode): string[] {
  const names: string[] = [];
  visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
  return names;
}

/**
 * Builds a trusted-operations manifest from `.graphql` files: one entry per named operation, its
 * document being the operation and the fragments it uses (from any of the files), printed by
 * graphql-js so the text — and the hash — do not depend on the file's formatting. Every operation
 * must validate against the schema and stay within the limits, or it could never run.
 */
export function buildManifest(
  files: string[],
  schema: GraphQLSchema,
  limits: OperationLimits,
  pages: PageSizes,
  root = process.cwd(),
): { manifest: TrustedManifest; operations: RegisteredOperation[] } {
  const problems: string[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: Array<{ node: OperationDefinitionNode; file: string }> = [];
  for (const file of files) {
    const where = relative(root, file);
    try {
      for (const d of parse(readFileSync(file, 'utf8')).definitions) {
        if (d.kind === Kind.FRAGMENT_DEFINITION) {
          if (fragments.has(d.name.value)) problems.push(`${where}: fragment ${d.name.value} is defined twice`);
          fragments.set(d.name.value, d);
        } else if (d.kind === Kind.OPERATION_DEFINITION) {
          if (!d.name) problems.push(`${where}: every operation needs a name (it identifies the operation in the manifest and the audit trail)`);
          else operations.push({ node: d, file: where });
        }
      }
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
    }
  }
  const manifest: TrustedManifest = {};
  const registered: RegisteredOperation[] = [];
  const names = new Set<string>();
  for (const { node, file } of operations) {
    const name = node.name!.value;
    if (names.has(name)) problems.push(`${file}: operation ${name} is defined twice`);
    names.add(name);
    const used = new Map<string, FragmentDefinitionNode>();
    const pending = spreadNames(node);
    while (pending.length) {
      const fragmentName = pending.pop()!;
      const fragment = fragments.get(fragmentName);
      if (!fragment || used.has(fragmentName)) continue;
      used.set(fragmentName, fragment);
      pending.push(...spreadNames(fragment));
    }
    const document = { kind: Kind.DOCUMENT, definitions: [node, ...[...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value))] } as const;
    const errors = validate(schema, document);
    if (errors.length) {
      problems.push(...errors.map((e) => `${file}: ${name}: ${e.message}`));
      continue;
    }
    const metrics = measureOperation(schema, document, node, undefined, pages, limits.listSize);
    const over = exceededLimit(metrics, limits);
    if (over)
      problems.push(
        `${file}: ${name}: over the gateway's ${over} limit (depth ${metrics.depth}, cost ${metrics.cost}, aliases ${metrics.aliases}, directives ${metrics.directives})`,
      );
    const text = print(document);
    try {
      parse(text, { maxTokens: limits.maxTokens });
    } catch {
      problems.push(`${file}: ${name}: over the gateway's tokens limit`);
    }
    const hash = operationHash(text);
    manifest[hash] = text;
    registered.push({ name, file, hash, metrics });
  }
  if (!operations.length && !problems.length) problems.push(`no named operation in ${files.length} file(s)`);
  if (problems.length) throw new ManifestError(problems);
  registered.sort((a, b) => a.name.localeCompare(b.name));
  return { manifest: Object.fromEntries(registered.map((o) => [o.hash, manifest[o.hash]])), operations: registered };
}
