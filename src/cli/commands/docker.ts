import type { Command } from 'commander';
import { CliError, usageError } from '../errors';

export function registerDocker(program: Command): void {
  program
    .command('docker')
    .description("write docker/compose.yaml from the subgraph registry (every subgraph, its login, the stand-ins for departments' own systems)")
    .option('--check', 'fail when docker/compose.yaml differs from what the code produces (CI)')
    .action(async (opts: { check?: boolean }) => {
      const { writeDockerCompose } = require('../docker') as typeof import('../docker');
      const differs = writeDockerCompose(Boolean(opts.check));
      if (opts.check && differs) throw new CliError('docker/compose.yaml is out of date; run npm run -s hub -- docker and commit');
      process.stdout.write(
        opts.check ? 'docker/compose.yaml matches the code\n' : differs ? 'wrote docker/compose.yaml\n' : 'docker/compose.yaml was up to date\n',
      );
    });

  program
    .command('stand-in')
    .description(
      "serve the stand-in for a department's own API (test fixtures: npm start runs it itself; docker/compose.yaml runs it as a service) until stopped",
    )
    .argument('<department>', 'a department whose records stay behind its own API (e.g. hotline)')
    .option('--port <port>', "port to listen on (default: the department's spec's)")
    .action(async (department: string, opts: { port?: string }) => {
      const { subgraphs } = require('../../subgraphs') as typeof import('../../subgraphs');
      const def = Object.hasOwn(subgraphs, department) ? subgraphs[department as keyof typeof subgraphs] : undefined;
      const api = def?.existingApi;
      if (!api?.devService) {
        const known = Object.values(subgraphs)
          .filter((d) => d.existingApi?.devService)
          .map((d) => d.name);
        throw usageError(`no stand-in for "${department}": expected one of ${known.join(', ')}`);
      }
      const port = opts.port === undefined ? (api.devPort ?? 0) : Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port ${opts.port}: expected an integer from 0 to 65535`);
      const host = process.env.HUB_HOST || '127.0.0.1';
      const service = await api.devService(port, host);
      process.stdout.write(`stand-in for ${department}'s API on ${host}:${new URL(service.url).port} (test data; Ctrl-C stops it)\n`);
      const stop = () => void service.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
