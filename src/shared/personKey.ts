import { createHmac } from 'node:crypto';
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

export function isPersonKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}
