import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { inJurisdiction, jurisdictionPrefix, type Agency, type Viewer } from '../auth/viewer';
import { repoRoot } from '../shared/paths';
import type { Condition, Decision, PolicyFile, Rule, TypePolicy } from './types';

export const DEFAULT_POLICY_FILE = join(repoRoot, 'schema', 'policy.yaml');
const SCHEMA_FILE = join(repoRoot, 'schema', 'policy.schema.json');

/** The policy file cannot be used; the message names the bad entry. Start-up stops on it. */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

type RecordLike = Record<string, unknown> | null | undefined;

export interface RequestFacts {
  viewer: Viewer;
  /** The stated purpose, recorded; it opens nothing by itself. */
  purpose: string | null;
  /** Case numbers and person keys of the case journey the gateway established for the purpose. */
  established?: ReadonlySet<string>;
  /** The break-glass reason (`x-break-glass`), when the caller gave one. */
  breakGlass?: string | null;
}

const CONDITION_TEXT: Record<Exclude<Condition, `role:${string}`>, [string, string]> = {
  jurisdiction: ['inside your jurisdiction', 'outside your jurisdiction'],
  caseBound: ['the record belongs to the case you stated and handle (x-purpose: case:<number>)', 'the record is not part of a case you stated and handle'],
  handlesCase: ['you handle the case', 'you do not handle the case'],
  party: ['your agency is a side of the record (sender, receiver or the one reported back to)', 'your agency is not a side of the record'],
  notSealed: ['the record is not sealed', 'the record is sealed'],
  breakGlass: ['break-glass is declared (x-break-glass, audited)', 'no break-glass'],
};

/** A condition in words, as it holds (`true`) or fails. */
export function conditionText(condition: Condition, holds: boolean): string {
  if (condition.startsWith('role:')) {
    const role = condition.slice('role:'.length);
    return holds ? `you hold the role ${role}` : `you do not hold the role ${role}`;
  }
  return CONDITION_TEXT[condition as keyof typeof CONDITION_TEXT][holds ? 0 : 1];
}

const ROLE_PREFIX = 'role:';

/**
 * The compiled policy: lookups by type and field, decisions for one record and request, row
 * scopes for list queries, and explanations. Anything not listed is denied.
 */
export class Policy {
  private readonly exact = new Map<string, TypePolicy>();
  private readonly patterns: Array<[RegExp, TypePolicy]> = [];

  constructor(readonly file: PolicyFile) {
    for (const [name, tp] of Object.entries(file.types)) {
      if (name.startsWith('*')) this.patterns.push([new RegExp(`^[A-Za-z0-9_]+${name.slice(1)}$`), tp]);
      else this.exact.set(name, tp);
    }
  }

  get suppressionThreshold(): number {
    return this.file.statistics?.suppressionThreshold ?? 5;
  }

  get protectionRange(): number {
    return this.file.statistics?.protectionRange ?? 3;
  }

  /** The rules a statistics release is decided by. */
  get releaseRules(): { threshold: number; protection: number } {
    return { threshold: this.suppressionThreshold, protection: this.protectionRange };
  }

  /** The suppression threshold that applies to an agency's statistics, or null when it sees exact counts. */
  suppressionFor(agency: Agency): number | null {
    return (this.file.statistics?.suppressFor ?? ['analyst']).includes(agency) ? this.suppressionThreshold : null;
  }

  /** Whether some agency's rule for the field masks it, in any branch of its conditions (the field then gets a masking step). */
  canMask(typeName: string, fieldName: string): boolean {
    const masks = (rule: Rule): boolean => typeof rule !== 'string' && ('mask' in rule || masks(rule.then) || (rule.else !== undefined && masks(rule.else)));
    return Object.values(this.typePolicy(typeName)?.fields?.[fieldName] ?? {}).some((rule) => rule !== undefined && masks(rule));
  }

  typePolicy(typeName: string): TypePolicy | undefined {
    return this.exact.get(typeName) ?? this.patterns.find(([re]) => re.test(typeName))?.[1];
  }

  /** Sensitive fields are listed under `fields` of an audited type; their resolutions are recorded. */
  isSensitive(typeName: string, fieldName: string): boolean {
    const tp = this.typePolicy(typeName);
    return !!tp?.fields?.[fieldName] && (tp.audit ?? true);
  }

  /** True when one of the record's `caseKeys` names a case or person of the request's established journey. */
  caseBound(tp: TypePolicy, record: RecordLike, established: ReadonlySet<string> | undefined): boolean {
    if (!established?.size || !tp.caseKeys || !record) return false;
    return tp.caseKeys.some((k) => {
      const v = record[k];
      return typeof v === 'string' && established.has(v);
    });
  }

