#!/bin/sh
# The logins PgBouncer accepts, with the passwords compose passes in (HUB_DB_PASSWORD_<DEPARTMENT>).
set -eu
umask 077
: > /tmp/pgbouncer-users.txt
for department in grid police procuratorate court justice workflow audit; do
  variable="HUB_DB_PASSWORD_$(echo "$department" | tr '[:lower:]' '[:upper:]')"
  password=$(printenv "$variable" || true)
  if [ -z "$password" ]; then echo "$variable must be set" >&2; exit 1; fi
  printf '"hub_%s" "%s"\n' "$department" "$password" >> /tmp/pgbouncer-users.txt
done
exec pgbouncer /etc/pgbouncer/pgbouncer.ini
