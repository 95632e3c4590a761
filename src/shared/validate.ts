import { badInput } from './errors';
import { describeIdNumberProblem, idNumberProblem } from './idNumber';

/** Edge validation helpers: each throws BAD_USER_INPUT naming the argument. */

export function checkIdNumber(argument: string, value: string): string {
  const problem = idNumberProblem(value);
  if (problem) throw badInput(argument, `invalid ID number: ${describeIdNumberProblem(problem)}`);
  return value.toUpperCase();
}

export function checkText(argument: string, value: string, min: number, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) throw badInput(argument, `must be ${min} to ${max} characters`);
  return trimmed;
}

const CODE = { district: /^\d{6}$/, township: /^\d{9}$/, grid: /^\d{12}$/, division: /^\d{6}(\d{3})?$/ } as const;

export function checkCode(argument: string, value: string, kind: keyof typeof CODE): string {
  if (!CODE[kind].test(value)) throw badInput(argument, `expected a ${kind} code (${CODE[kind].source.replace(/[\\^$]/g, '')})`);
  return value;
}

export function checkDateTime(argument: string, value: Date, opts: { notInFuture?: boolean } = {}): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(argument, 'not a valid date-time');
  if (opts.notInFuture && value.getTime() > Date.now() + 60_000) throw badInput(argument, 'must not be in the future');
  return value;
}

export function checkDateRange(from: Date | undefined | null, to: Date | undefined | null): void {
  if (from) checkDateTime('from', from);
  if (to) checkDateTime('to', to);
  if (from && to && from.getTime() > to.getTime()) throw badInput('from', 'must not be after `to`');
}
