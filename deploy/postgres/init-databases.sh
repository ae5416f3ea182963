#!/bin/sh
# Runs once, when the PostgreSQL data volume is first initialised (docker-entrypoint-initdb.d).
# Two databases, each owned by its own unprivileged role: `tanyakerja` (the application: gateway, action
# servers, help desk, migrations) and `rasa_tracker` (Rasa's tracker store: conversation history). Neither role
# can read the other's database; the superuser `postgres` is for the operator only.
set -eu
psql -v ON_ERROR_STOP=1 \
  -v app_pw="$(cat /run/secrets/app_db_password)" \
  -v rasa_pw="$(cat /run/secrets/rasa_db_password)" \
  --username "$POSTGRES_USER" --dbname postgres <<'SQL'
CREATE ROLE tanyakerja LOGIN PASSWORD :'app_pw';
CREATE DATABASE tanyakerja OWNER tanyakerja;
REVOKE ALL ON DATABASE tanyakerja FROM PUBLIC;
CREATE ROLE rasa LOGIN PASSWORD :'rasa_pw';
CREATE DATABASE rasa_tracker OWNER rasa;
REVOKE ALL ON DATABASE rasa_tracker FROM PUBLIC;
SQL
