"""Fixtures of the fault tests: their own RabbitMQ node and MariaDB server, and a
deployment on them.

The node and the server start once per session (a few seconds each) and
every test gets a fresh virtual host and database on them, so tests do not
see each other's messages or rows. A test may stop them (that is the fault);
the fixture brings them back before the next test, and stops both at the
end of the session. Nothing here touches the machine's RabbitMQ or MariaDB.
"""

import pytest

from tests.functional.faults import scenarios
from tests.functional.faults.services import MariaDBServer, RabbitNode


@pytest.fixture(scope="session")
def rabbit_node(tmp_path_factory):
    node = RabbitNode(tmp_path_factory.mktemp("rabbit"))
    try:
        yield node.start()
    finally:
        node.stop()


@pytest.fixture(scope="session")
def mariadb_server(tmp_path_factory):
    server = MariaDBServer(tmp_path_factory.mktemp("mariadb"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def services_back(rabbit_node, mariadb_server):
    """The node and the server, running again after the test whatever it did to them."""
    yield rabbit_node, mariadb_server
    if not rabbit_node.app_running:
        rabbit_node.start_app()
    if not mariadb_server.running:
        mariadb_server.start()


@pytest.fixture
def fault_env(tmp_path, services_back):
    """The issue's deployment (1 api, 2 conductors, 2 schedulers, 3 fake computes),
    started on the private node and server; stopped and dropped after the test."""
    rabbit, mariadb = services_back
    deployment = scenarios.make_deployment(tmp_path, rabbit, mariadb)
    try:
        deployment.start()
        yield scenarios.FaultEnv(deployment, rabbit, mariadb)
    finally:
        # The broker and the database must be back before the vhost and the
        # database can be dropped.
        if not rabbit.app_running:
            rabbit.start_app()
        if not mariadb.running:
            mariadb.start()
        # cleanup() SIGKILLs what still runs: not stop(), whose wait for services
        # that ignore SIGTERM would cost up to 30 s a test (test_sigterm.py
        # measures that; teardown need not wait for it).
        deployment.cleanup()
