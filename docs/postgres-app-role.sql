-- Knot on PostgreSQL: the role Knot runs as day to day, `knot_app`, which does not own the
-- clinic's tables.
--
-- Run this as the role that owns the tables (the one Knot's migrations ran as), in the clinic
-- database, after the migrations:
--
--     psql -v ON_ERROR_STOP=1 -d clinic -f docs/postgres-app-role.sql
--
-- and again after an upgrade of Knot that added tables (it is safe to run twice). Then give
-- knot_app a way to log in (`\password knot_app` and a line in the clinic's password file, or
-- certificate/peer authentication in pg_hba.conf) and point Knot at
-- postgres://knot_app@host/clinic.
--
-- What knot_app can do: read and write rows as Knot's use cases do, within the rules the schema's
-- triggers keep (signed visits immutable, needle balance at signing, nothing clinical deleted),
-- and move the id sequences (UPDATE on them: an import that keeps an export's ids sets them past
-- the highest). What it cannot do, because only a table's owner (or a superuser) can: ALTER or
-- DROP a table, DISABLE TRIGGER, TRUNCATE, or change these grants. The audit trail is
-- append-only twice over: knot_app has no UPDATE or DELETE on audit_event at all, and the trigger
-- refuses them for everyone else. knot_schema_migration is read-only to it, so a newer Knot's
-- migrations run as the owner, never as knot_app. It connects with PUBLIC's CONNECT on the
-- database (a cluster that revoked that grants CONNECT ON DATABASE to knot_app itself).
--
-- Written from Sources/ClinicStorePostgres/PostgresWorkingRole.swift, the one statement of these
-- grants (edit there, then: KNOT_UPDATE_GOLDEN=1 swift test --filter PostgresWorkingRoleScriptTests).

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'knot_app') THEN
    CREATE ROLE knot_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO knot_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO knot_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO knot_app;
REVOKE UPDATE, DELETE ON audit_event FROM knot_app;
REVOKE INSERT, UPDATE, DELETE ON knot_schema_migration FROM knot_app;

-- Tables and sequences the owner creates later (a newer Knot's migrations) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO knot_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO knot_app;
