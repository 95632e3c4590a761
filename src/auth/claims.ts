import Ajv, { type ErrorObject } from 'ajv';
import { UNIT_CODE, UNIT_DEPARTMENTS, unitArea, unitByCode } from '../shared/orgUnits';
import { AGENCIES, inJurisdiction, type Agency } from './viewer';

/** Division or grid code lengths: 6 a district (县区) or the city, 9 a township (乡镇街道), 12 a grid (网格). */
type CodeLength = 6 | 9 | 12;

/** What an agency's caller token may carry beside the common claims. */
interface AgencyClaimRule {
  /** The jurisdiction code lengths an officer of the agency may hold. */
  codes: readonly CodeLength[];
  /**
   * A city-wide code (`211400`): `always` allowed, `role` only when the issuer also grants the
   * `city` role (a city bureau's officer), `never` refused.
   */
  cityWide: 'always' | 'role' | 'never';
  /** Claims only this agency's tokens carry (JSON Schema per claim), all required. */
  claims?: Record<string, object>;
}

/** The role an identity provider grants to let a department officer hold a city-wide jurisdiction. */
export const CITY_ROLE = 'city';

/**
 * One line per agency. A new agency or a claim only one agency carries is one entry here; the
 * `Record` makes the typecheck fail until an agency added to `AGENCIES` has its line.
 */
export const AGENCY_CLAIMS: Record<Agency, AgencyClaimRule> = {
  police: { codes: [6, 9], cityWide: 'role' },
  procuratorate: { codes: [6, 9], cityWide: 'role' },
  court: { codes: [6, 9], cityWide: 'role' },
  justice: { codes: [6, 9], cityWide: 'role' },
  grid: { codes: [12], cityWide: 'never' },
  // 综治中心 at city, county or township level: the level is the code it holds.
  zongzhi: { codes: [6, 9], cityWide: 'always' },
  analyst: { codes: [6, 9, 12], cityWide: 'always' },
  oversight: { codes: [6, 9, 12], cityWide: 'always' },
  admin: { codes: [6, 9, 12], cityWide: 'always' },
  // A resident reading their own access report: no jurisdiction, their ID number (check digit checked by the caller-token verifier).
  citizen: { codes: [], cityWide: 'never', claims: { idNumber: { type: 'string', pattern: '^\\d{17}[\\dXx]$' } } },
};

/** A 6-digit code ending in `00` names a prefecture-level city (`211400` 葫芦岛市), not a district. */
export function isCityCode(code: string): boolean {
  return /^\d{4}00$/.test(code);
}

/** Printable text: no control characters (C0, DEL, C1). */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f-\\u009f]+$';

/** The claims every caller token carries, checked as types before any rule reads them (no falsy shortcut). */
const CALLER_CLAIMS_SCHEMA = {
  type: 'object',
  required: ['sub', 'agency', 'exp'],
  properties: {
    sub: { type: 'string', minLength: 1, maxLength: 200, pattern: PRINTABLE },
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: PRINTABLE },
    agency: { enum: [...AGENCIES] },
    roles: { type: 'array', maxItems: 32, uniqueItems: true, items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.:-]{0,63}$' } },
    jurisdiction: { type: 'array', maxItems: 64, uniqueItems: true, items: { type: 'string', pattern: '^\\d{6}(\\d{3}(\\d{3})?)?$' } },
    // The officer's organisational unit (派出所, 司法所, 综治中心 …): src/shared/orgUnits.ts.
    unit: { type: 'string', pattern: UNIT_CODE.source },
  },
  // Each agency's own claims; `{}` keeps the list non-empty while no agency has any.
  allOf: [
    {},
    ...AGENCIES.filter((a) => AGENCY_CLAIMS[a].claims).map((a) => ({
      if: { properties: { agency: { const: a } }, required: ['agency'] },
      then: { properties: AGENCY_CLAIMS[a].claims, required: Object.keys(AGENCY_CLAIMS[a].claims!) },
    })),
  ],
};

