import type { Command } from 'commander';
import { CliError } from '../errors';

export function registerKubernetes(program: Command): void {
  program
    .command('kubernetes')
    .description('write the Kubernetes base (deploy/kubernetes/base) from the subgraph registry')
    .option('--check', 'fail when deploy/kubernetes/base differs from what the code produces (CI)')
    .action(async (opts: { check?: boolean }) => {
      const { writeKubernetesBase } = require('../kubernetes') as typeof import('../kubernetes');
      const changed = writeKubernetesBase(Boolean(opts.check));
      if (opts.check && changed.length)
        throw new CliError(`deploy/kubernetes/base is out of date: ${changed.join(', ')}; run npm run -s hub -- kubernetes and commit`);
      process.stdout.write(opts.check ? 'deploy/kubernetes/base matches the code\n' : `wrote ${changed.length} file(s) in deploy/kubernetes/base\n`);
    });
}
