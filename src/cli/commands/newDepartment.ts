import type { Command } from 'commander';
import { repoRoot } from '../../shared/paths';
import { usageError } from '../errors';

export function registerNewDepartment(program: Command): void {
  program
    .command('new-department')
    .argument('<name>', 'lowercase letters, e.g. petition (信访)')
    .description('scaffold a department subgraph: entity, resolvers, loader, demo data, migration, policy stanza (admin only), test; registered for start and compose')
    .action(async (name: string) => {
      const { scaffoldDepartment, ScaffoldError } = require('../scaffold/newDepartment') as typeof import('../scaffold/newDepartment');
      let result;
      try {
        result = scaffoldDepartment(repoRoot, name);
      } catch (e) {
        if (e instanceof ScaffoldError) throw usageError(e.message);
        throw e;
      }
      const { names: n, created, changed } = result;
      process.stdout.write([
        `new department "${n.name}": owns ${n.entity}, adds Person.${n.many}`,
        ...created.map((f) => `  created ${f}`),
        ...changed.map((f) => `  changed ${f}`),
        '',
        'Policy: deny by default. Only admin sees the new types until you grant agencies in schema/policy.yaml.',
        'Next:',
        '  npm run compose                      # schema/ with the new subgraph, composition checked',
        `  npm test -- test/${n.name}.test.ts   # its test against real PostgreSQL`,
        '  npm start                            # it runs with the others; try it as admin in the console',
        'Then read docs/integrating-a-department.md.',
      ].join('\n') + '\n');
    });
}
