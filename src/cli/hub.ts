#!/usr/bin/env node
import './pinnedNode';
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { PolicyError } from '../policy/policy';
import { ConfigError } from '../shared/errors';
import { registerAudit } from './commands/audit';
import { registerCompose } from './commands/compose';
import { registerMigration } from './commands/migration';
import { registerNewDepartment } from './commands/newDepartment';
import { registerPolicy } from './commands/policy';
import { registerStart } from './commands/start';
import { registerToken } from './commands/token';
import { registerServe } from './commands/serve';
import { registerSeed } from './commands/seed';
import { registerStats } from './commands/stats';
import { registerPlans } from './commands/plans';
import { registerManifest } from './commands/manifest';
import { registerDoctor } from './commands/doctor';
import { registerKubernetes } from './commands/kubernetes';
import { registerDocker } from './commands/docker';
import { registerPetitionFixture } from './commands/petitionFixture';
import { CliError } from './errors';

/**
 * `hub`: one command for operators and developers. Each subcommand lives in its own module under
 * `commands/` and registers itself here; a new one is a file and a line. A command loads what it
 * needs (Apollo, MikroORM, PostgreSQL) with require() when it runs, so `--help` and argument
 * errors answer at once.
 */
const program = new Command('hub')
  .description('Pingan Hub: the political-legal departments of a city in one GraphQL graph')
  .showHelpAfterError()
  // Commander prints its own usage errors; we only pick the exit code (2: fix the command line).
  .exitOverride();

registerStart(program);
registerServe(program);
registerToken(program);
registerCompose(program);
registerPolicy(program);
registerAudit(program);
registerMigration(program);
registerSeed(program);
registerStats(program);
registerPlans(program);
registerManifest(program);
registerKubernetes(program);
registerDocker(program);
registerPetitionFixture(program);
registerNewDepartment(program);
registerDoctor(program);

function exit(message: string, code: number): never {
  process.stderr.write(`hub: ${message}\n`);
  process.exit(code);
}

program.parseAsync().catch((err: unknown) => {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  if (err instanceof CliError) exit(err.message, err.exitCode);
  // Every problem of the configuration on the one line, so a script (or a person) reads all of them at once.
  if (err instanceof ConfigError) exit(`invalid configuration: ${err.problems.join('; ')}`, 2);
  if (err instanceof PolicyError) exit(err.message, 2);
  // Anything else is still one line (HUB_DEBUG=1 shows the stack, for a bug report).
  if (process.env.HUB_DEBUG && err instanceof Error && err.stack) exit(err.stack, 1);
  const message = err instanceof Error ? err.message : String(err);
  exit(`${message.split('\n')[0]} (HUB_DEBUG=1 shows where)`, 1);
});
