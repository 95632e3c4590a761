import type { Command } from 'commander';
import { repoRoot } from '../../shared/paths';
import { usageError } from '../errors';

interface NewDepartmentOptions {
  fromDatabase?: string;
  fromOpenapi?: string;
  apiUrl?: string;
  schema: string;
  tables?: string;
}

export function registerNewDepartment(program: Command): void {
  program
    .command('new-department')
    .argument('<name>', 'lowercase letters and digits, e.g. petition (信访)')
    .option('--from-database <url>', "the department's existing PostgreSQL database (read-only): map its tables as they are, no migrations")
    .option('--schema <schema>', 'with --from-database: the schema holding the tables', 'public')
    .option('--tables <a,b>', 'with --from-database: only these tables (default: every table of the schema)')
    .option('--from-openapi <spec>', "the department's existing REST/JSON API, from its OpenAPI 3 spec (JSON or YAML): its GET operations become queries")
    .option('--api-url <url>', "with --from-openapi: where to reach the API now (default: the spec's server); the scaffold calls its list GETs once")
    .description(
      'scaffold a department subgraph: entities, resolvers, loaders, policy stanza (admin only), test; registered for start and compose. New: its own tables, migration and demo data; --from-database: mapped onto an existing database',
    )
    .action(async (name: string, opts: NewDepartmentOptions) => {
      const { scaffoldDepartment, scaffoldFromDatabase, scaffoldFromOpenApi, ScaffoldError } =
        require('../scaffold/newDepartment') as typeof import('../scaffold/newDepartment');
      let result;
      try {
        if (opts.fromDatabase && opts.fromOpenapi) throw usageError('--from-database and --from-openapi: pick one');
        if (opts.fromDatabase) {
          result = await scaffoldFromDatabase(repoRoot, name, {
            url: opts.fromDatabase,
            schema: opts.schema,
            tables: opts.tables
              ?.split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          });
        } else if (opts.fromOpenapi) {
          result = await scaffoldFromOpenApi(repoRoot, name, { spec: opts.fromOpenapi, apiUrl: opts.apiUrl });
        } else {
          result = scaffoldDepartment(repoRoot, name);
        }
      } catch (e) {
        if (e instanceof ScaffoldError) throw usageError(e.message);
        throw e;
      }
      const { created, changed } = result;
      process.stdout.write(
        [
          `new department "${result.name}": owns ${result.owns.join(', ')}${result.person.length ? `, adds ${result.person.map((f) => `Person.${f}`).join(', ')}` : ''}`,
          ...created.map((f) => `  created ${f}`),
          ...changed.map((f) => `  changed ${f}`),
          '',
          'Policy: deny by default. Only admin sees the new types until you grant agencies in schema/policy.yaml.',
          ...(opts.fromDatabase ? [`Its records stay in its database: set DATABASE_URL_${name.toUpperCase()} (read-only login) wherever the hub runs.`] : []),
          ...(opts.fromOpenapi
            ? [`Its records stay behind its API: set API_URL_${name.toUpperCase()} wherever the hub runs (default: the spec's server).`]
            : []),
          'Next:',
          '  npm run compose                      # schema/ with the new subgraph, composition checked',
          '  npm run -s hub -- docker             # docker/compose.yaml with its service, login and database',
          '  npm run -s hub -- kubernetes         # the Kubernetes base with its Deployment, database and network rules',
          `  npm test -- test/${name}.test.ts   # its test against real PostgreSQL`,
          '  npm start                            # it runs with the others; try it as admin in the console',
          'Then read docs/integrating-a-department.md.',
        ].join('\n') + '\n',
      );
    });
}