// verbose: an error carries the refused value, so a bad code can be named.
const validateClaims = new Ajv({ allErrors: false, verbose: true }).compile(CALLER_CLAIMS_SCHEMA);

function describe(error: ErrorObject): string {
  const claim = error.instancePath.replace(/^\//, '') || (error.params as { missingProperty?: string }).missingProperty || 'payload';
  if (error.keyword === 'enum' && claim === 'agency') return `unknown agency; expected one of ${AGENCIES.join(', ')}`;
  if (error.keyword === 'required') return `claim "${claim}" is missing`;
  if (error.keyword === 'pattern' && claim === 'unit') return `unit ${JSON.stringify(error.data)} is not a unit code (GA, JC, FY, SF or ZZ + 12 digits)`;
  if (error.keyword === 'pattern' && claim.startsWith('jurisdiction/'))
    return `jurisdiction ${JSON.stringify(error.data)} is not a 6-, 9- or 12-digit division or grid code`;
  return `claim "${claim}" ${error.message ?? 'is invalid'}`;
}

/**
 * Why the jurisdiction codes are wider or narrower than the agency may hold, or null when they fit:
 * a grid worker holds grids; a department officer a district or township, the city only with the
 * `city` role; analyst, oversight and admin anything up to the city.
 */
export function jurisdictionProblem(agency: Agency, roles: readonly string[], jurisdiction: readonly string[]): string | null {
  const rule = AGENCY_CLAIMS[agency];
  for (const code of jurisdiction) {
    if (isCityCode(code)) {
      if (rule.cityWide === 'always' || (rule.cityWide === 'role' && roles.includes(CITY_ROLE))) continue;
      return rule.cityWide === 'role'
        ? `jurisdiction "${code}" is city-wide: a ${agency} token needs the "${CITY_ROLE}" role for it`
        : `jurisdiction "${code}" is city-wide, which a ${agency} token may not hold`;
    }
    if (!(rule.codes as readonly number[]).includes(code.length)) {
      return `jurisdiction "${code}" has ${code.length} digits; a ${agency} token holds ${rule.codes.join(' or ')}-digit codes`;
    }
  }
  return null;
}

/**
 * Why a `unit` claim cannot stand, or null when it names a unit of the caller's own department
 * (a 综治中心 for `zongzhi`) that works inside the token's jurisdiction: fail closed, an unknown
 * unit, another department's or another county's is refused, and agencies without units carry none.
 */
export function unitProblem(agency: Agency, jurisdiction: readonly string[], unit: string | undefined): string | null {
  if (unit === undefined) return null;
  if (!(UNIT_DEPARTMENTS as readonly string[]).includes(agency)) return `a ${agency} token carries no unit`;
  const found = unitByCode(unit);
  if (!found) return `unit "${unit}" does not exist`;
  if (found.department !== agency) return `unit "${unit}" is a ${found.department} unit, not a ${agency} one`;
  if (!inJurisdiction({ sub: '', name: '', agency, roles: [], jurisdiction: [...jurisdiction] }, unitArea(found)))
    return `unit "${unit}" lies outside the token's jurisdiction`;
  return null;
}

/** The verified claims a viewer is built from. */
export interface CallerClaims {
  sub: string;
  name?: string;
  agency: Agency;
  roles?: string[];
  jurisdiction?: string[];
  /** The officer's organisational unit code. */
  unit?: string;
  /** A citizen's own ID number. */
  idNumber?: string;
}

/** Why a caller token's payload cannot make a viewer, or null when every claim holds. */
export function callerClaimsProblem(payload: unknown): string | null {
  if (!validateClaims(payload)) return describe(validateClaims.errors![0]);
  const claims = payload as unknown as CallerClaims;
  return (
    jurisdictionProblem(claims.agency, claims.roles ?? [], claims.jurisdiction ?? []) ?? unitProblem(claims.agency, claims.jurisdiction ?? [], claims.unit)
  );
}