  /** A condition, read from `memo` when this record's fields already tested it (conditions depend on the record and request, never on the field). */
  private holds(condition: Condition, tp: TypePolicy, record: RecordLike, facts: RequestFacts, memo?: Map<Condition, boolean>): boolean {
    const known = memo?.get(condition);
    if (known !== undefined) return known;
    const held = this.test(condition, tp, record, facts);
    memo?.set(condition, held);
    return held;
  }

  private test(condition: Condition, tp: TypePolicy, record: RecordLike, facts: RequestFacts): boolean {
    if (condition.startsWith(ROLE_PREFIX)) return facts.viewer.roles.includes(condition.slice(ROLE_PREFIX.length));
    switch (condition) {
      case 'jurisdiction':
        return !!tp.scope && inJurisdiction(facts.viewer, record?.[tp.scope] as string | undefined);
      case 'caseBound':
        return this.caseBound(tp, record, facts.established);
      case 'handlesCase':
        return !!tp.handler && record?.[tp.handler] === facts.viewer.sub;
      case 'party':
        return !!tp.parties && tp.parties.some((p) => record?.[p] === facts.viewer.agency);
      case 'notSealed':
        return !!tp.sealed && record?.[tp.sealed] === false;
      case 'breakGlass':
        return !!facts.breakGlass;
      default:
        return false;
    }
  }

  private evaluate(
    rule: Rule,
    tp: TypePolicy,
    record: RecordLike,
    facts: RequestFacts,
    why: string[],
    glass: boolean,
    memo: Map<Condition, boolean> | undefined,
  ): Omit<Decision, 'sensitive'> {
    const marked = glass ? { breakGlass: true } : {};
    if (rule === 'allow') return { outcome: 'allow', reason: why.join('; ') || 'allowed', ...marked };
    if (rule === 'deny') return { outcome: 'deny', reason: why.join('; ') || 'denied' };
    if ('mask' in rule) return { outcome: 'mask', mask: rule.mask, reason: why.join('; ') || `masked (${rule.mask})`, ...marked };
    if ('ifAny' in rule) {
      const held = rule.ifAny.find((c) => this.holds(c, tp, record, facts, memo));
      if (held !== undefined) return this.evaluate(rule.then, tp, record, facts, [...why, conditionText(held, true)], glass || held === 'breakGlass', memo);
      return this.evaluate(rule.else ?? 'deny', tp, record, facts, [...why, rule.ifAny.map((c) => conditionText(c, false)).join(', ')], glass, memo);
    }
    const conditions = Array.isArray(rule.if) ? rule.if : [rule.if];
    const failed = conditions.find((c) => !this.holds(c, tp, record, facts, memo));
    if (failed === undefined) {
      return this.evaluate(
        rule.then,
        tp,
        record,
        facts,
        [...why, ...conditions.map((c) => conditionText(c, true))],
        glass || conditions.includes('breakGlass'),
        memo,
      );
    }
    return this.evaluate(rule.else ?? 'deny', tp, record, facts, [...why, conditionText(failed, false)], glass, memo);
  }

  /**
   * What `facts.viewer` gets for `typeName.fieldName` of `record`. `memo` (one per record and
   * request) lets the record's other fields reuse the conditions this one tested.
   */
  decide(typeName: string, fieldName: string, record: RecordLike, facts: RequestFacts, memo?: Map<Condition, boolean>): Decision {
    const tp = this.typePolicy(typeName);
    const agency = facts.viewer.agency;
    if (!tp) return { outcome: 'deny', reason: `${typeName} is not in the policy`, sensitive: false };
    const rules = tp.fields?.[fieldName];
    if (rules) {
      const sensitive = tp.audit ?? true;
      const rule = rules[agency];
      if (!rule) return { outcome: 'deny', reason: `not granted to ${agency}`, sensitive };
      return { ...this.evaluate(rule, tp, record, facts, [], false, memo), sensitive };
    }
    if (tp.visible === 'all' || tp.visible.includes(agency)) return { outcome: 'allow', reason: 'not sensitive', sensitive: false };
    return { outcome: 'deny', reason: `${typeName} is not visible to ${agency}`, sensitive: false };
  }

  /**
   * Row scope of `typeName` for the viewer: the record property and the code prefixes it must
   * start with, and the properties that bind a record to the established case journey (records
   * of the stated case are in scope wherever they are). Lists apply it for every agency; lookups,
   * references and nested fields (`onEveryPath`) only for the agencies in `notFoundOutside`.
   * Null when nothing limits the viewer.
   */
  rowScope(typeName: string, viewer: Viewer, onEveryPath = false): { property: string; prefixes: string[]; caseKeys: string[] } | null {
    const tp = this.typePolicy(typeName);
    if (!tp?.scope) return null;
    if (onEveryPath && !tp.notFoundOutside?.includes(viewer.agency)) return null;
    return { property: tp.scope, prefixes: viewer.jurisdiction.map(jurisdictionPrefix), caseKeys: tp.caseKeys ?? [] };
  }

