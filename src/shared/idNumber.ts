/**
 * National ID number (公民身份号码, GB 11643-1999): 6-digit region code + 8-digit birth date +
 * 3-digit sequence (odd = male) + a check character (ISO 7064 MOD 11-2).
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** Province-level codes of GB/T 2260 (first two digits of every region code). */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export type Gender = 'MALE' | 'FEMALE';

export interface ParsedIdNumber {
  idNumber: string;
  regionCode: string;
  /** ISO date `YYYY-MM-DD`. */
  birthDate: string;
  gender: Gender;
}

export type IdNumberProblem = 'FORMAT' | 'REGION' | 'BIRTH_DATE' | 'CHECK_DIGIT';

const PROBLEM_TEXT: Record<IdNumberProblem, string> = {
  FORMAT: 'must be 17 digits followed by a digit or X',
  REGION: 'region code is not a valid GB/T 2260 code',
  BIRTH_DATE: 'birth date is not a real date in the past',
  CHECK_DIGIT: 'check digit does not match (ISO 7064 MOD 11-2)',
};

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function isRealPastDate(yyyymmdd: string, today: Date): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1900) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  return date.getTime() <= today.getTime();
}

function isRegionCode(code: string): boolean {
  // Province must exist; a person's code names a county-level unit, never a bare province or city.
  return PROVINCE_CODES.has(code.slice(0, 2)) && code.slice(2, 4) !== '00' && code.slice(4, 6) !== '00';
}

/** Returns what is wrong with an ID number, or null when it is valid. Lower-case `x` is accepted. */
export function idNumberProblem(raw: string, today: Date = new Date()): IdNumberProblem | null {
  const id = raw.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'FORMAT';
  if (!isRegionCode(id.slice(0, 6))) return 'REGION';
  if (!isRealPastDate(id.slice(6, 14), today)) return 'BIRTH_DATE';
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return 'CHECK_DIGIT';
  return null;
}

export function describeIdNumberProblem(problem: IdNumberProblem): string {
  return PROBLEM_TEXT[problem];
}

export function isValidIdNumber(raw: string, today?: Date): boolean {
  return idNumberProblem(raw, today) === null;
}

/** Parses a valid ID number; throws with the reason when invalid. */
export function parseIdNumber(raw: string, today?: Date): ParsedIdNumber {
  const problem = idNumberProblem(raw, today);
  if (problem) throw new Error(`invalid ID number: ${PROBLEM_TEXT[problem]}`);
  const id = raw.toUpperCase();
  const b = id.slice(6, 14);
  return {
    idNumber: id,
    regionCode: id.slice(0, 6),
    birthDate: `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}`,
    gender: Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE',
  };
}

/** Builds a valid ID number from its parts (used by demo data generation). */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number): string {
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{17}$/.test(first17)) throw new Error(`cannot build an ID number from ${regionCode}/${birthDate}/${sequence}`);
  return first17 + checkCharacter(first17);
}
