import { Migration } from '@mikro-orm/migrations';

/**
 * The canonical text of a row: the SQL reference of `canonicalEntry` (src/audit/chain.ts; a test
 * checks both agree). No SET clause, so the planner can inline it into the append loop (a quarter
 * cheaper per row, measured); it names only pg_catalog functions, which are always searched first.
 */
const CANONICAL = `create or replace function "audit"."canonical"(
    chain text, chain_seq bigint, at timestamptz, request_id text, subject text, agency text, operation text,
    document_hash text, purpose text, entity_type text, entity_id text, field text, decision text, reason text,
    paths text[], fields text[], break_glass boolean, sealed boolean)
  returns text language sql immutable as $$
    select '[' || concat_ws(',',
      to_json(chain)::text, to_json(chain_seq::text)::text,
      to_json(to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text,
      to_json(request_id)::text, to_json(subject)::text, to_json(agency)::text,
      coalesce(to_json(operation)::text, 'null'), coalesce(to_json(document_hash)::text, 'null'), coalesce(to_json(purpose)::text, 'null'),
      to_json(entity_type)::text, coalesce(to_json(entity_id)::text, 'null'), to_json(field)::text, to_json(decision)::text, to_json(reason)::text,
      to_json(array_to_string(paths, ' '))::text, coalesce(to_json(array_to_string(fields, ' '))::text, 'null'),
      to_json(break_glass)::text, to_json(sealed)::text) || ']'
  $$;`;

/**
 * The trail the database's own users cannot rewrite quietly (issue #15):
 * - owned by the NOLOGIN role `pingan_audit_owner`; its triggers fire ALWAYS, so
 *   `session_replication_role = replica` no longer skips them;
 * - `pingan_audit_writer` may not INSERT: it may only call `audit.append`, which runs as the owner,
 *   builds the canonical text from the columns it stores, sets `at` from the server clock and
 *   refuses time going backwards;
 * - one chain per subgraph, chosen from the role the caller writes as (`pingan_audit_chain_<name>`,
 *   registered by `audit.register_chain`), its head a row of `audit.chain` that only the append
 *   function can lock (with a short `lock_timeout`, so a held lock fails closed fast) — subgraphs
 *   no longer serialise on one advisory lock any session could take;
 * - one row per (record, field) with every response path it was served at, plus one "looked up"
 *   row (`field` `*`) per record touched, with the fields selected;
 * - monthly partitions (`audit.ensure_partitions`) and a default one for anything outside them.
 * The trail written before this migration stays, closed, in `audit.access_log_v1`.
 */
