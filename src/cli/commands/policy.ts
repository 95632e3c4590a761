import type { Command } from 'commander';
import { AGENCIES, isAgency } from '../../auth/viewer';
import { CliError, usageError } from '../errors';

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('the access policy (schema/policy.yaml)');

  policy
    .command('check')
    .description('validate the policy file and check it covers every type of every subgraph')
    .action(async () => {
      const { policyProblems } = require('../doctor') as typeof import('../doctor');
      const { entries, problems } = await policyProblems();
      if (problems.length) throw new CliError(`policy problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      process.stdout.write(`policy OK: ${entries} type entries\n`);
    });

  policy
    .command('explain')
    .description('what an agency gets for Type.field (or every sensitive field of Type), and why')
    .argument('<target>', 'Type.field or Type, e.g. Person.idNumber')
    .requiredOption('--agency <agency>', AGENCIES.join('|'))
    .option('--jurisdiction <codes>', 'comma-separated codes the viewer holds (shown with jurisdiction conditions)')
    .action(async (target: string, opts: { agency: string; jurisdiction?: string }) => {
      if (!isAgency(opts.agency)) throw usageError(`unknown agency "${opts.agency}"; expected one of ${AGENCIES.join(', ')}`);
      const { loadPolicy } = require('../../policy/policy') as typeof import('../../policy/policy');
      const loaded = loadPolicy();
      const [typeName, field] = target.split('.');
      const tp = loaded.typePolicy(typeName);
      if (!tp) throw new CliError(`${typeName} is not in the policy: denied to everyone`);
      if (field !== undefined) {
        // Asked about a field the graph does not have, the policy would answer its type's default.
        const { Supergraph } = require('@apollo/federation-internals') as typeof import('@apollo/federation-internals');
        const { readSupergraph } = require('../compose') as typeof import('../compose');
        const type = Supergraph.build(readSupergraph()).schema.type(typeName);
        const exists = !!type && 'field' in type && typeof type.field === 'function' && !!type.field(field);
        if (!exists) throw usageError(`${typeName}.${field}: no such field in the graph`);
      }
      const fields = field ? [field] : Object.keys(tp.fields ?? {});
      const where = opts.jurisdiction ? ` (jurisdiction ${opts.jurisdiction}${tp.scope ? `, tested against the record's ${tp.scope}` : ''})` : '';
      for (const f of fields) {
        const { rule, sensitive } = loaded.explain(typeName, f, opts.agency);
        process.stdout.write(`${typeName}.${f} for ${opts.agency}${where}: ${rule}${sensitive ? ' [sensitive, audited]' : ''}\n`);
      }
      if (tp.scope)
        process.stdout.write(
          `lists of ${typeName} are limited to your jurisdiction (${tp.scope})${tp.caseKeys ? ' and the case you state (x-purpose: case:<number>)' : ''}\n`,
        );
      if (tp.notFoundOutside?.includes(opts.agency))
        process.stdout.write(`${typeName} records outside your jurisdiction are not found by any path (lookups answer null)\n`);
      const roles = loaded.rolesOf(opts.agency);
      if (roles.length) process.stdout.write(`roles of ${opts.agency}: ${roles.join(', ')}\n`);
    });
}
