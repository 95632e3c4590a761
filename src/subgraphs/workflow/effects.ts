import type { EntityManager } from '@mikro-orm/postgresql';
import { Logger, run, runMigrations, type Runner, type Task } from 'graphile-worker';
import { Pool } from 'pg';
import { callSubgraph } from '../../auth/internalCall';
import { signInternalToken, type InternalClaims } from '../../auth/internalToken';
import type { Viewer } from '../../auth/viewer';
import type { JobQueue, JobQueueDeps } from '../../kit/department';
import { EFFECTS_SERVICE } from '../../kit/effects';
import { logger } from '../../shared/logger';
import { HandoffKind } from './deadlines';
import type { Handoff } from './entities';
import type { HandoffStep } from './machine';
import { SubjectType } from './deadlines';
import { OWNERS } from './subjects';
import { addJobCall, QUEUE_SCHEMA } from './queue';
import { webhookTasks } from './webhooks';

/**
 * A handoff's effects in the departments that own its record (流转结果), delivered through a
 * transactional outbox and a PostgreSQL job queue (graphile-worker):
 *
 * 1. The step that has an effect inserts its outbox row (`workflow.handoff_effect`) and the job
 *    that delivers it (`workflow_jobs.add_job`) in its own transaction, in one statement: the step
 *    commits with both or with neither. No effect is lost (the row is there once the step is) and
 *    none is sent for a step that did not happen.
 * 2. The worker calls the owning department's internal mutation (`@inaccessible` to callers,
 *    refused without the effect service's internal token), with the outbox id as its key; the
 *    department applies it in one transaction with its `applied_effect` row and its audit row.
 *    A handoff that passes a case on names the sender's record only: the worker first reads what
 *    the receiver needs of it from the sender (`SOURCES`) and sends that with the effect, so only
 *    this process, which holds the internal signing key, ever calls another department.
 * 3. Then the outbox row is marked delivered. A department that is down, or a crash between 2 and
 *    3, makes the job fail and come back (graphile-worker's exponential backoff): at least once,
 *    and a redelivery finds the `applied_effect` row and writes nothing new.
 */

const TASK = 'handoff_effect';
/** How often the queue tries to deliver an effect (graphile-worker's default): after the last, the effect shows as FAILED. */
export const EFFECT_MAX_ATTEMPTS = 25;

export interface EffectRule {
  /** The department that owns the record, and its internal mutation. */
  department: 'justice' | 'procuratorate' | 'court' | 'grid';
  mutation:
    | 'openMediationFromHandoff'
    | 'openMediationFromPoliceReferral'
    | 'openMediationFromPetitionReferral'
    | 'openProsecutionFromHandoff'
    | 'fileCourtCaseFromHandoff'
    | 'openCorrectionFromHandoff'
    | 'closeGridEventFromHandoff';
}

/** Which step of which handoff changes the record in its department. */
export function effectOf(h: Handoff, step: HandoffStep): EffectRule | null {
  if (step === 'complete' && h.kind === HandoffKind.DISPUTE_MEDIATION) return { department: 'justice', mutation: 'openMediationFromHandoff' };
  if (step === 'complete' && h.kind === HandoffKind.POLICE_MEDIATION_REFERRAL) return { department: 'justice', mutation: 'openMediationFromPoliceReferral' };
  if (step === 'complete' && h.kind === HandoffKind.PETITION_MEDIATION_REFERRAL)
    return { department: 'justice', mutation: 'openMediationFromPetitionReferral' };
  if (step === 'accept' && h.kind === HandoffKind.PROSECUTION_REVIEW) return { department: 'procuratorate', mutation: 'openProsecutionFromHandoff' };
  if (step === 'accept' && h.kind === HandoffKind.PUBLIC_PROSECUTION) return { department: 'court', mutation: 'fileCourtCaseFromHandoff' };
  if (step === 'accept' && h.kind === HandoffKind.CORRECTION_HANDOVER) return { department: 'justice', mutation: 'openCorrectionFromHandoff' };
  if (step === 'feedback' && h.subjectType === SubjectType.GridEvent) return { department: 'grid', mutation: 'closeGridEventFromHandoff' };
  return null;
}