export class Migration20261203100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$ begin
      if not exists (select from pg_roles where rolname = 'pingan_audit_owner') then create role "pingan_audit_owner" nologin; end if;
      if not exists (select from pg_roles where rolname = 'pingan_audit_writer') then create role "pingan_audit_writer" nologin; end if;
      if not exists (select from pg_roles where rolname = 'pingan_audit_appender') then create role "pingan_audit_appender" nologin; end if;
    end $$;`);
    // The old trail: kept for its chain, written no more.
    this.addSql(`drop function "audit"."append"(jsonb);`);
    this.addSql(`alter table "audit"."access_log" rename to "access_log_v1";`);
    this.addSql(`alter index "audit"."access_log_pkey" rename to "access_log_v1_pkey";`);
    this.addSql(`alter index "audit"."access_log_entity_index" rename to "access_log_v1_entity_index";`);
    this.addSql(`alter index "audit"."access_log_subject_index" rename to "access_log_v1_subject_index";`);
    this.addSql(`alter index "audit"."access_log_at_brin" rename to "access_log_v1_at_brin";`);
    this.addSql(`revoke insert on "audit"."access_log_v1" from "pingan_audit_writer";`);
    this.addSql(`alter table "audit"."access_log_v1" enable always trigger "access_log_no_update_delete";`);
    this.addSql(`alter table "audit"."access_log_v1" enable always trigger "access_log_no_truncate";`);
    // The owner adds monthly partitions; the schema itself stays the migrating login's. Granted before
    // anything is handed to the owner: a login that is not a superuser (compose's hub_audit) may give an
    // object only to a role that may create in its schema.
    this.addSql(`grant usage, create on schema "audit" to "pingan_audit_owner";`);
    this.addSql(`alter table "audit"."access_log_v1" owner to "pingan_audit_owner";`);
    this.addSql(`alter function "audit"."refuse_change"() owner to "pingan_audit_owner";`);

    this.addSql(`create table "audit"."chain" (
      "name" text primary key check ("name" ~ '^[a-z][a-z0-9_]{0,40}$'),
      "writer_role" text not null unique,
      "last_seq" bigint not null default 0,
      "last_hash" char(64) not null default repeat('0', 64),
      "last_at" timestamptz null,
      "base_seq" bigint not null default 0,
      "base_hash" char(64) not null default repeat('0', 64)
    );`);
    this.addSql(
      `comment on column "audit"."chain"."base_seq" is 'The last row of the chain moved to an archive (audit.archive_partition): verification of the stored rows starts after it.';`,
    );
    this.addSql(`create table "audit"."access_log" (
      "seq" bigint generated always as identity,
      "chain" text not null,
      "chain_seq" bigint not null,
      "at" timestamptz not null,
      "request_id" text not null,
      "subject" text not null,
      "agency" text not null,
      "operation" text null,
      "document_hash" text null,
      "purpose" text null,
      "subgraph" text not null,
      "entity_type" text not null,
      "entity_id" text null,
      "field" text not null,
      "decision" text not null check ("decision" in ('allow', 'mask', 'deny')),
      "reason" text not null,
      "paths" text[] not null,
      "fields" text[] null,
      "break_glass" boolean not null,
      "sealed" boolean not null,
      "prev_hash" char(64) not null,
      "hash" char(64) not null,
      primary key ("chain", "chain_seq", "at")
    ) partition by range ("at");`);
    this.addSql(`create table "audit"."access_log_default" partition of "audit"."access_log" default;`);
    this.addSql(`create index "access_log_seq_index" on "audit"."access_log" ("seq");`);
    this.addSql(`create index "access_log_entity_index" on "audit"."access_log" ("entity_id", "seq" desc);`);
    this.addSql(`create index "access_log_subject_index" on "audit"."access_log" ("subject", "seq" desc);`);
    // A citizen's report leaves out requests that touched a sealed record: a partial index, so ordinary rows cost nothing.
    this.addSql(`create index "access_log_sealed_request_index" on "audit"."access_log" ("request_id") where "sealed";`);
    this.addSql(
      `create trigger "access_log_no_update_delete" before update or delete on "audit"."access_log" for each row execute function "audit"."refuse_change"();`,
    );
    this.addSql(
      `create trigger "access_log_no_truncate" before truncate on "audit"."access_log" for each statement execute function "audit"."refuse_change"();`,
    );
    this.addSql(
      `create trigger "access_log_no_truncate" before truncate on "audit"."access_log_default" for each statement execute function "audit"."refuse_change"();`,
    );
    for (const t of ['access_log', 'access_log_default']) {
      this.addSql(`alter table "audit"."${t}" enable always trigger "access_log_no_truncate";`);
    }
    this.addSql(`alter table "audit"."access_log" enable always trigger "access_log_no_update_delete";`);
    this.addSql(`create trigger "chain_no_delete" before delete on "audit"."chain" for each row execute function "audit"."refuse_change"();`);
    this.addSql(`create trigger "chain_no_truncate" before truncate on "audit"."chain" for each statement execute function "audit"."refuse_change"();`);
    this.addSql(`alter table "audit"."chain" enable always trigger "chain_no_delete";`);
    this.addSql(`alter table "audit"."chain" enable always trigger "chain_no_truncate";`);

    this.addSql(CANONICAL);

    // Runs as the owner; the chain is the one registered for the role the caller writes as.
    this.addSql(`create or replace function "audit"."append"(entries jsonb) returns void language plpgsql security definer
      set search_path = pg_catalog, pg_temp set lock_timeout = '1s' as $$
      declare
        invoker text := case when current_setting('role') = 'none' then session_user::text else current_setting('role') end;
        c audit.chain%rowtype;
        t timestamptz;
        prev text;
        n bigint;
        e record;
        h text;
      begin
        if jsonb_typeof(entries) is distinct from 'array' then
          raise exception 'audit.append: expected an array of entries' using errcode = '22023';
        end if;
        select * into c from audit.chain where writer_role = invoker for update;
        if not found then
          raise exception 'audit.append: % writes no chain', invoker using errcode = '42501';
        end if;
        -- The time is read once the chain is ours: an append that waited for the lock comes after the one it waited for.
        t := date_trunc('milliseconds', clock_timestamp());
        if c.last_at is not null and t < c.last_at then
          raise exception 'audit.append: the clock went back (% < %)', t, c.last_at using errcode = '22008';
        end if;
        prev := c.last_hash;
        n := c.last_seq;
        -- Typed in one pass (JSON arrays become text[]); whatever else a caller sends (at, hash, canonical text) is not read.
        for e in select x.*, coalesce(x.paths, '{}') as p, coalesce(x."breakGlass", false) as bg, coalesce(x.sealed, false) as s
                 from jsonb_to_recordset(entries) as x("requestId" text, subject text, agency text, operation text, "documentHash" text,
                   purpose text, "entityType" text, "entityId" text, field text, decision text, reason text, paths text[], fields text[],
                   "breakGlass" boolean, sealed boolean) loop
          n := n + 1;
          h := encode(sha256(convert_to(prev || E'\\n' || audit.canonical(c.name, n, t, e."requestId", e.subject, e.agency, e.operation,
                 e."documentHash", e.purpose, e."entityType", e."entityId", e.field, e.decision, e.reason, e.p, e.fields, e.bg, e.s), 'UTF8')), 'hex');
          insert into audit.access_log (chain, chain_seq, at, request_id, subject, agency, operation, document_hash, purpose, subgraph,
                                        entity_type, entity_id, field, decision, reason, paths, fields, break_glass, sealed, prev_hash, hash)
          values (c.name, n, t, e."requestId", e.subject, e.agency, e.operation, e."documentHash", e.purpose, c.name,
                  e."entityType", e."entityId", e.field, e.decision, e.reason, e.p, e.fields, e.bg, e.s, prev, h);
          prev := h;
        end loop;
        update audit.chain set last_seq = n, last_hash = prev, last_at = t where name = c.name;
      end $$;`);

    // Monthly partitions from `start` for `months` months, each refusing TRUNCATE like the parent.
    this.addSql(`create or replace function "audit"."ensure_partitions"(start date, months int) returns int language plpgsql security definer
      set search_path = pg_catalog, pg_temp as $$
      declare
        m date;
        name text;
        created int := 0;
      begin
        for i in 0 .. months - 1 loop
          m := date_trunc('month', start)::date + make_interval(months => i);
          name := 'access_log_' || to_char(m, 'YYYY_MM');
          if to_regclass('audit.' || name) is null then
            execute format('create table audit.%I partition of audit.access_log for values from (%L) to (%L)', name, m, (m + interval '1 month')::date);
            execute format('create trigger access_log_no_truncate before truncate on audit.%I for each statement execute function audit.refuse_change()', name);
            execute format('alter table audit.%I enable always trigger access_log_no_truncate', name);
            created := created + 1;
          end if;
        end loop;
        return created;
      end $$;`);
    this.addSql(`select "audit"."ensure_partitions"((now() at time zone 'UTC')::date, 3);`);

    // Retention: a closed month's partition leaves the database (after the CLI wrote it to an
    // archive), oldest first; each chain's base moves to its last archived row, so what stays verifies.
    this.addSql(`create or replace function "audit"."archive_partition"(part text) returns jsonb language plpgsql security definer
      set search_path = pg_catalog, pg_temp as $$
      declare
        upper_bound date;
        r record;
        bases jsonb := '{}'::jsonb;
      begin
        if part !~ '^access_log_[0-9]{4}_[0-9]{2}$' or to_regclass('audit.' || part) is null then
          raise exception 'audit.archive_partition: % is no monthly partition of the trail', part using errcode = '22023';
        end if;
        upper_bound := (to_date(substr(part, 12), 'YYYY_MM') + interval '1 month')::date;
        if upper_bound > date_trunc('month', now() at time zone 'UTC')::date then
          raise exception 'audit.archive_partition: % is not a closed month', part using errcode = '22023';
        end if;
        for r in execute format('select chain, min(chain_seq) as first_seq, max(chain_seq) as last_seq,
                                        (array_agg(hash order by chain_seq desc))[1] as last_hash from audit.%I group by chain', part) loop
          if r.first_seq <> (select base_seq + 1 from audit.chain where name = r.chain) then
            raise exception 'audit.archive_partition: chain % in % does not start right after its base (archive older months first)', r.chain, part using errcode = '22023';
          end if;
          update audit.chain set base_seq = r.last_seq, base_hash = r.last_hash where name = r.chain;
          bases := bases || jsonb_build_object(r.chain, jsonb_build_object('seq', r.last_seq::text, 'hash', r.last_hash));
        end loop;
        execute format('alter table audit.access_log detach partition audit.%I', part);
        execute format('drop table audit.%I', part);
        return bases;
      end $$;`);
    this.addSql(`alter function "audit"."archive_partition"(text) owner to "pingan_audit_owner";`);

    // A subgraph's chain and the role it writes as (run by the migrating login at each subgraph's start).
    this.addSql(`create or replace function "audit"."register_chain"(chain text) returns void language plpgsql
      set search_path = pg_catalog, pg_temp as $$
      declare
        role text := 'pingan_audit_chain_' || chain;
      begin
        if chain !~ '^[a-z][a-z0-9_]{0,40}$' then raise exception 'audit.register_chain: bad chain name %', chain using errcode = '22023'; end if;
        -- Only what is missing: where the migrating login may not create or grant roles (compose), they are made beforehand.
        -- Roles are cluster-wide and the caller's lock is per database: another database's start may do the same at once.
        begin
          if not exists (select from pg_roles where rolname = role) then execute format('create role %I nologin', role); end if;
        exception when duplicate_object or unique_violation then null;
        end;
        begin
          if not pg_has_role(role, 'pingan_audit_appender', 'member') then execute format('grant pingan_audit_appender to %I', role); end if;
          if not pg_has_role('pingan_audit_writer', role, 'member') then execute format('grant %I to pingan_audit_writer', role); end if;
        exception when others then
          if not (pg_has_role(role, 'pingan_audit_appender', 'member') and pg_has_role('pingan_audit_writer', role, 'member')) then raise; end if;
        end;
        insert into audit.chain (name, writer_role) values (chain, role) on conflict (name) do nothing;
      end $$;`);

    // A citizen's access report holds back lookups made under a case while the case is open: the
    // department handling it holds disclosure when the case opens and releases it when it closes.
    this.addSql(`create table "audit"."disclosure_hold" (
      "case_no" text primary key check (length("case_no") between 1 and 100),
      "held_by" text not null,
      "held_at" timestamptz not null,
      "released_at" timestamptz null
    );`);
    this.addSql(`create or replace function "audit"."hold_disclosure"(case_no text) returns void language plpgsql security definer
      set search_path = pg_catalog, pg_temp as $$
      declare
        invoker text := case when current_setting('role') = 'none' then session_user::text else current_setting('role') end;
        holder text := (select name from audit.chain where writer_role = invoker);
      begin
        if holder is null then raise exception 'audit.hold_disclosure: % writes no chain', invoker using errcode = '42501'; end if;
        insert into audit.disclosure_hold (case_no, held_by, held_at) values (hold_disclosure.case_no, holder, now())
          on conflict on constraint disclosure_hold_pkey do update set released_at = null, held_by = excluded.held_by, held_at = excluded.held_at;
      end $$;`);
    this.addSql(`create or replace function "audit"."release_disclosure"(case_no text) returns void language plpgsql security definer
      set search_path = pg_catalog, pg_temp as $$
      begin
        if not exists (select from audit.chain where writer_role = case when current_setting('role') = 'none' then session_user::text else current_setting('role') end) then
          raise exception 'audit.release_disclosure: the caller writes no chain' using errcode = '42501';
        end if;
        update audit.disclosure_hold h set released_at = now() where h.case_no = release_disclosure.case_no and h.released_at is null;
      end $$;`);
    for (const t of ['access_log', 'access_log_default', 'chain', 'disclosure_hold']) this.addSql(`alter table "audit"."${t}" owner to "pingan_audit_owner";`);
    for (const f of ['hold_disclosure(text)', 'release_disclosure(text)']) this.addSql(`alter function "audit".${f} owner to "pingan_audit_owner";`);
    this.addSql(
      `alter function "audit"."canonical"(text, bigint, timestamptz, text, text, text, text, text, text, text, text, text, text, text, text[], text[], boolean, boolean) owner to "pingan_audit_owner";`,
    );
    this.addSql(`alter function "audit"."append"(jsonb) owner to "pingan_audit_owner";`);
    this.addSql(`alter function "audit"."ensure_partitions"(date, int) owner to "pingan_audit_owner";`);
    this.addSql(`alter function "audit"."register_chain"(text) owner to "pingan_audit_owner";`);
    // What a chain's role may do (through `pingan_audit_appender`): call the append function, read the
    // trail and its heads (oversight, verify, the head export), make next months' partitions. No
    // INSERT, UPDATE or row lock anywhere. The writer role (the application login's) may take any
    // chain's role: in one process all subgraphs share a login; a deployment gives each its own.
    this.addSql(`grant usage on schema "audit" to "pingan_audit_appender";`);
    // The rights on what the owner now holds are the owner's to give or take: a migrating login that is not a
    // superuser (compose's hub_audit: it may SET ROLE to the owner, without its rights) would otherwise only be
    // warned that nothing was granted or revoked, and leave the functions executable by PUBLIC.
    this.addSql(`set local role "pingan_audit_owner";`);
    for (const f of [
      'archive_partition(text)',
      'hold_disclosure(text)',
      'release_disclosure(text)',
      'append(jsonb)',
      'ensure_partitions(date, int)',
      'register_chain(text)',
    ])
      this.addSql(`revoke all on function "audit".${f} from public;`);
    for (const f of ['hold_disclosure(text)', 'release_disclosure(text)', 'append(jsonb)', 'ensure_partitions(date, int)'])
      this.addSql(`grant execute on function "audit".${f} to "pingan_audit_appender";`);
    this.addSql(`grant select on "audit"."access_log", "audit"."chain", "audit"."access_log_v1", "audit"."disclosure_hold" to "pingan_audit_appender";`);
    this.addSql(`revoke select on "audit"."access_log_v1" from "pingan_audit_writer";`);
    this.addSql(`reset role;`);
  }
}
