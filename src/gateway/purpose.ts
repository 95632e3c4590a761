import type { IncomingMessage } from 'node:http';
import { callSubgraph } from '../auth/internalCall';
import { signInternalToken } from '../auth/internalToken';
import type { Viewer } from '../auth/viewer';
import { ErrorCode } from '../shared/errors';
import { HttpError, headerValue } from '../shared/http';
import type { CryptoKey } from 'jose';

const MAX_PURPOSE_LENGTH = 200;
const MIN_BREAK_GLASS_LENGTH = 15;
const MAX_BREAK_GLASS_LENGTH = 500;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A header's text as the caller meant it. Node hands header bytes over as latin1 characters:
 * they are read back as UTF-8 (raw UTF-8 is accepted), and a value holding `%` is URI-encoded
 * and decoded (a literal `%` is written `%25`). Bytes that are not UTF-8, malformed
 * percent-encoding and control characters are refused with 400 BAD_USER_INPUT — never stored garbled.
 */
export function headerText(req: IncomingMessage, name: string, maxLength: number): string | null {
  const raw = headerValue(req, name)?.trim();
  if (!raw) return null;
  const bad = (why: string) => new HttpError(400, `${name}: ${why}`, ErrorCode.BadUserInput);
  let text: string;
  try {
    text = utf8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    throw bad('not valid UTF-8 (send UTF-8, or URI-encode the value)');
  }
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      throw bad('malformed percent-encoding (write a literal % as %25)');
    }
  }
  text = text.trim();
  if ([...text].length > maxLength) throw bad(`must be at most ${maxLength} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text)) throw bad('must not contain control characters');
  return text;
}

/**
 * The case numbers a purpose may name (`x-purpose: case:<number>`): police (A211402202500017,
 * A2114020400002025010012), procuratorate (连检刑诉〔2025〕17号, 葫连检一部刑诉〔2025〕Z91号, 连检捕〔2025〕17号), court ((2025)辽1402刑初123号, full-width
 * brackets accepted) and community correction (CC2025000123) numbers. The shapes only; which
 * department holds the case, and whether the caller handles it, the departments say.
 */
const CASE_NUMBER_FORMS: RegExp[] = [
  /^[A-Z]\d{10,30}$/,
  /^\p{Script=Han}{1,10}检(\p{Script=Han}{1,3}部)?(刑诉|捕)〔\d{4}〕[A-Z]?\d{1,6}号$/u,
  /^\((19|20)\d{2}\)\p{Script=Han}\d{2}(\d{2})?\p{Script=Han}{1,4}[1-9]\d*号$/u,
  /^CC\d{10,13}$/,
];

/** A stated purpose: the case it names (canonical), or free text (recorded, opens nothing). */
export interface Purpose {
  text: string;
  caseNo: string | null;
}

export const CASE_PREFIX = 'case:';

export function parsePurpose(req: IncomingMessage): Purpose | null {
  const text = headerText(req, 'x-purpose', MAX_PURPOSE_LENGTH);
  if (!text) return null;
  if (!text.toLowerCase().startsWith(CASE_PREFIX)) return { text, caseNo: null };
  const caseNo = text.slice(CASE_PREFIX.length).trim().replace('（', '(').replace('）', ')');
  if (!CASE_NUMBER_FORMS.some((f) => f.test(caseNo))) {
    throw new HttpError(
      400,
      'x-purpose: the case number is in no known format (police A211402202500017, procuratorate 连检刑诉〔2025〕17号, court (2025)辽1402刑初123号, correction CC2025000123)',
      ErrorCode.BadUserInput,
    );
  }
  return { text: `${CASE_PREFIX}${caseNo}`, caseNo };
}

/** `x-break-glass: <reason>`: at least 15 characters saying why the record must be opened now. */
export function parseBreakGlass(req: IncomingMessage): string | null {
  const reason = headerText(req, 'x-break-glass', MAX_BREAK_GLASS_LENGTH);
  if (reason === null) return null;
  if ([...reason].length < MIN_BREAK_GLASS_LENGTH)
    throw new HttpError(400, `x-break-glass: give the reason in at least ${MIN_BREAK_GLASS_LENGTH} characters`, ErrorCode.BadUserInput);
  return reason;
}

interface CaseLinkAnswer {
  caseNo: string;
  handled: boolean;
  linked: string[];
  related: string[];
}

/** The journey has four stages (police → procuratorate → court → correction); a fifth round finds nothing new. */
const MAX_ROUNDS = 5;
const CACHE_MS = 30_000;
const MAX_CACHED = 10_000;

/**
 * Establishes a case purpose: asks every department (`caseLinks`, @inaccessible to callers,
 * with an internal token) which of the keys are its records, whether the caller handles them, and
 * what they link to, until no new key turns up (a small fixed point over the journey police case
 * → prosecution → court case → community correction; each department knows the key of the stage
 * before). The purpose holds when the caller's agency handles one record of the journey; the
 * answer is the journey's case numbers and person keys. Cached per (subject, purpose) for 30 s.
 */
export class CaseEstablisher {
  private readonly cache = new Map<string, { keys: string[] | null; until: number }>();

  constructor(
    private readonly subgraphs: () => Array<{ name: string; url: string }>,
    private readonly signingKey: CryptoKey,
    /** Keys the binding of each call (`PERSON_KEY_SECRET`): subgraphs accept no unbound internal token. */
    private readonly callSecret: string,
    private readonly timeoutMs: number,
  ) {}

  /** The journey's keys, or null when the caller handles none of its records (or no department holds the case). */
  async establish(viewer: Viewer, purpose: Purpose, requestId: string): Promise<string[] | null> {
    if (!purpose.caseNo) return [];
    const cacheKey = `${viewer.sub}\u0000${viewer.agency}\u0000${viewer.jurisdiction.join(',')}\u0000${purpose.caseNo}`;
    const now = Date.now();
    const hit = this.cache.get(cacheKey);
    if (hit && hit.until > now) return hit.keys;
    const deadline = Date.now() + this.timeoutMs;
    const token = await signInternalToken(this.signingKey, { viewer, purpose: purpose.text }, deadline);
    const known = new Set([purpose.caseNo]);
    let frontier = [purpose.caseNo];
    let handled = false;
    const silent = new Set<string>();
    for (let round = 0; round < MAX_ROUNDS && frontier.length; round++) {
      const answers = await Promise.all(
        this.subgraphs().map(async (s) => {
          const answer = await this.ask(s, token, frontier, deadline, requestId);
          if (answer === null) silent.add(s.name);
          return answer ?? [];
        }),
      );
      frontier = [];
      for (const a of answers.flat()) {
        handled ||= a.handled;
        for (const k of [a.caseNo, ...a.linked]) {
          if (!known.has(k)) {
            known.add(k);
            frontier.push(k);
          }
        }
        // Persons and incidents join the journey but are no department's stage: asking about them would
        // cost a round of every department (and tell each the journey's person keys) to find nothing.
        for (const k of a.related) known.add(k);
      }
    }
    // A department that did not answer may be the one that handles the case: say so rather than refuse it.
    if (!handled && silent.size) {
      throw new HttpError(
        503,
        `x-purpose: the case cannot be checked now (${[...silent].sort().join(', ')} did not answer); try again`,
        ErrorCode.DepartmentUnavailable,
      );
    }
    const keys = handled ? [...known] : null;
    if (!silent.size) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(cacheKey, { keys, until: now + CACHE_MS });
    }
    return keys;
  }

  /** The department's answer, or null when it did not give one (unreachable, too slow, an error). */
  private async ask(
    subgraph: { name: string; url: string },
    token: string,
    keys: string[],
    deadline: number,
    requestId: string,
  ): Promise<CaseLinkAnswer[] | null> {
    const query = 'query CaseLinks($keys: [String!]!) { caseLinks(keys: $keys) { caseNo handled linked related } }';
    const answer = await callSubgraph(subgraph, token, this.callSecret, { query, operationName: 'CaseLinks', variables: { keys } }, deadline, requestId).then(
      (a) => (a.status >= 200 && a.status < 300 ? a.body : null),
      () => null,
    );
    const body = answer as { data?: { caseLinks?: CaseLinkAnswer[] } } | null;
    // A department that cannot answer cannot vouch for the case (fail closed); the caller learns which.
    return body?.data?.caseLinks ?? null;
  }
}

export function purposeNotEstablished(purpose: Purpose): HttpError {
  return new HttpError(
    403,
    `x-purpose: case ${purpose.caseNo} is not handled by your agency or unit (or no department holds it)`,
    ErrorCode.PurposeNotEstablished,
  );
}