/** What an effect's delivery carries of the sender's record (EffectArgs in src/kit/effects.ts). */
interface SourceArgs {
  sealed: boolean;
  charges?: string[];
  personIds: string[];
  communitySentence?: string | null;
  sentenceMonths?: number | null;
  placeCode?: string | null;
}

type Source = Record<string, unknown>;
/** The persons of a role among a record's parties or participants (those the sender gave the receiver). */
function personsIn(list: unknown, role: string): string[] {
  return ((list ?? []) as Array<{ role?: string; person?: { id?: unknown } | null }>)
    .filter((p) => p.role === role && typeof p.person?.id === 'string')
    .map((p) => p.person!.id as string);
}

/**
 * Which record of the sender an effect needs and what it takes from it: the offence and suspects of
 * a transferred police case (移送审查起诉), the charges and defendants of an indictment (提起公诉),
 * who a judgment sentenced to what (交付执行), the caller and grid of a 110 call or the petitioner
 * and grid of a petition referred to mediation (警调对接, 访调对接).
 */
const SOURCES: Partial<Record<EffectRule['mutation'], { type: SubjectType; selection: string; args(record: Source): SourceArgs }>> = {
  openProsecutionFromHandoff: {
    type: SubjectType.PoliceCase,
    selection: 'charge sealed participants { role person { id } }',
    args: (r) => ({ sealed: r.sealed === true, charges: typeof r.charge === 'string' ? [r.charge] : [], personIds: personsIn(r.participants, 'SUSPECT') }),
  },
  fileCourtCaseFromHandoff: {
    type: SubjectType.ProsecutionCase,
    selection: 'charges sealed defendants { id }',
    args: (r) => ({
      sealed: r.sealed === true,
      charges: ((r.charges ?? []) as unknown[]).filter((c): c is string => typeof c === 'string'),
      personIds: ((r.defendants ?? []) as Array<{ id?: unknown } | null>).flatMap((d) => (typeof d?.id === 'string' ? [d.id] : [])),
    }),
  },
  openCorrectionFromHandoff: {
    type: SubjectType.CourtCase,
    selection: 'sealed judgment { communitySentence sentenceMonths } parties { role person { id } }',
    args: (r) => {
      const judgment = r.judgment as { communitySentence?: string | null; sentenceMonths?: number | null } | null;
      return {
        sealed: r.sealed === true,
        personIds: personsIn(r.parties, 'DEFENDANT'),
        communitySentence: judgment?.communitySentence ?? null,
        sentenceMonths: judgment?.sentenceMonths ?? null,
      };
    },
  },
  openMediationFromPoliceReferral: {
    type: SubjectType.Incident,
    selection: 'gridCode reporter { id }',
    args: (r) => ({ sealed: false, personIds: idOf(r.reporter), placeCode: typeof r.gridCode === 'string' ? r.gridCode : null }),
  },
  openMediationFromPetitionReferral: {
    type: SubjectType.PetitionCase,
    selection: 'wgdm petitionPerson { person { id } }',
    args: (r) => ({
      sealed: false,
      personIds: idOf((r.petitionPerson as { person?: unknown } | null)?.person),
      placeCode: typeof r.wgdm === 'string' ? r.wgdm : null,
    }),
  },
};

