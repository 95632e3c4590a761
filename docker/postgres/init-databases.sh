#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d).
# One database per department plus the audit database, each owned by its own login; CONNECT is
# revoked from PUBLIC, so a department's login reaches only its own database.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
-- Audit writes run as this role (the audit migration grants it INSERT and SELECT on the trail only).
-- Created here because the audit database's owner may not create roles.
do $$ begin
  if not exists (select from pg_roles where rolname = 'pingan_audit_writer') then create role pingan_audit_writer nologin; end if;
end $$;
SQL

for department in grid police procuratorate court justice audit; do
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
for department in grid police procuratorate court justice; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres --set=login="hub_$department" <<'SQL'
grant connect on database hub_audit to :"login";
grant pingan_audit_writer to :"login";
SQL
done
