"""The tests' MariaDB user is not shadowed by a deployment's users.

MariaDB matches a connection to the account whose host is the most specific
match, and only then checks the password: a deployment's
``'minova'@'127.0.0.1'`` (README, "A real deployment") shadowed the tests'
former ``'minova'@'%'``, and every functional test was refused. The tests now
connect as ``minova_test`` (tools/test-users-mariadb.sql, which
tools/run-tests.sh applies).

This applies that same file to a MariaDB server of the test's own
(tests/functional/faults/services.py), not to the machine's: the machine's
server may hold a real deployment's accounts, which a test must neither add
to nor change. There it adds what a deployment and an older test set-up
leave, then connects as the tests do.
"""

import pathlib

import pytest
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from tests.functional.deployment import Database
from tests.functional.faults.services import MariaDBServer

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEST_USERS_SQL = (ROOT / "tools" / "test-users-mariadb.sql").read_text()

# What a deployment following the README creates, and what the tests' former
# set-up left on machines that ran it ('minova'@'%' with password 'minova').
DEPLOYMENT_AND_OLD_USERS = """
DROP USER IF EXISTS 'minova'@'127.0.0.1';
CREATE USER 'minova'@'127.0.0.1' IDENTIFIED BY 'a-deployments-own-secret';
CREATE DATABASE minova;
GRANT ALL PRIVILEGES ON minova.* TO 'minova'@'127.0.0.1';
CREATE USER 'minova'@'%' IDENTIFIED BY 'minova';
GRANT ALL PRIVILEGES ON *.* TO 'minova'@'%';
CREATE USER ''@'localhost';
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    mariadb = MariaDBServer(tmp_path_factory.mktemp("mariadb"))
    try:
        mariadb.start()
        mariadb.sql(DEPLOYMENT_AND_OLD_USERS)
        mariadb.sql(TEST_USERS_SQL)
        mariadb.sql(TEST_USERS_SQL)  # tools/run-tests.sh runs it on every run
        yield mariadb
    finally:
        mariadb.stop()


def _url(server, user: str, password: str) -> str:
    return f"mysql+pymysql://{user}:{password}@127.0.0.1:{server.port}"


def _access_denied(url: str) -> int:
    engine = sa.create_engine(url + "/", poolclass=sa.pool.NullPool)
    with pytest.raises(sa_exc.OperationalError) as caught:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    return caught.value.orig.args[0]


def test_the_old_test_user_is_shadowed_here(server):
    """The set-up reproduces the clash: 'minova'/'minova' over 127.0.0.1 meets the
    deployment's 'minova'@'127.0.0.1' and is refused (1045, access denied)."""
    assert _access_denied(_url(server, "minova", "minova")) == 1045


def test_the_tests_user_connects_and_creates_its_databases(server, tmp_path):
    url = _url(server, "minova_test", "minova_test")
    database = Database("mysql", tmp_path, mysql_url=url)
    database.create()
    try:
        engine = database.engine()
        with engine.connect() as conn:
            user = conn.exec_driver_sql("SELECT CURRENT_USER()").scalar()
            conn.exec_driver_sql("CREATE TABLE t (id INT PRIMARY KEY)")
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM t").scalar() == 1
        engine.dispose()
    finally:
        database.drop()
    assert user in ("minova_test@127.0.0.1", "minova_test@localhost")
    assert database.name not in server.sql("SHOW DATABASES")


def test_the_tests_user_reaches_nothing_else(server):
    """Privileges on the tests' databases only: not a deployment's, not the grant tables."""
    engine = sa.create_engine(_url(server, "minova_test", "minova_test") + "/",
                              poolclass=sa.pool.NullPool)
    refused = []
    with engine.connect() as conn:
        for statement in ("CREATE DATABASE minova_other", "SELECT * FROM minova.t",
                          "DROP DATABASE minova", "SELECT User FROM mysql.user"):
            try:
                conn.exec_driver_sql(statement)
            except (sa_exc.OperationalError, sa_exc.ProgrammingError) as error:
                refused.append(error.orig.args[0])
    # 1044: access denied to a database; 1142: a command denied on a table.
    assert refused == [1044, 1142, 1044, 1142]
    assert "minova" in server.sql("SHOW DATABASES").split()
