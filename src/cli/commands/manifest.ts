import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../errors';

export function registerManifest(program: Command): void {
  program
    .command('manifest')
    .description('build a trusted-operations manifest (hash → document) from .graphql files, for TRUSTED_OPERATIONS_FILE')
    .argument('<paths...>', '.graphql files, or folders holding them')
    .option('--out <file>', 'write the manifest to a file instead of stdout')
    .action((paths: string[], opts: { out?: string }) => {
      const { loadConfig } = require('../../shared/config') as typeof import('../../shared/config');
      const { DEFAULT_PAGE_SIZE } = require('../../kit/pagination') as typeof import('../../kit/pagination');
      const { apiSchema, buildManifest, graphqlFiles, ManifestError } = require('../manifest') as typeof import('../manifest');
      const config = loadConfig();
      try {
        const { manifest, operations } = buildManifest(graphqlFiles(paths), apiSchema(), config.security.limits, {
          default: DEFAULT_PAGE_SIZE,
          max: config.maxPageSize,
        });
        const text = `${JSON.stringify(manifest, null, 2)}\n`;
        if (opts.out) writeFileSync(opts.out, text);
        else process.stdout.write(text);
        for (const o of operations) process.stderr.write(`${o.hash.slice(0, 12)}  ${o.name} (${o.file}): depth ${o.metrics.depth}, cost ${o.metrics.cost}\n`);
        process.stderr.write(`${operations.length} operations registered${opts.out ? ` in ${opts.out}` : ''}\n`);
      } catch (e) {
        if (e instanceof ManifestError) throw new CliError(e.message);
        throw e;
      }
    });
}
