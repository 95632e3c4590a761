#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d).
# One database per department plus the audit database, each owned by its own login; CONNECT is
# revoked from PUBLIC, so a department's login reaches only its own database.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
-- The audit roles (migrations/audit), created here because the audit database's owner may not
-- create roles: the trail's NOLOGIN owner, the rights of an appender (call audit.append, read),
-- one role per subgraph's chain, and the writer role that may take any chain's role.
do $$
declare chain text;
begin
  if not exists (select from pg_roles where rolname = 'pingan_audit_writer') then create role pingan_audit_writer nologin; end if;
  if not exists (select from pg_roles where rolname = 'pingan_audit_owner') then create role pingan_audit_owner nologin; end if;
  if not exists (select from pg_roles where rolname = 'pingan_audit_appender') then create role pingan_audit_appender nologin; end if;
  foreach chain in array array['grid', 'police', 'procuratorate', 'court', 'justice', 'workflow', 'audit'] loop
    if not exists (select from pg_roles where rolname = 'pingan_audit_chain_' || chain) then
      execute format('create role %I nologin', 'pingan_audit_chain_' || chain);
    end if;
    execute format('grant pingan_audit_appender to %I', 'pingan_audit_chain_' || chain);
    execute format('grant %I to pingan_audit_writer', 'pingan_audit_chain_' || chain);
  end loop;
end $$;
SQL

for department in grid police procuratorate court justice workflow audit; do
  variable="HUB_DB_PASSWORD_$(echo "$department" | tr '[:lower:]' '[:upper:]')"
  password=$(printenv "$variable" || true)
  if [ -z "$password" ]; then echo "$variable must be set" >&2; exit 1; fi
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set=login="hub_$department" --set=password="$password" <<'SQL'
create role :"login" login password :'password';
create database :"login" owner :"login";
revoke connect, temporary on database :"login" from public;
-- PgBouncer drops a client's statement_timeout (docker/pgbouncer/pgbouncer.ini): bound statements here.
alter database :"login" set statement_timeout = '10s';
SQL
done

# The audit database's owner (hub_audit) migrates it; each department's own login may only connect
# there and assume the writer role, which appends to the trail and reads it (nothing else).
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c 'grant pingan_audit_writer to hub_audit;'
# hub_audit runs the audit migrations, which hand the trail to its owner: it may SET ROLE to it but
# does not inherit its rights (docs/audit.md says what that leaves open).
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c 'grant pingan_audit_owner to hub_audit with inherit false, set true;'
# Each department's own login may only connect to the audit database and append to its own chain
# (its chain role, not the writer role, which may take any chain's): one department cannot write as another.
for department in grid police procuratorate court justice workflow; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres --set=login="hub_$department" --set=chain="pingan_audit_chain_$department" <<'SQL'
grant connect on database hub_audit to :"login";
grant :"chain" to :"login";
SQL
done
