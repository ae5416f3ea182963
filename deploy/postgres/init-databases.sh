#!/bin/sh
# Runs once, when the PostgreSQL data volume is first initialised (docker-entrypoint-initdb.d).
# Two databases, each owned by its own unprivileged role: `tanyakerja` (the application: gateway, action
# servers, help desk, migrations) and `rasa_tracker` (Rasa's tracker store: conversation history). Neither role
# can read the other's database; the superuser `postgres` is for the operator only.
# psql reads the passwords from the secret files itself (\set with a backquoted command): on its command line
# they would be readable by every user of the host while it runs.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
\set app_pw `cat /run/secrets/app_db_password`
\set rasa_pw `cat /run/secrets/rasa_db_password`
CREATE ROLE tanyakerja LOGIN PASSWORD :'app_pw';
CREATE DATABASE tanyakerja OWNER tanyakerja;
REVOKE ALL ON DATABASE tanyakerja FROM PUBLIC;
CREATE ROLE rasa LOGIN PASSWORD :'rasa_pw';
CREATE DATABASE rasa_tracker OWNER rasa;
REVOKE ALL ON DATABASE rasa_tracker FROM PUBLIC;
SQL