/** The key of a person the sender's record names, if it names one (a caller may be anonymous, a petitioner unknown to the registry). */
function idOf(person: unknown): string[] {
  const id = (person as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? [id] : [];
}

/**
 * Writes the step's effect, if it has one, into the outbox and the job queue, inside the step's
 * transaction (`em` is the transaction's): one statement. Returns the outbox id.
 */
export async function enqueueEffect(em: EntityManager, h: Handoff, step: HandoffStep, officer: string, text: string | null): Promise<string | null> {
  const rule = effectOf(h, step);
  if (!rule) return null;
  const job = addJobCall(TASK, 'effectId', 'effect', EFFECT_MAX_ATTEMPTS);
  const [row] = await em.execute<Array<{ id: string }>>(
    `with effect as (
       insert into "workflow"."handoff_effect" ("handoff_id", "step", "department", "mutation", "subject_key", "scope_code", "officer", "text", "created_at")
       values (?, ?, ?, ?, ?, ?, ?, ?, now()) returning "id")
     select effect."id", ${job.sql} from effect`,
    [h.id, step, rule.department, rule.mutation, h.subjectKey, h.scopeCode, officer, text, ...job.params],
  );
  return row.id;
}

interface OutboxRow {
  id: string;
  handoff_id: string;
  step: string;
  department: EffectRule['department'];
  mutation: EffectRule['mutation'];
  subject_key: string;
  scope_code: string;
  officer: string;
  text: string | null;
  delivered_at: Date | null;
}

/** The effect service as the department sees it: its agency, the record's scope, and no caller behind it. */
function serviceViewer(row: OutboxRow): Viewer {
  return {
    sub: `service:${EFFECTS_SERVICE}`,
    name: 'workflow effect delivery',
    agency: row.department,
    roles: ['service'],
    jurisdiction: [row.scope_code],
  };
}

/** The job: deliver one outbox row to its department, then mark it delivered. Throws (and is retried) while the department cannot apply it. */
function deliverTask(pool: Pool, deps: JobQueueDeps): Task {
  return async (payload) => {
    const effectId = (payload as { effectId?: unknown }).effectId;
    if (typeof effectId !== 'string' || !/^\d{1,18}$/.test(effectId)) throw new Error('handoff_effect job without an effect id');
    const { rows } = await pool.query<OutboxRow>(`select * from "workflow"."handoff_effect" where "id" = $1`, [effectId]);
    const row = rows[0];
    if (!row || row.delivered_at) return;
    const url = deps.subgraphUrls()[row.department];
    const started = Date.now();
    try {
      if (!url) throw new Error(`no URL for ${row.department}`);
      const deadline = Date.now() + deps.timeoutMs;
      const claims: InternalClaims = {
        viewer: serviceViewer(row),
        requestId: `effect-${row.id}`,
        purpose: `handoff ${row.handoff_id}`,
        operation: 'HandoffEffect',
        // The handed-off record is the case the receiving agency now handles: what the sender gives of it (readSource) is bound to it.
        established: [row.subject_key],
        service: EFFECTS_SERVICE,
      };
      const token = await signInternalToken(deps.signingKey, claims, deadline);
      const source = SOURCES[row.mutation];
      const given = source ? await readSource(row, source, deps, claims, deadline) : {};
      const query = `mutation HandoffEffect($effectId: ID!, $handoffId: String!, $step: String!, $subjectKey: String!, $scopeCode: String!, $officer: String!, $text: String,
        $sealed: Boolean, $charges: [String!], $personIds: [String!], $communitySentence: String, $sentenceMonths: Int, $placeCode: String) {
        ${row.mutation}(effectId: $effectId, handoffId: $handoffId, step: $step, subjectKey: $subjectKey, scopeCode: $scopeCode, officer: $officer, text: $text,
          sealed: $sealed, charges: $charges, personIds: $personIds, communitySentence: $communitySentence, sentenceMonths: $sentenceMonths, placeCode: $placeCode) { effectId recordKey applied }
      }`;
      const answer = await callSubgraph(
        { name: row.department, url },
        token,
        deps.callSecret,
        {
          query,
          operationName: 'HandoffEffect',
          variables: {
            effectId: row.id,
            handoffId: row.handoff_id,
            step: row.step,
            subjectKey: row.subject_key,
            scopeCode: row.scope_code,
            officer: row.officer,
            text: row.text,
            ...given,
          },
        },
        deadline,
        claims.requestId,
      );
      const receipt = answer.body.data?.[row.mutation] as { recordKey: string; applied: boolean } | undefined;
      if (answer.status < 200 || answer.status > 299 || !receipt) {
        // The error's code only: a department's message may quote the record.
        const codes = (answer.body.errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'ERROR'));
        throw new Error(`${row.department} answered ${answer.status} ${codes.join(', ') || 'without a receipt'}`);
      }
      await pool.query(
        `update "workflow"."handoff_effect" set "delivered_at" = now(), "record_key" = $2, "attempts" = "attempts" + 1, "last_error" = null where "id" = $1`,
        [row.id, receipt.recordKey],
      );
      effectDelivered(row, Date.now() - started, receipt.applied);
    } catch (e) {
      const message = String((e as { message?: unknown } | null)?.message ?? e).slice(0, 300);
      await pool.query(`update "workflow"."handoff_effect" set "attempts" = "attempts" + 1, "last_error" = $2 where "id" = $1`, [row.id, message]);
      logger.warn({ effectId: row.id, department: row.department, error: message }, 'handoff effect not delivered; the job queue retries it');
      throw e;
    }
  };
}

