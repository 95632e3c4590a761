import { serverAudits } from 'graphql-http';

export interface AuditResult {
  id: string;
  name: string;
  status: string;
  reason?: string;
}

/**
 * Runs graphql-http's GraphQL-over-HTTP audit suite against `url` with a bearer token (the only help
 * a client gets: CSRF prevention stays on), prints the counts per level and what did not pass.
 */
export async function auditGraphqlHttp(url: string, bearer: string, label: string): Promise<AuditResult[]> {
  const fetchFn = (input: string, init: RequestInit = {}) =>
    fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${bearer}` } });
  const results: AuditResult[] = [];
  for (const audit of serverAudits({ url, fetchFn })) {
    const result = await audit.fn();
    results.push({ id: audit.id, name: audit.name, status: result.status, ...('reason' in result ? { reason: result.reason } : {}) });
  }
  const counts = (level: string) => {
    const ofLevel = results.filter((r) => r.name.startsWith(`${level} `));
    return `${level}: ${ofLevel.filter((r) => r.status === 'ok').length}/${ofLevel.length} ok`;
  };
  console.log(
    [
      `graphql-http audits ${label}: ${counts('MUST')}, ${counts('SHOULD')}, ${counts('MAY')}`,
      ...results.filter((r) => r.status !== 'ok').map((r) => `  ${r.status.toUpperCase()} ${r.id} ${r.name}: ${r.reason ?? ''}`),
    ].join('\n'),
  );
  return results;
}

/** The MUST audits that did not pass. */
export const failedMusts = (results: AuditResult[]) => results.filter((r) => r.name.startsWith('MUST ') && r.status !== 'ok');
/** How many MUST audits ran: a suite that ran none proves nothing. */
export const mustCount = (results: AuditResult[]) => results.filter((r) => r.name.startsWith('MUST ')).length;
