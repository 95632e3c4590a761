#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d). What to
# make comes from docker/compose.yaml, generated from the subgraph registry (`hub docker`):
#   HUB_SUBGRAPHS          every subgraph: a login hub_<name> each (password HUB_DB_PASSWORD_<NAME>) and an audit chain role
#   HUB_DATABASES          the subgraphs that keep tables in the hub: a database hub_<name> each, owned by its login
#   HUB_EXISTING_SYSTEMS   name=schema of each department whose records stay in its own system: here a stand-in
#                          database <name>_system loaded from $HUB_STAND_INS/<name>.sql (compose mounts the
#                          fixtures at /stand-ins), which its login may only read
# CONNECT is revoked from PUBLIC everywhere, so a login reaches only what is granted to it below.
set -eu
: "${HUB_SUBGRAPHS:?}" "${HUB_DATABASES:?}"
HUB_EXISTING_SYSTEMS=${HUB_EXISTING_SYSTEMS:-}
HUB_STAND_INS=${HUB_STAND_INS:-/stand-ins}
run() { psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" "$@"; }
password_of() {
  variable="HUB_DB_PASSWORD_$(echo "$1" | tr '[:lower:]' '[:upper:]')"
  value=$(printenv "$variable" || true)
  if [ -z "$value" ]; then echo "$variable must be set" >&2; exit 1; fi
  printf '%s' "$value"
}

# The audit roles (migrations/audit), created here because the audit database's owner may not
# create roles: the trail's NOLOGIN owner, the rights of an appender (call audit.append, read),
# one role per subgraph's chain, and the writer role that may take any chain's role.
run --dbname postgres --set=chains="$HUB_SUBGRAPHS" <<'SQL'
select set_config('hub.chains', :'chains', false);
do $$
declare chain text;
begin
  if not exists (select from pg_roles where rolname = 'pingan_audit_writer') then create role pingan_audit_writer nologin; end if;
  if not exists (select from pg_roles where rolname = 'pingan_audit_owner') then create role pingan_audit_owner nologin; end if;
  if not exists (select from pg_roles where rolname = 'pingan_audit_appender') then create role pingan_audit_appender nologin; end if;
  foreach chain in array string_to_array(current_setting('hub.chains'), ' ') loop
    if not exists (select from pg_roles where rolname = 'pingan_audit_chain_' || chain) then
      execute format('create role %I nologin', 'pingan_audit_chain_' || chain);
    end if;
    execute format('grant pingan_audit_appender to %I', 'pingan_audit_chain_' || chain);
    execute format('grant %I to pingan_audit_writer', 'pingan_audit_chain_' || chain);
  end loop;
end $$;
SQL

for subgraph in $HUB_SUBGRAPHS; do
  # Its own line: a failed lookup stops the script here (inside an argument it would not).
  password=$(password_of "$subgraph")
  run --dbname postgres --set=login="hub_$subgraph" --set=password="$password" <<'SQL'
create role :"login" login password :'password';
SQL
done

for subgraph in $HUB_DATABASES; do
  run --dbname postgres --set=login="hub_$subgraph" <<'SQL'
create database :"login" owner :"login";
revoke connect, temporary on database :"login" from public;
-- PgBouncer drops a client's statement_timeout (docker/pgbouncer/pgbouncer.ini): bound statements here.
alter database :"login" set statement_timeout = '10s';
SQL
done

# The audit database's owner (hub_audit) migrates it and registers every subgraph's chain; it runs
# the audit migrations, which hand the trail to its owner: it may SET ROLE to it but does not
# inherit its rights (docs/audit.md says what that leaves open).
run --dbname postgres <<'SQL'
grant pingan_audit_writer to hub_audit;
grant pingan_audit_owner to hub_audit with inherit false, set true;
SQL
# Each department's own login may only connect to the audit database and append to its own chain
# (its chain role, not the writer role, which may take any chain's): one department cannot write as another.
for subgraph in $HUB_SUBGRAPHS; do
  [ "$subgraph" = audit ] && continue
  run --dbname postgres --set=login="hub_$subgraph" --set=chain="pingan_audit_chain_$subgraph" <<'SQL'
grant connect on database hub_audit to :"login";
grant :"chain" to :"login";
SQL
done

# Stand-ins for the departments' own systems: loaded as their owner (the superuser), read by the
# department's login, which may SELECT their tables and nothing else (the hub also reads them in
# read-only transactions). In production the department's DATABASE_URL points at its real system.
for pair in $HUB_EXISTING_SYSTEMS; do
  department=${pair%%=*}
  schema=${pair#*=}
  database="${department}_system"
  run --dbname postgres --set=database="$database" <<'SQL'
create database :"database";
revoke connect, temporary on database :"database" from public;
alter database :"database" set statement_timeout = '10s';
SQL
  run --dbname "$database" --single-transaction --file "$HUB_STAND_INS/$department.sql"
  run --dbname "$database" --set=database="$database" --set=login="hub_$department" --set=schema="$schema" <<'SQL'
grant connect on database :"database" to :"login";
grant usage on schema :"schema" to :"login";
grant select on all tables in schema :"schema" to :"login";
SQL
done
