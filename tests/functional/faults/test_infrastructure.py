"""The fault tests' own machinery works: their broker and database go down and come
back on demand, a deployment runs on them, and its processes can be killed,
restarted and stopped one by one. These must pass whatever state the product is in."""

import subprocess

import kombu
import kombu.exceptions
import pytest
import sqlalchemy as sa

from tests.functional.deployment import wait_for
from tests.functional.faults import outcome, scenarios
from tests.functional.faults.accounting import check_accounting
from tests.functional.faults.storm import Storm, fates


def test_broker_stops_and_starts_keeping_its_vhosts(services_back):
    rabbit, _ = services_back
    assert rabbit.port != 5672
    rabbit.add_vhost("faults_infra")
    url = f"amqp://{rabbit.address}/faults_infra"
    try:
        with kombu.Connection(url, connect_timeout=5) as conn:
            conn.ensure_connection(max_retries=1)
        rabbit.stop_app()
        assert not rabbit.accepts_connections()
        with pytest.raises(kombu.exceptions.OperationalError):
            with kombu.Connection(url, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1)
        rabbit.start_app()
        with kombu.Connection(url, connect_timeout=5) as conn:
            conn.ensure_connection(max_retries=1)
    finally:
        rabbit.delete_vhost("faults_infra")
    # The machine's own node never heard of it.
    listed = subprocess.run(["rabbitmqctl", "-q", "list_vhosts"], capture_output=True,
                            text=True, check=True).stdout.split()
    assert "faults_infra" not in listed


def test_database_stops_and_starts_keeping_its_data(services_back):
    _, mariadb = services_back
    assert mariadb.port != 3306
    server = sa.create_engine(mariadb.url + "/mysql", poolclass=sa.pool.NullPool,
                              isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql("CREATE DATABASE faults_infra")
        conn.exec_driver_sql("CREATE TABLE faults_infra.t (n INT)")
        conn.exec_driver_sql("INSERT INTO faults_infra.t VALUES (42)")
    try:
        mariadb.stop()
        assert not mariadb.running
        with pytest.raises(sa.exc.OperationalError):
            server.connect()
        mariadb.start()
        with server.connect() as conn:
            assert conn.exec_driver_sql("SELECT n FROM faults_infra.t").scalar() == 42
    finally:
        with server.connect() as conn:
            conn.exec_driver_sql("DROP DATABASE IF EXISTS faults_infra")


def test_deployment_on_private_services_with_process_control(fault_env):
    deployment, rabbit, mariadb = fault_env.deployment, fault_env.rabbit, fault_env.mariadb
    conf = (deployment.tmp_path / "minova.conf").read_text()
    assert f"127.0.0.1:{rabbit.port}/{deployment.vhost}" in conf
    assert f"127.0.0.1:{mariadb.port}/{deployment.db.name}" in conf
    assert set(deployment.procs) == {"api", *scenarios.CONDUCTORS, *scenarios.SCHEDULERS,
                                     *scenarios.COMPUTES}

    # A conductor killed and restarted with its config serves again: with the
    # other one stopped, it alone builds these servers.
    deployment.kill("conductor")
    assert not deployment.running("conductor")
    deployment.restart("conductor")
    assert "==== restarted by the test" in deployment.log_full("conductor")
    seconds = deployment.terminate("conductor2")
    assert seconds is not None and not deployment.running("conductor2")
    storm = Storm(deployment.api, 6, 3, prefix="infra").run()
    assert storm.status_counts() == {202: 6}, [p.describe() for p in storm.posts]
    settled = wait_for(lambda: (lambda f: f if {x.vm_state for x in f.values()} == {"active"}
                                else None)(fates(deployment, storm.accepted)), 60,
                       message="the servers ACTIVE")
    assert {f.host for f in settled.values()} <= set(scenarios.COMPUTES)
    claimers = deployment.query(
        "SELECT DISTINCT host FROM instance_actions_events "
        "WHERE event = 'conductor_schedule_and_build_instances'")
    assert {r.host for r in claimers} == {"conductor"}
    assert check_accounting(deployment.db.engine()) == {
        host: sum(1 for f in settled.values() if f.host == host)
        for host in scenarios.COMPUTES}


def test_storm_without_fault_meets_the_outcome(fault_env):
    """The baseline the fault tests compare with: no fault, every check passes."""
    run = scenarios.run_fault(fault_env, "none", 30, 10)
    assert run.storm.status_counts() == {202: 30}
    outcome.assert_refusals_clean(run)
    fates = outcome.assert_outcome(fault_env.deployment, run)
    assert {f.vm_state for f in fates.values()} == {"active"}
