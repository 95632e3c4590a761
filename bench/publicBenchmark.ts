import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../src/shared/paths';

/**
 * The files of The Guild's public gateway benchmark (graphql-hive/graphql-gateways-benchmark,
 * MIT, © 2023 The Guild), kept in the repository so the suite runs anywhere:
 * `bench/gateways-benchmark/`.
 */
export const PUBLIC_BENCHMARK_DIR = process.env.PUBLIC_BENCHMARK_DIR ?? join(repoRoot, 'bench', 'gateways-benchmark');

const read = (file: string) => readFileSync(join(PUBLIC_BENCHMARK_DIR, file), 'utf8');

/** The supergraph with its subgraph URLs pointed at where our Node subgraphs listen. */
export function publicSupergraph(subgraphUrls: Record<string, string>): string {
  return read('supergraph.graphql').replace(/url: "http:\/\/0\.0\.0\.0:4200\/(\w+)"/g, (_whole, name: string) => {
    if (!subgraphUrls[name]) throw new Error(`no URL for subgraph ${name}`);
    return `url: "${subgraphUrls[name]}"`;
  });
}

export const publicQuery = (): string => read('query.graphql');

export const publicExpectedResponse = (): unknown => JSON.parse(read('expected-response.json'));
