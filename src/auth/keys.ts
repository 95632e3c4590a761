import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  importSPKI,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { ConfigError } from '../shared/errors';
import type { HubConfig } from '../shared/config';

export const TOKEN_ALG = 'ES256';

/** What verifies caller tokens: one public key, or a key set (JWKS) chosen by `kid`. */
export type CallerVerificationKey = CryptoKey | JWTVerifyGetKey;

export interface AuthKeys {
  callerIssuer: string;
  callerAudience: string;
  callerVerificationKey: CallerVerificationKey;
  /** Only in dev mode: signs the ready-made tokens `npm start` prints and `npm run token` makes. */
  devCallerSigningKey: CryptoKey | undefined;
  /** Gateway only: signs internal tokens. */
  internalSigningKey: CryptoKey | undefined;
  /** Subgraphs: verify internal tokens. */
  internalVerificationKey: CryptoKey;
}

interface DevKeyFile {
  caller: { privateJwk: JWK; publicJwk: JWK };
  internal: { privateJwk: JWK; publicJwk: JWK };
}

async function newPair(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
  return { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

/**
 * Dev keys live in the git-ignored data folder, made on first use, so tokens printed by
 * `npm start` and `npm run token` stay valid across restarts of the same checkout.
 */
export async function loadOrCreateDevKeyFile(dataDir: string): Promise<DevKeyFile> {
  const file = join(dataDir, 'keys', 'dev-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevKeyFile;
  const keys: DevKeyFile = { caller: await newPair(), internal: await newPair() };
  mkdirSync(dirname(file), { recursive: true });
  // Several `hub serve` processes may start at once on one data folder: the first file linked in
  // place wins (link is atomic and refuses an existing name), and every process uses that one.
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, JSON.stringify(keys, null, 2), { mode: 0o600 });
  try {
    linkSync(draft, file);
    return keys;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return JSON.parse(readFileSync(file, 'utf8')) as DevKeyFile;
  } finally {
    unlinkSync(draft);
  }
}

function pemOrFile(value: string): string {
  return value.includes('-----BEGIN') ? value.replace(/\\n/g, '\n') : readFileSync(value, 'utf8');
}

type Env = Record<string, string | undefined>;

/** The issuer and audience caller tokens must carry (`CALLER_JWT_ISSUER`, `CALLER_JWT_AUDIENCE`). */
export function callerTokenClaims(env: Env = process.env): { callerIssuer: string; callerAudience: string } {
  return { callerIssuer: env.CALLER_JWT_ISSUER || 'pingan-hub-dev', callerAudience: env.CALLER_JWT_AUDIENCE || 'pingan-hub' };
}

/**
 * Resolves token keys from the environment. Production needs explicit keys (`CALLER_JWT_PUBLIC_KEY`,
 * `CALLER_JWKS_URL` or `CALLER_JWKS_FILE`; `INTERNAL_JWT_PUBLIC_KEY`, and on the gateway
 * `INTERNAL_JWT_PRIVATE_KEY`); dev mode falls back to the dev key file.
 */
export async function loadAuthKeys(config: HubConfig, env: Env = process.env): Promise<AuthKeys> {
  const problems: string[] = [];
  const dev = config.mode === 'dev' ? await loadOrCreateDevKeyFile(config.dataDir) : undefined;
  const attempt = async <T>(name: string, f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
      return undefined;
    }
  };

  let callerVerificationKey: CallerVerificationKey | undefined;
  if (env.CALLER_JWT_PUBLIC_KEY) {
    callerVerificationKey = await attempt('CALLER_JWT_PUBLIC_KEY', () => importSPKI(pemOrFile(env.CALLER_JWT_PUBLIC_KEY!), env.CALLER_JWT_ALG ?? TOKEN_ALG));
  } else if (env.CALLER_JWKS_URL) {
    callerVerificationKey = await attempt('CALLER_JWKS_URL', async () => createRemoteJWKSet(new URL(env.CALLER_JWKS_URL!)));
  } else if (env.CALLER_JWKS_FILE) {
    callerVerificationKey = await attempt('CALLER_JWKS_FILE', async () =>
      createLocalJWKSet(JSON.parse(readFileSync(env.CALLER_JWKS_FILE!, 'utf8')) as JSONWebKeySet),
    );
  } else if (dev) {
    callerVerificationKey = (await importJWK(dev.caller.publicJwk, TOKEN_ALG)) as CryptoKey;
  } else {
    problems.push('CALLER_JWT_PUBLIC_KEY, CALLER_JWKS_URL or CALLER_JWKS_FILE: one must be set in production');
  }

  let internalVerificationKey: CryptoKey | undefined;
  let internalSigningKey: CryptoKey | undefined;
  if (env.INTERNAL_JWT_PUBLIC_KEY) {
    internalVerificationKey = await attempt('INTERNAL_JWT_PUBLIC_KEY', () => importSPKI(pemOrFile(env.INTERNAL_JWT_PUBLIC_KEY!), TOKEN_ALG));
  } else if (dev) {
    internalVerificationKey = (await importJWK(dev.internal.publicJwk, TOKEN_ALG)) as CryptoKey;
  } else {
    problems.push('INTERNAL_JWT_PUBLIC_KEY: must be set in production');
  }
  if (env.INTERNAL_JWT_PRIVATE_KEY) {
    internalSigningKey = await attempt('INTERNAL_JWT_PRIVATE_KEY', () => importPKCS8(pemOrFile(env.INTERNAL_JWT_PRIVATE_KEY!), TOKEN_ALG));
  } else if (dev) {
    internalSigningKey = (await importJWK(dev.internal.privateJwk, TOKEN_ALG)) as CryptoKey;
  }
  if (problems.length || !callerVerificationKey || !internalVerificationKey) throw new ConfigError(problems);
  return {
    ...callerTokenClaims(env),
    callerVerificationKey,
    devCallerSigningKey: dev ? ((await importJWK(dev.caller.privateJwk, TOKEN_ALG)) as CryptoKey) : undefined,
    internalSigningKey,
    internalVerificationKey,
  };
}
