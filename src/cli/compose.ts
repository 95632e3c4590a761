import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { Supergraph } from '@apollo/federation-internals';
import { findBreakingChanges, parse, type GraphQLSchema } from 'graphql';
import { statisticsColumns } from '../analytics/columns';
import { buildDepartmentSchema } from '../kit/schema';
import { policyCoverageProblems } from '../policy/coverage';
import { loadPolicy } from '../policy/policy';
import { loadConfig } from '../shared/config';
import { repoRoot } from '../shared/paths';
import { subgraphList } from '../subgraphs';

export interface ComposeResult {
  files: Record<string, string>;
  /** Files whose content differs from what is on disk. */
  changed: string[];
  breaking: string[];
}

function apiSchema(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/**
 * Prints every department's subgraph SDL and composes the supergraph (Federation 2). Throws on
 * composition errors. Reports breaking changes against the committed supergraph.
 */
export async function composeHub(): Promise<ComposeResult> {
  const config = loadConfig({});
  const files: Record<string, string> = {};
  const services = [];
  const schemas = [];
  for (const def of subgraphList()) {
    const schema = await buildDepartmentSchema(def);
    schemas.push(schema);
    const sdl = printSubgraphSchema(schema);
    files[`${def.name}.graphql`] = sdl;
    services.push({ name: def.name, typeDefs: parse(sdl), url: config.subgraphUrls[def.name] });
  }
  const composed = composeServices(services);
  if (composed.errors) {
    throw new Error(`composition failed:\n${composed.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  files['supergraph.graphql'] = composed.supergraphSdl;
  // One figure a line: a new statistic shows as one added line in review.
  files['statistics-columns.json'] = `${JSON.stringify(statisticsColumns(subgraphList()), null, 2).replace(/\[\s+("[^"]*"),\s+("[^"]*")\s+\]/g, '[$1, $2]')}\n`;
  const coverage = policyCoverageProblems(loadPolicy(), schemas);
  if (coverage.length) throw new Error(`the policy does not cover the graph:\n${coverage.map((p) => `  - ${p}`).join('\n')}`);
  const changed = Object.keys(files).filter((f) => {
    const path = join(repoRoot, 'schema', f);
    return !existsSync(path) || readFileSync(path, 'utf8') !== files[f];
  });
  const committedPath = join(repoRoot, 'schema', 'supergraph.graphql');
  const breaking = existsSync(committedPath)
    ? findBreakingChanges(apiSchema(readFileSync(committedPath, 'utf8')), apiSchema(composed.supergraphSdl)).map((c) => `${c.type}: ${c.description}`)
    : [];
  return { files, changed, breaking };
}

export function writeComposed(result: ComposeResult): void {
  for (const [file, content] of Object.entries(result.files)) writeFileSync(join(repoRoot, 'schema', file), content);
}

export function readSupergraph(): string {
  return readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8');
}
