import type { Command } from 'commander';
import { ROLES } from '../../shared/config';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('distributed mode: run one role (the gateway or one subgraph) as its own process, configured by environment variables (docs/deploy.md)')
    .argument('<role>', ROLES.join('|'))
    .action(async (role: string) => {
      const { runServe } = require('../serve') as typeof import('../serve');
      await runServe(role);
    });
}
