import { DIVISION_CODE } from './divisions';
import { badInput } from './errors';
import { describeIdNumberProblem, idNumberProblem } from './idNumber';
import { isPersonKey } from './personKey';

/** Edge validation helpers: each throws BAD_USER_INPUT naming the argument. */

export function checkIdNumber(argument: string, value: string): string {
  const problem = idNumberProblem(value);
  if (problem) throw badInput(argument, `invalid ID number: ${describeIdNumberProblem(problem)}`);
  return value.toUpperCase();
}

/** Control characters other than tab and line breaks (C0, DEL, C1): a NUL would even cut the statement short. */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Bidirectional embeddings, overrides and isolates: they make stored text read differently from what it is. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/** Characters that show nothing: text made only of these (and spaces) is empty. */
const INVISIBLE = /[\s\u200b-\u200f\u2060\ufeff]/gu;

/**
 * Free text from a caller: NFC-normalised (the same words stored the same way) and trimmed;
 * control and bidi-control characters refused, and text with nothing visible refused. The length
 * is counted after normalising.
 */
export function checkText(argument: string, value: string, min: number, max: number): string {
  const text = value.normalize('NFC').trim();
  if (CONTROL.test(text)) throw badInput(argument, 'must not contain control characters');
  if (BIDI_CONTROL.test(text)) throw badInput(argument, 'must not contain bidirectional control characters');
  if (!text.replace(INVISIBLE, '')) throw badInput(argument, 'must contain visible text');
  if (text.length < min || text.length > max) throw badInput(argument, `must be ${min} to ${max} characters`);
  return text;
}

const CODE = { district: /^\d{6}$/, township: /^\d{9}$/, grid: /^\d{12}$/, division: DIVISION_CODE } as const;
/** Each kind's form in words, for the message (a regular expression's source reads badly once its escapes are gone). */
const CODE_FORM: Record<keyof typeof CODE, string> = { district: '6 digits', township: '9 digits', grid: '12 digits', division: '6 or 9 digits' };

export function checkCode(argument: string, value: string, kind: keyof typeof CODE): string {
  if (!CODE[kind].test(value)) throw badInput(argument, `expected a ${kind} code (${CODE_FORM[kind]})`);
  return value;
}

export function checkDateTime(argument: string, value: Date, opts: { notInFuture?: boolean } = {}): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(argument, 'not a valid date-time');
  if (opts.notInFuture && value.getTime() > Date.now() + 60_000) throw badInput(argument, 'must not be in the future');
  return value;
}

export function checkDateRange(
  from: Date | undefined | null,
  to: Date | undefined | null,
  names: { from: string; to: string } = { from: 'from', to: 'to' },
): void {
  if (from) checkDateTime(names.from, from);
  if (to) checkDateTime(names.to, to);
  if (from && to && from.getTime() > to.getTime()) throw badInput(names.from, `must not be after \`${names.to}\``);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` that exists: 2025-02-30 does not (Date.parse would roll it over to March). */
export function isDate(value: string): boolean {
  const ms = ISO_DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

export function checkDate(argument: string, value: string): string {
  if (!isDate(value)) throw badInput(argument, 'expected a date YYYY-MM-DD');
  return value;
}

/** The opaque person key (`Person.id`), refused before any lookup when it cannot be one. */
export function checkPersonKey(argument: string, value: string): string {
  if (!isPersonKey(value)) throw badInput(argument, 'expected a person key (P and 32 hex digits)');
  return value;
}

/** A record id: two letters, the year and a sequence number, e.g. `GE2025000123`. */
export function checkRecordId(argument: string, value: string, prefix: string): string {
  if (!new RegExp(`^${prefix}\\d{10,13}$`).test(value)) throw badInput(argument, `expected an id like ${prefix}2025000123`);
  return value;
}

export function checkOneOf<T extends string>(argument: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw badInput(argument, `expected one of ${allowed.join(', ')}`);
  return value as T;
}

/** A GraphQL type name, e.g. `Person`. */
export function checkTypeName(argument: string, value: string): string {
  if (!/^[A-Z][A-Za-z0-9]{0,63}$/.test(value)) throw badInput(argument, 'expected a type name like Person');
  return value;
}
