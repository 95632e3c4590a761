/**
 * Administrative divisions (行政区划) as the whole hub writes them: a district (county level, 6
 * digits) or one of its townships (9 digits, starting with the district's code).
 */
export const DIVISION_CODE = /^\d{6}(\d{3})?$/;

/** A district or township code: what a `District` key, a statistics id or a division filter must be. */
export function isDivisionCode(value: string): boolean {
  return DIVISION_CODE.test(value);
}
