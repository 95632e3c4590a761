#!/bin/sh
# Makes what docker/compose.yaml needs, once: ES256 key pairs in docker/keys/ (internal tokens:
# gateway signs, subgraphs verify; callers: your identity provider's key in production, this one
# for trying the stack) and random passwords, the person-key secret and the gateway's private key
# in docker/.env. Private keys and .env are 0600 (this user only); public keys 0644.
# Never overwrites (it only adds the passwords of logins compose.yaml names and .env lacks): delete a
# file to make it again.
set -eu
cd "$(dirname "$0")"
# Everything is made private first; only the public keys are opened up below.
umask 077
mkdir -p keys
for pair in internal caller; do
  if [ ! -f "keys/$pair-private.pem" ]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "keys/$pair-private.pem"
    openssl pkey -in "keys/$pair-private.pem" -pubout -out "keys/$pair-public.pem"
  fi
done
chmod 0600 keys/*-private.pem
# Compose bind-mounts file secrets as they are on the host: the container user (uid 10001) reads these.
chmod 0644 keys/*-public.pem
secret() { openssl rand -hex "$1"; }
if [ ! -f .env ]; then
  {
    echo "PERSON_KEY_SECRET=$(secret 32)"
    echo "POSTGRES_PASSWORD=$(secret 16)"
    # One line, \n between the PEM's lines (Compose expands escapes in double-quoted .env values).
    printf 'INTERNAL_JWT_PRIVATE_KEY_PEM="%s"\n' "$(awk '{printf "%s\\n", $0}' keys/internal-private.pem)"
  } > .env
fi
# A password for every login compose.yaml names (one per subgraph of the registry): the ones missing
# are added, so a department added since the first run gets its own.
for variable in $(grep -o 'HUB_DB_PASSWORD_[A-Z0-9_]*' compose.yaml | sort -u); do
  grep -q "^$variable=" .env || echo "$variable=$(secret 16)" >> .env
done
chmod 0600 .env
echo "docker/keys/ and docker/.env are ready (keep them out of git)"
