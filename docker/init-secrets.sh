#!/bin/sh
# Makes what docker/compose.yaml needs, once: ES256 key pairs in docker/keys/ (internal tokens:
# gateway signs, subgraphs verify; callers: your identity provider's key in production, this one
# for trying the stack) and random passwords and the person-key secret in docker/.env.
# Never overwrites: delete a file to make it again.
set -eu
cd "$(dirname "$0")"
mkdir -p keys
for pair in internal caller; do
  if [ ! -f "keys/$pair-private.pem" ]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "keys/$pair-private.pem"
    openssl pkey -in "keys/$pair-private.pem" -pubout -out "keys/$pair-public.pem"
  fi
done
# Compose mounts file secrets as they are on the host: the container user (uid 10001) must read them.
chmod 0644 keys/*.pem
if [ ! -f .env ]; then
  secret() { openssl rand -hex "$1"; }
  {
    echo "PERSON_KEY_SECRET=$(secret 32)"
    echo "POSTGRES_PASSWORD=$(secret 16)"
    for d in GRID POLICE PROCURATORATE COURT JUSTICE AUDIT; do echo "HUB_DB_PASSWORD_$d=$(secret 16)"; done
  } > .env
  chmod 0600 .env
fi
echo "docker/keys/ and docker/.env are ready (keep them out of git)"
