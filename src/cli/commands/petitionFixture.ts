import type { Command } from 'commander';
import { CliError } from '../errors';

export function registerPetitionFixture(program: Command): void {
  program
    .command('petition-fixture')
    .description("write test/fixtures/petition/xf.sql, the petition bureau's database stand-in, from the small demo city")
    .option('--check', 'fail when test/fixtures/petition/xf.sql differs from what the demo city produces (CI)')
    .action((opts: { check?: boolean }) => {
      const { writePetitionFixture } = require('../../demo/petitionFixture') as typeof import('../../demo/petitionFixture');
      const differs = writePetitionFixture(Boolean(opts.check));
      if (opts.check && differs) throw new CliError('test/fixtures/petition/xf.sql is out of date; run npm run -s hub -- petition-fixture and commit');
      process.stdout.write(
        opts.check
          ? 'test/fixtures/petition/xf.sql matches the demo city\n'
          : differs
            ? 'wrote test/fixtures/petition/xf.sql\n'
            : 'test/fixtures/petition/xf.sql was up to date\n',
      );
    });
}