/**
 * Reads the sender's record for an effect, as a reference resolution (`_entities`) in the sender's
 * department, as the receiving agency's effect service, the handoff's record established as its
 * case: the sender's policy decides what the receiver gets and audits the look in its own chain,
 * as for any reader. Throws (the job is retried) while the sender cannot answer or gives no record.
 */
async function readSource(
  row: OutboxRow,
  source: NonNullable<(typeof SOURCES)[EffectRule['mutation']]>,
  deps: JobQueueDeps,
  claims: InternalClaims,
  deadline: number,
): Promise<SourceArgs> {
  const owner = OWNERS[source.type];
  const url = deps.subgraphUrls()[owner.department];
  if (!url) throw new Error(`no URL for ${owner.department}`);
  // A read, not a write: the same caller without the effect service's claim to the internal mutations.
  const token = await signInternalToken(deps.signingKey, { ...claims, service: null }, deadline);
  const query = `query EffectSource($r: [_Any!]!) { _entities(representations: $r) { ... on ${source.type} { ${source.selection} } } }`;
  const answer = await callSubgraph(
    { name: owner.department, url },
    token,
    deps.callSecret,
    { query, operationName: 'EffectSource', variables: { r: [{ __typename: source.type, [owner.key]: row.subject_key }] } },
    deadline,
    claims.requestId,
  );
  const record = (answer.body.data?._entities as Array<Source | null> | undefined)?.[0];
  if (answer.status < 200 || answer.status > 299 || answer.body.errors?.length || !record) {
    // The codes only: a message may quote the record.
    const codes = (answer.body.errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'ERROR'));
    throw new Error(`${owner.department} gave no ${source.type} (${answer.status} ${codes.join(', ') || 'no record'})`);
  }
  return source.args(record);
}

function effectDelivered(row: OutboxRow, ms: number, applied: boolean): void {
  logger.info({ effectId: row.id, department: row.department, mutation: row.mutation, applied, ms }, 'handoff effect delivered');
}

/** graphile-worker's own log lines, into the hub's (pino) at debug, its warnings and errors as such. */
const queueLogger = new Logger(() => (level, message) => {
  // A failed job is retried (its failure is logged above, without the record's content): a warning, not an error.
  if (level === 'error' || level === 'warning') logger.warn({ queue: QUEUE_SCHEMA }, message);
  else logger.debug({ queue: QUEUE_SCHEMA }, message);
});

/** The workflow's job queue: its schema, migrated by whoever migrates the workflow, and the worker that delivers effects and webhooks. */
export const effectsQueue: JobQueue = {
  schema: QUEUE_SCHEMA,
  // The departments of its effects, the senders whose records they carry (SOURCES), and those whose records a dispatch checks (subjects.ts).
  calls: ['grid', 'police', 'procuratorate', 'court', 'justice', 'petition'],
  async migrate(databaseUrl: string): Promise<void> {
    await runMigrations({ connectionString: databaseUrl, schema: QUEUE_SCHEMA, logger: queueLogger });
  },
  async start(deps: JobQueueDeps): Promise<{ stop(): Promise<void> }> {
    // One connection LISTENs for new jobs (delivery within milliseconds of the commit), one runs them.
    const pool = new Pool({ connectionString: deps.databaseUrl, max: 2, application_name: 'pingan-hub-workflow-effects' });
    // A connection that drops (a database restart) is logged and replaced, never an uncaught error.
    const lost = (err: Error) => logger.warn({ err, queue: QUEUE_SCHEMA }, 'job queue connection lost');
    pool.on('error', lost);
    pool.on('connect', (client) => client.on('error', lost));
    let runner: Runner;
    try {
      runner = await run({
        pgPool: pool,
        schema: QUEUE_SCHEMA,
        concurrency: 1,
        noHandleSignals: true,
        pollInterval: deps.pollIntervalMs ?? 2_000,
        logger: queueLogger,
        taskList: { [TASK]: deliverTask(pool, deps), ...webhookTasks(pool) },
      });
    } catch (e) {
      await pool.end();
      throw e;
    }
    logger.info({ queue: QUEUE_SCHEMA }, 'handoff effect worker running');
    return {
      async stop() {
        await runner.stop();
        await pool.end();
      },
    };
  },
};
