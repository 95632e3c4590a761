import type { Command } from 'commander';
import { CliError } from '../errors';

export function registerCompose(program: Command): void {
  program
    .command('compose')
    .description("print each subgraph SDL to schema/, compose schema/supergraph.graphql and write the statistics export's columns")
    .option('--check', 'fail when schema/ differs from what the code produces (CI)')
    .option('--allow-breaking', 'accept breaking changes against the committed supergraph')
    .action(async (opts: { check?: boolean; allowBreaking?: boolean }) => {
      const { composeHub, writeComposed } = require('../compose') as typeof import('../compose');
      const result = await composeHub();
      if (result.breaking.length && !opts.allowBreaking) {
        throw new CliError(
          `breaking changes against the committed supergraph (announce them with --allow-breaking):\n${result.breaking.map((b) => `  - ${b}`).join('\n')}`,
        );
      }
      if (opts.check) {
        if (result.changed.length)
          throw new CliError(`schema/ is out of date: ${result.changed.join(', ')} differ from the code; run npm run compose and commit`);
        process.stdout.write('schema/ matches the code\n');
        return;
      }
      writeComposed(result);
      process.stdout.write(
        `composed ${Object.keys(result.files).filter((f) => f.endsWith('.graphql')).length - 1} subgraphs; wrote ${Object.keys(result.files)
          .map((f) => `schema/${f}`)
          .join(', ')}\n`,
      );
    });
}
