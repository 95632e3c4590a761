import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReleaseSummary, ServiceStep, StepContext } from '../kit/department';
import { ErrorCode } from '../shared/errors';
import { HttpError } from '../shared/http';
import type { Blinded, PsiSide } from './psi';

/*
 * A department's side of a PSI-CA run as internal steps (docs/analytics.md, 民转刑), called by the
 * statistics refresh — over HTTP in distributed mode, in process in embedded mode, the same code:
 *
 *   <protocol>/start    {}                    → { run, groups }   its own elements, blinded
 *   <protocol>/reblind  { run, groups }       → { groups }        the other side's, blinded again
 *   <protocol>/store    { counts }            → ReleaseSummary    (the side that stores the counts)
 *
 * The run's scalar stays in this process's memory (inside its PsiSide), for one reblind within
 * RUN_TTL_MS of the start; then it is forgotten. Groups travel as one base64 string of
 * concatenated 32-byte points each.
 */

/** How long a started run waits for its reblind: the other side's blinding happens in between (about 3 s a 10,000 elements). */
export const RUN_TTL_MS = 10 * 60_000;
/** Runs open at once per side; a refresh opens one, so more would be a misbehaving coordinator. */
const MAX_OPEN_RUNS = 4;
/** A body of blinded values: a city's justice bureau has some 430,000 elements (19 MB in base64); twice that with room. */
const MAX_BODY_BYTES = 48 * 1024 * 1024;
const MAX_GROUPS = 10_000;
const POINT_BYTES = 32;

/** Blinded groups on the wire: per group, its points concatenated, in base64. */
export type WireGroups = Record<string, string>;

export function encodeGroups(groups: ReadonlyMap<string, readonly Blinded[]>): WireGroups {
  return Object.fromEntries([...groups].map(([group, values]) => [group, Buffer.concat(values).toString('base64')]));
}

const bad = (message: string) => new HttpError(400, message, ErrorCode.BadUserInput);

/** Groups from the wire, or BAD_USER_INPUT naming what is wrong (never a value). */
export function decodeGroups(wire: unknown): Map<string, Blinded[]> {
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) throw bad('groups: expected an object of base64 strings');
  const entries = Object.entries(wire as Record<string, unknown>);
  if (entries.length > MAX_GROUPS) throw bad(`groups: at most ${MAX_GROUPS}`);
  const out = new Map<string, Blinded[]>();
  for (const [group, text] of entries) {
    if (group.length > 64) throw bad('groups: a group name has at most 64 characters');
    if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw bad(`groups.${group}: expected base64`);
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length % POINT_BYTES) throw bad(`groups.${group}: expected a multiple of ${POINT_BYTES} bytes`);
    const values: Blinded[] = [];
    for (let i = 0; i < bytes.length; i += POINT_BYTES) values.push(new Uint8Array(bytes.subarray(i, i + POINT_BYTES)));
    out.set(group, values);
  }
  return out;
}

/** The runs a side has started and not yet used: each one's side (holding its scalar) until its reblind or its expiry. */
export class PsiRuns {
  private readonly open = new Map<string, { side: PsiSide; expiresAt: number }>();

  constructor(
    private readonly ttlMs = RUN_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps `side` for one reblind; returns the run's id. The oldest runs go when too many are open. */
  start(side: PsiSide): string {
    this.sweep();
    while (this.open.size >= MAX_OPEN_RUNS) this.open.delete(this.open.keys().next().value!);
    const run = randomUUID();
    this.open.set(run, { side, expiresAt: this.now() + this.ttlMs });
    return run;
  }

  /** The run's side, forgotten here at once (one reblind per run); RUN_EXPIRED when unknown, used or expired. */
  take(run: unknown): PsiSide {
    this.sweep();
    const found = typeof run === 'string' ? this.open.get(run) : undefined;
    if (!found) throw new HttpError(410, 'run: unknown, expired or already used; start a new run', ErrorCode.RunExpired);
    this.open.delete(run as string);
    return found.side;
  }

  /** Runs open now (tests). */
  get size(): number {
    this.sweep();
    return this.open.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [run, { expiresAt }] of this.open) if (expiresAt <= now) this.open.delete(run);
  }
}

const fieldOf = (body: unknown, field: string): unknown => (typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined);

/**
 * A side's steps of `protocol`, for `service` only. `side` blinds its own elements (from its own
 * database); `store`, for the side that keeps the counts, stores them (validated counts by group);
 * `stored` lets a start be skipped when a result is kept already (`{ unlessStored: true }`).
 */
export function psiSteps(opts: {
  protocol: string;
  service: string;
  side: (em: EntityManager) => Promise<PsiSide>;
  store?: (ctx: StepContext, counts: Map<string, number>) => Promise<ReleaseSummary>;
  stored?: (em: EntityManager) => Promise<boolean>;
  runs?: PsiRuns;
}): Record<string, ServiceStep> {
  const runs = opts.runs ?? new PsiRuns();
  const step = (run: ServiceStep['run']): ServiceStep => ({ service: opts.service, maxBodyBytes: MAX_BODY_BYTES, run });
  const steps: Record<string, ServiceStep> = {
    [`${opts.protocol}/start`]: step(async (ctx, body) => {
      if (fieldOf(body, 'unlessStored') === true && (await opts.stored?.(ctx.em))) return { stored: true };
      const side = await opts.side(ctx.em);
      return { run: runs.start(side), groups: encodeGroups(side.blinded) };
    }),
    [`${opts.protocol}/reblind`]: step(async (_ctx, body) => {
      const groups = decodeGroups(fieldOf(body, 'groups'));
      const side = runs.take(fieldOf(body, 'run'));
      let reblinded;
      try {
        reblinded = side.reblind(groups);
      } catch {
        // libsodium refuses a value that is not a canonical group element (or is the identity).
        throw bad('groups: a value is not a blinded element');
      }
      return { groups: encodeGroups(reblinded) };
    }),
  };
  const store = opts.store;
  if (store)
    steps[`${opts.protocol}/store`] = step(async (ctx, body) => {
      const counts = fieldOf(body, 'counts');
      if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) throw bad('counts: expected an object of counts by group');
      const entries = Object.entries(counts as Record<string, unknown>);
      if (entries.length > MAX_GROUPS || entries.some(([, n]) => !Number.isSafeInteger(n) || (n as number) < 0))
        throw bad(`counts: at most ${MAX_GROUPS} groups, each a count (an integer ≥ 0)`);
      return store(ctx, new Map(entries as Array<[string, number]>));
    });
  return steps;
}
