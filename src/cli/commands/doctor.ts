import type { Command } from 'commander';
import { CliError } from '../errors';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check Node, configuration, ports, the database, keys and the policy, and say what to fix (exit 1 when something fails)')
    .action(async () => {
      const { formatDoctor, runDoctor } = require('../doctor') as typeof import('../doctor');
      const checks = await runDoctor();
      process.stdout.write(`${formatDoctor(checks)}\n`);
      const failed = checks.filter((c) => !c.ok).map((c) => c.name);
      if (failed.length) throw new CliError(`${failed.length} check(s) failed: ${failed.join(', ')}`);
    });
}
