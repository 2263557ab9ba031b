-- The PostgreSQL role the functional tests connect as (tools/run-tests.sh runs
-- this as the postgres superuser). Its own name, not a deployment's 'minova':
-- where a deployment's role has another password, the tests' would be refused.
-- CREATEDB, for the databases the tests create (minova_ft_<random>); nothing
-- more. Idempotent, and it never touches other roles.
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'minova_test') THEN
    CREATE ROLE minova_test;
  END IF;
END$$;
ALTER ROLE minova_test LOGIN PASSWORD 'minova_test' CREATEDB NOSUPERUSER NOCREATEROLE;