  /** The roles the policy declares for an agency. */
  rolesOf(agency: Agency): readonly string[] {
    return this.file.roles[agency] ?? [];
  }

  /** A rule in words, for explain: "allow if inside your jurisdiction, else mask (name)". */
  describeRule(rule: Rule | undefined): string {
    if (!rule) return 'deny (not listed)';
    if (rule === 'allow' || rule === 'deny') return rule;
    if ('mask' in rule) return `mask (${rule.mask})`;
    const conditions =
      'ifAny' in rule
        ? rule.ifAny.map((c) => conditionText(c, true)).join(' or ')
        : (Array.isArray(rule.if) ? rule.if : [rule.if]).map((c) => conditionText(c, true)).join(' and ');
    return `${this.describeRule(rule.then)} if ${conditions}, else ${this.describeRule(rule.else ?? 'deny')}`;
  }

  /** The rule that applies to `agency` for a field, in words (no record needed). */
  explain(typeName: string, fieldName: string, agency: Agency): { rule: string; sensitive: boolean } {
    const tp = this.typePolicy(typeName);
    if (!tp) return { rule: `deny (${typeName} is not in the policy)`, sensitive: false };
    const rules = tp.fields?.[fieldName];
    if (rules) return { rule: this.describeRule(rules[agency]), sensitive: tp.audit ?? true };
    const visible = tp.visible === 'all' || tp.visible.includes(agency);
    return { rule: visible ? 'allow (not sensitive)' : `deny (${typeName} is not visible to ${agency})`, sensitive: false };
  }
}

function entryName(instancePath: string): string {
  return instancePath.split('/').filter(Boolean).join('.') || '(root)';
}

function checkSemantics(file: PolicyFile): string[] {
  const problems: string[] = [];
  const walk = (rule: Rule, tp: TypePolicy, agency: Agency, where: string) => {
    if (typeof rule !== 'object' || 'mask' in rule) return;
    for (const c of 'ifAny' in rule ? rule.ifAny : Array.isArray(rule.if) ? rule.if : [rule.if]) {
      if (c === 'jurisdiction' && !tp.scope) problems.push(`${where}: condition "jurisdiction" needs "scope" on the type`);
      if (c === 'handlesCase' && !tp.handler) problems.push(`${where}: condition "handlesCase" needs "handler" on the type`);
      if (c === 'party' && !tp.parties?.length) problems.push(`${where}: condition "party" needs "parties" on the type`);
      if (c === 'notSealed' && !tp.sealed) problems.push(`${where}: condition "notSealed" needs "sealed" on the type`);
      if (c === 'caseBound' && !tp.caseKeys?.length) problems.push(`${where}: condition "caseBound" needs "caseKeys" on the type`);
      if (c.startsWith(ROLE_PREFIX) && !(file.roles[agency] ?? []).includes(c.slice(ROLE_PREFIX.length))) {
        problems.push(`${where}: unknown role "${c.slice(ROLE_PREFIX.length)}" (roles.${agency} declares ${(file.roles[agency] ?? []).join(', ') || 'none'})`);
      }
    }
    walk(rule.then, tp, agency, where);
    if (rule.else) walk(rule.else, tp, agency, where);
  };
  for (const [typeName, tp] of Object.entries(file.types)) {
    if (tp.notFoundOutside?.length && !tp.scope) problems.push(`types.${typeName}.notFoundOutside: needs "scope" on the type`);
    for (const [field, rules] of Object.entries(tp.fields ?? {})) {
      for (const [agency, rule] of Object.entries(rules)) walk(rule, tp, agency as Agency, `types.${typeName}.fields.${field}.${agency}`);
    }
  }
  return problems;
}

/** Parses and validates a policy document (YAML or JSON); throws PolicyError naming the bad entries. */
export function parsePolicy(text: string, source = 'policy'): Policy {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new PolicyError(`${source}: not valid YAML: ${(e as Error).message}`);
  }
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
  if (!validate(data)) {
    // oneOf failures report every branch; the deepest path names the bad entry most precisely.
    const errors = [...(validate.errors ?? [])].sort((a, b) => b.instancePath.length - a.instancePath.length);
    const deepest = errors[0].instancePath;
    const messages = [
      ...new Set(
        errors
          .filter((e) => e.instancePath === deepest)
          .map((e) => `${e.message}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`),
      ),
    ];
    throw new PolicyError(`${source}: invalid entry ${entryName(deepest)}: ${messages.join('; ')}`);
  }
  const file = data as PolicyFile;
  const problems = checkSemantics(file);
  if (problems.length) throw new PolicyError(`${source}: ${problems.join('; ')}`);
  return new Policy(file);
}

export function loadPolicy(path = process.env.POLICY_FILE || DEFAULT_POLICY_FILE): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PolicyError(`cannot read policy file ${path}: ${(e as Error).message}`);
  }
  return parsePolicy(text, path);
}
