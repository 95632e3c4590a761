import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { AGENCIES, isAgency } from '../../auth/viewer';
import { usageError } from '../errors';

function ttl(value: string): string {
  if (!/^\d+[smhd]$/.test(value)) throw new InvalidArgumentError('expected a duration like 30m, 8h or 2d');
  return value;
}

export function registerToken(program: Command): void {
  program
    .command('token')
    .description('print a dev caller token (dev mode, or signed with --signing-key)')
    .requiredOption('--agency <agency>', `one of ${AGENCIES.join(', ')}`)
    .option('--jurisdiction <codes>', 'comma-separated division or grid codes')
    .option('--sub <subject>', 'token subject (the officer id)')
    .option('--name <name>', 'display name')
    .option('--roles <roles>', 'comma-separated roles', '')
    .option('--ttl <duration>', 'lifetime, e.g. 8h', ttl, '8h')
    .option('--signing-key <file>', 'sign with this caller private key (PKCS8 PEM) instead of the dev key, to try a deployment that trusts its public key')
    .action(async (opts: { agency: string; jurisdiction?: string; sub?: string; name?: string; roles: string; ttl: string; signingKey?: string }) => {
      if (!isAgency(opts.agency)) throw usageError(`unknown agency "${opts.agency}"; expected one of ${AGENCIES.join(', ')}`);
      const { DEV_GRID_CODE, DevIdentityError, devIdentityFor, devToken } = require('../../auth/devTokens') as typeof import('../../auth/devTokens');
      const { callerTokenClaims, loadAuthKeys, TOKEN_ALG } = require('../../auth/keys') as typeof import('../../auth/keys');
      const { importPKCS8 } = require('jose') as typeof import('jose');
      const { loadConfig } = require('../../shared/config') as typeof import('../../shared/config');
      const config = loadConfig();
      if (config.mode !== 'dev' && !opts.signingKey)
        throw usageError('dev tokens exist only in dev mode (HUB_MODE=dev), or with --signing-key; production callers get tokens from your identity provider');
      const jurisdiction = opts.jurisdiction?.split(',').map((s) => s.trim());
      let who;
      try {
        who = devIdentityFor(opts.agency, DEV_GRID_CODE, { jurisdiction, roles: opts.roles ? opts.roles.split(',') : undefined });
      } catch (e) {
        if (e instanceof DevIdentityError) throw usageError(e.message);
        throw e;
      }
      const keys = opts.signingKey
        ? { ...callerTokenClaims(), devCallerSigningKey: await importPKCS8(readFileSync(opts.signingKey, 'utf8'), TOKEN_ALG) }
        : await loadAuthKeys(config);
      const { CallerAuthError } = require('../../auth/callerToken') as typeof import('../../auth/callerToken');
      const token = await devToken(
        keys.devCallerSigningKey!,
        keys.callerIssuer,
        keys.callerAudience,
        { ...who, sub: opts.sub ?? who.sub, name: opts.name ?? who.name },
        opts.ttl,
      ).catch((e: unknown) => {
        throw e instanceof CallerAuthError ? usageError(e.message) : e;
      });
      process.stdout.write(`${token}\n`);
    });
}
