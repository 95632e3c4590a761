import { createHash, createHmac } from 'node:crypto';
import { parseIdNumber } from './idNumber';

/**
 * The opaque person key (`Person.id`): a keyed hash (HMAC-SHA-256) of the normalised ID number.
 * Every department computes it the same way from the ID numbers it holds, so records link across
 * departments without a central lookup, and the ID number never travels as a key. Without the
 * secret the key cannot be reversed by enumerating the (small) space of valid ID numbers.
 */
export const PERSON_KEY_PREFIX = 'P';
const KEY_PATTERN = /^P[0-9a-f]{32}$/;

export function personKey(idNumber: string, secret: string): string {
  const normalised = parseIdNumber(idNumber).idNumber;
  const digest = createHmac('sha256', secret).update(normalised).digest('hex');
  return PERSON_KEY_PREFIX + digest.slice(0, 32);
}

/** An SQL expression (with `?` placeholders) and its parameters. */
export interface PersonKeySql {
  sql: string;
  params: Buffer[];
}

/**
 * `personKey` as an SQL expression over an ID number column, for a department's own database that
 * stores ID numbers: lets a batch of person keys be matched there in one statement, with nothing
 * stored back. HMAC-SHA-256 spelled out with PostgreSQL's built-in sha256() (11+, no extension):
 * H((K ^ opad) || H((K ^ ipad) || m)); the padded keys are parameters, the secret never appears in SQL.
 * A value that is not a valid ID number gets a key that matches nobody's.
 */
export function personKeySql(column: string, secret: string): PersonKeySql {
  const block = 64;
  let key = Buffer.from(secret, 'utf8');
  if (key.length > block) key = createHash('sha256').update(key).digest();
  const padded = Buffer.concat([key, Buffer.alloc(block - key.length)]);
  const pad = (byte: number) => Buffer.from(padded.map((b) => b ^ byte));
  return {
    sql: `'${PERSON_KEY_PREFIX}' || left(encode(sha256(?::bytea || sha256(?::bytea || convert_to(upper(${column}), 'UTF8'))), 'hex'), 32)`,
    params: [pad(0x5c), pad(0x36)],
  };
}

export function isPersonKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}
