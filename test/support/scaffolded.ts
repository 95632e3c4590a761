import { devIdentities } from '../../src/auth/devTokens';
import { AGENCIES, type Agency } from '../../src/auth/viewer';
import { applyMask } from '../../src/policy/masking';
import { loadPolicy } from '../../src/policy/policy';
import { DEV_PERSON_KEY_SECRET } from '../../src/shared/config';
import { idNumberProblem } from '../../src/shared/idNumber';
import { personKey } from '../../src/shared/personKey';

/*
 * What the tests written by `hub new-department --from-database / --from-openapi` share: they compare
 * the graph's answers with what the department's own system holds, as the policy file shows it
 * (so they keep passing once the policy is written).
 */

const policy = loadPolicy();
const admin = devIdentities('211402001001').find((i) => i.agency === 'admin')!;

/** A value as the policy shows it to admin: all of it, masked, or null when denied. */
export function asAdmin(type: string, field: string, record: object, value: unknown): unknown {
  const decision = policy.decide(type, field, record as Record<string, unknown>, { viewer: admin, purpose: null });
  if (decision.outcome === 'deny') return null;
  return decision.outcome === 'mask' ? applyMask(decision.mask!, value) : value;
}

/** An agency the policy does not let in by `field` (until the policy is written: every one but admin). */
export function deniedAgency(field: string): Agency {
  const agency = AGENCIES.find((a) => policy.decide('Query', field, null, { viewer: { ...admin, agency: a }, purpose: null }).outcome === 'deny');
  if (!agency) throw new Error(`every agency may call ${field}: none left to check deny-by-default with`);
  return agency;
}

/** Errors other than the policy's denials. */
export function unexpected(errors: Array<{ extensions?: Record<string, unknown> }> | undefined): unknown[] {
  return (errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN_FIELD');
}

/** `{ id }` of the person an ID number held by the system belongs to; null when it is not a valid one. */
export function personOf(idNumber: string | null | undefined): { id: string } | null {
  const v = idNumber?.trim();
  return v && idNumberProblem(v) === null ? { id: personKey(v, DEV_PERSON_KEY_SECRET) } : null;
}
