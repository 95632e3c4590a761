/**
 * Who the console acts as, and the headers that say so. In dev mode the gateway signs a token for
 * the chosen agency (`GET /dev/token`); the page never holds a signing key. In production mode the
 * user pastes their own token.
 */
export interface Settings {
  devTokens: boolean;
  graphqlPath: string;
}

export interface Identity {
  agency: string;
  name: string;
  description: string;
  jurisdiction: string[];
}

export interface IssuedToken {
  token: string;
  identity: Identity & { sub: string };
  /** Epoch ms after which the page asks for a new one (a little before the token expires). */
  renewAt: number;
}

/** A division (6 or 9 digits) or grid (12 digits) code. */
export const JURISDICTION_CODE = /^\d{6}(\d{3}(\d{3})?)?$/;

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as (T & { errors?: Array<{ message: string }> }) | null;
  if (!res.ok || !body) throw new Error(body?.errors?.[0]?.message ?? `${res.status} ${res.statusText}`);
  return body;
}

export async function loadSettings(): Promise<Settings> {
  return json<Settings>(await fetch('/console/settings'));
}

export async function loadIdentities(): Promise<Identity[]> {
  return (await json<{ identities: Identity[] }>(await fetch('/dev/identities'))).identities;
}

/** Dev tokens by agency and jurisdiction, fetched once and renewed before they run out. */
export class DevTokens {
  private readonly cache = new Map<string, Promise<IssuedToken>>();

  get(agency: string, jurisdiction: string): Promise<IssuedToken> {
    const key = `${agency}|${jurisdiction}`;
    const cached = this.cache.get(key);
    if (cached) {
      return cached.then(
        (t) => (Date.now() < t.renewAt ? t : this.fetch(key, agency, jurisdiction)),
        () => this.fetch(key, agency, jurisdiction),
      );
    }
    return this.fetch(key, agency, jurisdiction);
  }

  /** Forgets a token the gateway refused (expired, or the dev key changed). */
  forget(agency: string, jurisdiction: string): void {
    this.cache.delete(`${agency}|${jurisdiction}`);
  }

  private fetch(key: string, agency: string, jurisdiction: string): Promise<IssuedToken> {
    const query = new URLSearchParams({ agency });
    if (jurisdiction) query.set('jurisdiction', jurisdiction);
    const issued = fetch(`/dev/token?${query}`)
      .then((res) => json<{ token: string; expiresIn: number; identity: IssuedToken['identity'] }>(res))
      .then((body) => ({ token: body.token, identity: body.identity, renewAt: Date.now() + body.expiresIn * 900 }));
    this.cache.set(key, issued);
    issued.catch(() => this.cache.delete(key));
    return issued;
  }
}

/** Request headers for one caller: the bearer token and, when stated, the purpose (URI-encoded: headers are ASCII). */
export function callerHeaders(token: string, purpose: string): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (purpose.trim()) headers['x-purpose'] = encodeURIComponent(purpose.trim());
  return headers;
}

export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export async function postGraphQL(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; result: GraphQLResult }> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const result = (await res.json().catch(() => ({ errors: [{ message: `${res.status} ${res.statusText}` }] }))) as GraphQLResult;
  return { status: res.status, result };
}

/** A city's division: its own code (the city, 6 digits) or inside one of its districts (township, grid). */
export function inCity(code: string, city: { code: string; districts: readonly string[] }): boolean {
  return JURISDICTION_CODE.test(code) && (code === city.code || city.districts.some((d) => code.startsWith(d)));
}

/** Single-quoted for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The request as a `curl` command a user can paste into a terminal (headers and body as the console sends them). */
export function curlCommand(url: string, headers: Record<string, string>, body: unknown): string {
  const lines = [
    `curl -s ${shellQuote(url)}`,
    ...Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`),
    `-d ${shellQuote(JSON.stringify(body))}`,
  ];
  return lines.join(' \\\n  ');
}
