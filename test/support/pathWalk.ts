import { signInternalToken } from '../../src/auth/internalToken';
import { inJurisdiction, type Agency, type Viewer } from '../../src/auth/viewer';
import { CaseEstablisher } from '../../src/gateway/purpose';
import type { Policy } from '../../src/policy/policy';
import { DEV_PERSON_KEY_SECRET } from '../../src/shared/config';
import { HttpError } from '../../src/shared/http';
import { sql } from './db';
import type { TestHub } from './hub';
import { entityKey, findRecord, fit, identity, MODES, roleVariants, selectionOf, subgraphsOf, type Mode } from './paths';
import { casePurpose } from './sealed';

type Row = Record<string, unknown>;

/** One record a path reaches: its identity, its scope code, a case number of its journey, and the query's variables. */
interface Target extends Row {
  id: string;
  code: string;
  caseNo: string | null;
}

/** How one path reaches a record of its type, declared once per path. */
export interface PathRecipe {
  /** SQL (or rows) for records the path reaches; `seal(alias)` is the condition on the sealed row (`true` for types without a seal). */
  target(seal: (alias: string) => string): string | Promise<Target[]>;
  /** The query, with `SEL` where the record's selection goes and `$k` (`$d`, `$e`) for the target's variables. */
  query: string;
  /** A Query list: it lists the record only inside the caller's jurisdiction or bound case. */
  list?: true;
}

/** How records of a type with no key are identified, and the path whose answer is their reference. */
export interface TypeWalk {
  identity?: { select: string[]; of: (o: Row) => string | undefined };
  reference?: string;
}

export interface WalkResult {
  /** Combinations asked (each a request through the gateway). */
  walked: number;
  /** Of those, the ones that reached the record and were compared with the reference. */
  compared: number;
  /** Case checks a department could not answer in time (503), on either side: not compared. */
  unavailable: number;
  reached: number;
  skipped: string[];
  mismatches: unknown[];
}

/** Requests in flight at once: enough to overlap waits, few enough for each subgraph's small connection pool under load. */
const CONCURRENCY = 8;

/** Per hub: one case check (its answers are cached as the gateway's are) and the look-ups already made. */
const shared = new WeakMap<TestHub, { establisher: CaseEstablisher; references: Map<string, Promise<Row | null>> }>();
function sharedOf(t: TestHub) {
  let s = shared.get(t);
  if (!s) {
    const establisher = new CaseEstablisher(
      () => Object.entries(t.hub.subgraphs).map(([name, sg]) => ({ name, url: sg.url })),
      t.hub.keys.internalSigningKey!,
      DEV_PERSON_KEY_SECRET,
      10_000,
    );
    shared.set(t, (s = { establisher, references: new Map() }));
  }
  return s;
}
/** A district the record is not in, for the caller outside it. */
const otherDistrict = (code: string) => (code.startsWith('211402') ? '211422' : '211402');

async function inBatches<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CONCURRENCY) await Promise.all(items.slice(i, i + CONCURRENCY).map(run));
}

/**
 * Walks one path to one record (sealed and not, where the type has a seal) for every agency ×
 * role set × inside/outside the record's jurisdiction × purpose, and compares what the path
 * gives with the reference: the entity reference of each department that resolves the type's
 * fields (the look-up by key, with the same caller, purpose, case journey and break-glass), or
 * for a type without a key its reference path. A Query list must list the record exactly when
 * the caller may call it and the record lies in the caller's jurisdiction or bound case.
 */
