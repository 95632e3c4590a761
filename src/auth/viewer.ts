/** Agencies a caller token may name (`agency` claim); `zongzhi` is the 综治中心 (comprehensive governance centre) dispatcher, `citizen` a resident reading their own access report. */
export const AGENCIES = ['police', 'procuratorate', 'court', 'justice', 'grid', 'zongzhi', 'analyst', 'oversight', 'admin', 'citizen'] as const;
export type Agency = (typeof AGENCIES)[number];

export function isAgency(value: unknown): value is Agency {
  return typeof value === 'string' && (AGENCIES as readonly string[]).includes(value);
}

/** The verified person behind a request, as the gateway read it from the caller token. */
export interface Viewer {
  sub: string;
  name: string;
  agency: Agency;
  roles: string[];
  /**
   * Administrative division or grid codes: `211402` covers every township and grid of 连山区,
   * `211402101` one township, a 12-digit code one grid; a city code (`211400`) covers the city.
   */
  jurisdiction: string[];
  /** The officer's organisational unit (`unit` claim, checked against src/shared/orgUnits.ts), when the token names one. */
  unit?: string;
  /** A citizen (居民) reading their own access report: their ID number (`idNumber` claim, checked). */
  idNumber?: string;
}

/** The prefix a jurisdiction code covers: a city-level code `211400` covers everything under `2114`. */
export function jurisdictionPrefix(code: string): string {
  return code.length === 6 && code.endsWith('00') ? code.slice(0, 4) : code;
}

/**
 * A prefix that can bound a jurisdiction: at least a city's four digits, digits only. An empty or
 * shorter prefix would match every code (`LIKE '%'`); the caller token's schema refuses the codes
 * that make one, and the scope checks refuse it again.
 */
export function isJurisdictionPrefix(prefix: string): boolean {
  return /^\d{4,12}$/.test(prefix);
}

/** True when `code` (a division or grid code) lies inside one of the viewer's jurisdiction codes. */
export function inJurisdiction(viewer: Viewer, code: string | null | undefined): boolean {
  if (!code) return false;
  return viewer.jurisdiction.some((j) => {
    const prefix = jurisdictionPrefix(j);
    return isJurisdictionPrefix(prefix) && code.startsWith(prefix);
  });
}
