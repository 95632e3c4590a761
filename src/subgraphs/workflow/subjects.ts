import type { SubgraphContext } from '../../kit/context';
import { departmentUnavailable, notFound } from '../../shared/errors';
import { SubjectType } from './deadlines';

interface Owner {
  department: string;
  key: string;
  /** The selection that names where the record is (its grid, or its district), and how to read it from the answer. */
  where: string;
  place(record: Record<string, unknown>): unknown;
}
const district = { where: 'districtCode', place: (r: Record<string, unknown>) => r.districtCode };

/** The department that owns each record type a handoff is about, the record's key field, and where the record is. */
export const OWNERS: Readonly<Record<SubjectType, Owner>> = {
  [SubjectType.GridEvent]: { department: 'grid', key: 'id', where: 'grid { code }', place: (r) => (r.grid as { code?: unknown } | null)?.code },
  [SubjectType.PoliceCase]: { department: 'police', key: 'caseNo', ...district },
  [SubjectType.ProsecutionCase]: { department: 'procuratorate', key: 'caseNo', ...district },
  [SubjectType.CourtCase]: { department: 'court', key: 'caseNo', ...district },
  [SubjectType.MediationCase]: { department: 'justice', key: 'id', ...district },
  [SubjectType.CommunityCorrection]: { department: 'justice', key: 'id', ...district },
  [SubjectType.Incident]: { department: 'police', key: 'id', where: 'gridCode', place: (r) => r.gridCode },
  [SubjectType.PetitionCase]: { department: 'petition', key: 'xfjbh', where: 'wgdm', place: (r) => r.wgdm },
};

/** Codes with which a department says "not for you" — to the dispatcher the same as no such record. */
const NOT_YOURS = new Set(['FORBIDDEN', 'FORBIDDEN_FIELD', 'NOT_FOUND', 'BAD_USER_INPUT']);

/**
 * Asks the department that owns the record whether it exists for this caller, and where, as a
 * reference resolution (`_entities`) under the caller's own identity: the department's policy and
 * scope decide, as they do when the gateway resolves the record for the caller. The record must lie
 * where the dispatcher says (`scopeCode`, already checked to be in their jurisdiction). NOT_FOUND
 * when it is absent, hidden from the caller, or elsewhere — the caller cannot tell which;
 * DEPARTMENT_UNAVAILABLE when the department cannot answer: then nothing is dispatched.
 */
export async function confirmSubject(ctx: SubgraphContext, type: SubjectType, key: string, scopeCode: string): Promise<void> {
  const owner = OWNERS[type];
  if (!ctx.askDepartment) throw departmentUnavailable(owner.department, 'this process cannot ask it (no internal signing key)');
  const query = `query HandoffSubject($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} { ${owner.key} ${owner.where} } } }`;
  let answer;
  try {
    answer = await ctx.askDepartment(owner.department, { query, operationName: 'HandoffSubject', variables: { r: [{ __typename: type, [owner.key]: key }] } });
  } catch {
    throw departmentUnavailable(owner.department, 'no answer');
  }
  const codes = (answer.body.errors ?? []).map((e) => e.extensions?.code);
  const found = (answer.body.data?._entities as Array<Record<string, unknown> | null> | undefined)?.[0];
  const place = found ? owner.place(found) : null;
  if (found && found[owner.key] === key && typeof place === 'string' && (place.startsWith(scopeCode) || scopeCode.startsWith(place))) return;
  if (found) throw notFound(`${type} ${key} in ${scopeCode}`);
  if (answer.status >= 200 && answer.status < 300 && codes.every((c) => typeof c === 'string' && NOT_YOURS.has(c)))
    throw notFound(`${type} ${key} in your jurisdiction`);
  throw departmentUnavailable(owner.department, `answered ${answer.status}`);
}