export async function walkPath(
  t: TestHub,
  policy: Policy,
  opts: { type: string; path: string; recipe: PathRecipe; walk: TypeWalk; recipes: Record<string, PathRecipe>; agencies: readonly Agency[] },
): Promise<WalkResult> {
  const { type, path, recipe, walk } = opts;
  const tp = policy.typePolicy(type)!;
  const key = entityKey(type);
  const identify = walk.identity?.of ?? ((o: Row) => (key ? (o[key] as string | undefined) : (o.id as string | undefined)));
  const selection = selectionOf(policy, type, walk.identity?.select ?? [key ?? 'id']);
  const SEL = selection.join(' ');
  const { establisher, references } = sharedOf(t);
  const result: WalkResult = { walked: 0, compared: 0, unavailable: 0, reached: 0, skipped: [], mismatches: [] };
  let requests = 0;

  const targetsOf = async (r: PathRecipe, sealed: boolean | undefined): Promise<Target[]> => {
    const seal = (alias: string) => (sealed === undefined ? 'true' : `${alias}.sealed = ${sealed}`);
    const made = r.target(seal);
    return typeof made === 'string' ? sql<Target>(t, `${made} order by 1 limit 1`) : made;
  };

  /** What a gateway path gives the caller: 'refused' when the stated case is not established. */
  const viaGateway = async (r: PathRecipe, target: Target, viewer: Viewer, mode: Mode): Promise<Row | null | number> => {
    const headers = mode === 'caseStated' ? casePurpose(target.caseNo!) : MODES[mode];
    const { id: _id, code: _code, caseNo: _caseNo, ...variables } = target;
    const token = await t.token(viewer.agency, { jurisdiction: viewer.jurisdiction, roles: viewer.roles });
    const res = await t.query({ token }, r.query.replace('SEL', SEL), variables, headers);
    // A stated case the caller does not handle (403 PURPOSE_NOT_ESTABLISHED) or that cannot be checked for them.
    if (mode === 'caseStated' && res.status !== 200) return res.status;
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(res.body.errors)}`);
    return findRecord(res.body.data, type, target.id, identify);
  };

  /** The look-up by key in every department resolving the type's fields, as the gateway plans it. */
  const viaEntities = async (target: Target, viewer: Viewer, mode: Mode, established: string[]): Promise<Row | null> => {
    const token = await signInternalToken(
      t.hub.keys.internalSigningKey!,
      {
        viewer,
        established,
        purpose: mode === 'freeText' ? MODES.freeText['x-purpose'] : mode === 'caseStated' ? `case:${target.caseNo}` : null,
        breakGlass: mode === 'breakGlass' ? MODES.breakGlass['x-break-glass'] : null,
      },
      Date.now() + 10_000,
    );
    let merged: Row = {};
    for (const s of subgraphsOf(
      type,
      selection.filter((f) => f !== '__typename').map((f) => f.split(' ')[0]),
    )) {
      const fields = selection.filter((f) => f === '__typename' || s.fields.includes(f.split(' ')[0]));
      const query = `query ($r: _Any!) { _entities(representations: [$r]) { ... on ${type} { ${key} ${fields.join(' ')} } } }`;
      const { body } = await t.subgraphQuery<{ _entities: Row[] }>(s.name, { internalToken: token }, query, { r: { __typename: type, [key!]: target.id } });
      const found = body.data?._entities?.[0];
      if (!found) return null;
      merged = { ...merged, ...found };
    }
    return merged;
  };

  for (const sealed of tp.sealed ? [false, true] : [undefined]) {
    const [target] = await targetsOf(recipe, sealed);
    const seal = sealed === undefined ? '' : sealed ? ' sealed' : ' unsealed';
    if (!target) {
      result.skipped.push(`${type} via ${path}${seal}`);
      continue;
    }
    const referencePath = walk.reference && walk.reference !== path ? walk.reference : null;
    const referenceTarget = referencePath
      ? ((await targetsOf(opts.recipes[referencePath], sealed)).find((r) => r.id === target.id) ??
        (await findReferenceTarget(t, opts.recipes[referencePath], target.id)))
      : null;

    const combos: Array<{ inside: boolean; agency: Agency; roles: string[]; mode: Mode }> = [];
    for (const inside of [true, false]) {
      for (const agency of opts.agencies) {
        // An agency the type gives nothing (not visible, no rule) gets nothing whatever it states: walked once.
        const ruled = tp.visible === 'all' || tp.visible.includes(agency) || Object.values(tp.fields ?? {}).some((rules) => rules[agency]);
        // An agency holding no jurisdiction is the same caller on both sides.
        if (!inside && !fit(t, agency, target.code).length) continue;
        for (const roles of ruled ? roleVariants(policy, agency, type) : [roleVariants(policy, agency, type)[0]]) {
          for (const mode of ruled ? (Object.keys(MODES) as Mode[]) : ['none' as const]) {
            if (mode === 'caseStated' && !target.caseNo) continue;
            combos.push({ inside, agency, roles, mode });
          }
        }
      }
    }
    result.walked += combos.length;
    await inBatches(combos, async ({ inside, agency, roles, mode }) => {
      const viewer = identity(t, agency, inside ? target.code : otherDistrict(target.code), roles) as Viewer;
      const label = `${type} via ${path}${seal}, as ${agency} [${roles.join(',')}] ${inside ? 'inside' : 'outside'}, purpose ${mode}`;
      const established =
        mode === 'caseStated'
          ? await establisher
              .establish(viewer, { text: `case:${target.caseNo}`, caseNo: target.caseNo }, `path-test-${++requests}`)
              .catch((e: unknown) => e as HttpError)
          : [];
      const via = await viaGateway(recipe, target, viewer, mode);
      if (typeof via === 'number' || established === null || established instanceof Error) {
        // The gateway and the departments agree: the caller does not handle the case (403), or the case cannot be checked for them.
        const status = established === null ? 403 : established instanceof HttpError ? established.status : 200;
        // 503: a department did not answer the case check in time (a loaded machine); no decision was made to compare.
        if (via === 503 || status === 503) result.unavailable++;
        else if (via !== status) result.mismatches.push({ label, gateway: via, departments: status });
        return;
      }
      let reference: Row | null | undefined;
      if (key && !walk.reference) {
        // Paths of a type often reach the same record: its look-up is asked once per caller and purpose.
        const cacheKey = JSON.stringify([type, target.id, viewer.agency, viewer.roles, viewer.jurisdiction, mode, target.caseNo]);
        let answer = references.get(cacheKey);
        if (!answer) references.set(cacheKey, (answer = viaEntities(target, viewer, mode, established)));
        reference = await answer;
      } else if (referencePath && referenceTarget) {
        // A reference path its parent keeps from the caller gives nothing to compare with.
        const answer = await viaGateway(opts.recipes[referencePath], referenceTarget, viewer, mode);
        reference = answer === null || typeof answer === 'number' ? undefined : answer;
      }
      if (recipe.list) {
        const entry = policy.decide('Query', path.split('.')[1], null, { viewer, purpose: null }).outcome !== 'deny';
        const scope = policy.rowScope(type, viewer);
        const listed = entry && (!scope || inJurisdiction(viewer, target.code) || mode === 'caseStated');
        if ((via !== null) !== listed) result.mismatches.push({ label, listed: via !== null, expected: listed });
      }
      if (via === null) return;
      result.reached++;
      if (reference === undefined) return;
      result.compared++;
      if (JSON.stringify(via) !== JSON.stringify(reference === null ? null : pickSame(reference, via))) result.mismatches.push({ label, path: via, reference });
    });
  }
  return result;
}

/** The reference's fields in the path's order (JSON comparison), null for a field the path has and the reference lacks. */
function pickSame(reference: Row, via: Row): Row {
  return Object.fromEntries(Object.keys(via).map((k) => [k, reference[k] ?? null]));
}

/** The reference path's variables for a record, when its recipe's first record is another one. */
async function findReferenceTarget(t: TestHub, recipe: PathRecipe, id: string): Promise<Target | null> {
  const made = recipe.target(() => 'true');
  if (typeof made !== 'string') return (await made).find((r) => r.id === id) ?? null;
  return (await sql<Target>(t, `select * from (${made}) r where r.id = $1 limit 1`, [id]))[0] ?? null;
}
