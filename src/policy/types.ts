import type { Agency } from '../auth/viewer';
import type { MaskKind } from './masking';

/** A condition on the record and the request that a rule can test. */
export type Condition =
  /** The record's division or grid code (the type's `scope` property) lies in the viewer's jurisdiction. */
  | 'jurisdiction'
  /**
   * The record belongs to the case the request is bound to: one of the type's `caseKeys`
   * properties names a case (or a person) of the journey the gateway established from
   * `x-purpose: case:<number>`. Free purpose text never makes it hold.
   */
  | 'caseBound'
  /** The viewer is the officer handling the record (the type's `handler` property equals `sub`). */
  | 'handlesCase'
  /** The viewer's agency is a side of the record: one of the type's `parties` properties names it (a handoff's sender, receiver, feedback unit). */
  | 'party'
  /** The record is not sealed (the type's `sealed` property is false), e.g. juvenile records. */
  | 'notSealed'
  /** The request states a break-glass reason (`x-break-glass`); the decision is marked in the audit trail. */
  | 'breakGlass'
  /** The caller token names this role (`roles` claim), e.g. `role:investigator`; roles are declared under `roles`. */
  | `role:${string}`;

export type Rule =
  | 'allow'
  | 'deny'
  | { mask: MaskKind }
  /** `if`: all conditions hold; `ifAny`: at least one holds (e.g. inside the jurisdiction or bound to the case). */
  | { if: Condition | Condition[]; then: Rule; else?: Rule }
  | { ifAny: Condition[]; then: Rule; else?: Rule };

export interface TypePolicy {
  description?: string;
  /** Agencies that may see the type's fields not listed under `fields`. */
  visible: 'all' | Agency[];
  /** Record sensitive-field decisions in the audit trail (default: true when `fields` are listed). */
  audit?: boolean;
  /** The record's division or grid code: lists of every agency are limited to it in SQL. */
  scope?: string;
  handler?: string;
  /** Record properties naming the agencies that are a side of the record (condition `party`). */
  parties?: string[];
  sealed?: string;
  /** Record properties that name a case or person of a case journey (condition `caseBound`). */
  caseKeys?: string[];
  /**
   * Agencies that find no record outside their jurisdiction (or bound case) on any path: lookups,
   * entity references and nested fields answer null, in SQL, as lists do.
   */
  notFoundOutside?: Agency[];
  /** String fields of a type with sensitive fields that are not personal data (codes, dates, kinds), declared so on purpose. */
  public?: string[];
  /** Sensitive fields: a rule per agency; an agency not listed is denied. */
  fields?: Record<string, Partial<Record<Agency, Rule>>>;
}

export interface PolicyFile {
  version: 1;
  /** The roles a caller token may name, per agency; a token or rule naming another is refused. */
  roles: Partial<Record<Agency, string[]>>;
  statistics?: {
    /** Counts from 1 to this minus one are suppressed for the agencies below (default 5). */
    suppressionThreshold?: number;
    /** Every withheld cell of a release must have a feasible interval at least this wide, whatever an attacker combines (default 3). */
    protectionRange?: number;
    /** Agencies that get statistics with small cells suppressed (default: analyst); the others get exact counts. */
    suppressFor?: Agency[];
  };
  types: Record<string, TypePolicy>;
}

export type Outcome = 'allow' | 'mask' | 'deny';

export interface Decision {
  outcome: Outcome;
  mask?: MaskKind;
  /** Why, in words a caller can read ("outside your jurisdiction", "not granted to grid"). */
  reason: string;
  /** The field is listed as sensitive (its resolutions are audited). */
  sensitive: boolean;
  /** The outcome was opened by break-glass (the audit entry is marked). */
  breakGlass?: boolean;
}
