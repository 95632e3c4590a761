#!/bin/sh
# The logins PgBouncer accepts: those of HUB_DATABASES (docker/compose.yaml, from the subgraph
# registry), with the passwords compose passes in (HUB_DB_PASSWORD_<SUBGRAPH>).
set -eu
: "${HUB_DATABASES:?}"
umask 077
: > /tmp/pgbouncer-users.txt
for subgraph in $HUB_DATABASES; do
  variable="HUB_DB_PASSWORD_$(echo "$subgraph" | tr '[:lower:]' '[:upper:]')"
  password=$(printenv "$variable" || true)
  if [ -z "$password" ]; then echo "$variable must be set" >&2; exit 1; fi
  printf '"hub_%s" "%s"\n' "$subgraph" "$password" >> /tmp/pgbouncer-users.txt
done
exec pgbouncer /etc/pgbouncer/pgbouncer.ini
