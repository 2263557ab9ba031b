-- The MariaDB user the functional tests connect as (tools/run-tests.sh runs this
-- as root; tests/functional/test_test_users.py applies it to a server of its own).
--
-- Its own name, so that it never meets a deployment's 'minova' user: MariaDB
-- picks the account whose host is the most specific match before it looks at
-- the name's password, so a deployment's 'minova'@'127.0.0.1' shadowed the
-- tests' old 'minova'@'%' and every test connection was refused. It has an
-- account for each host the tests connect from ('localhost' for the socket and
-- for 127.0.0.1 resolved to its name, '127.0.0.1' itself), so that no
-- less specific account (an anonymous ''@'localhost', say) can shadow it.
--
-- Privileges only on the databases the tests create (tests/functional/
-- deployment.py's Database: minova_ft_<random>; '_' escaped, or it would match
-- any character), not on *.*: CREATE DATABASE needs the grant on the pattern.
--
-- Idempotent: run it again and the user, its password and grants are the same;
-- it never touches other users.
CREATE USER IF NOT EXISTS 'minova_test'@'localhost' IDENTIFIED BY 'minova_test';
CREATE USER IF NOT EXISTS 'minova_test'@'127.0.0.1' IDENTIFIED BY 'minova_test';
ALTER USER 'minova_test'@'localhost' IDENTIFIED BY 'minova_test';
ALTER USER 'minova_test'@'127.0.0.1' IDENTIFIED BY 'minova_test';
GRANT ALL PRIVILEGES ON `minova\_ft\_%`.* TO 'minova_test'@'localhost';
GRANT ALL PRIVILEGES ON `minova\_ft\_%`.* TO 'minova_test'@'127.0.0.1';
