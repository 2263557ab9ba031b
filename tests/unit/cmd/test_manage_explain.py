"""``minova-manage scheduler explain``: a server without a decision is a failing exit."""

import os
import subprocess
import sys

import pytest

from minova import exception
from minova.db import actions as db_actions
from minova.objects import actions
from tests.unit.db.helpers import make_instance

BIN = os.path.join(os.path.dirname(sys.executable), "minova-manage")


@pytest.fixture
def explain(sqlite_db, tmp_path):
    conf = tmp_path / "minova.conf"
    conf.write_text(f"[DEFAULT]\nstate_path = {tmp_path}\n"
                    f"[database]\nconnection = {sqlite_db.url}\n")

    def run(server: str) -> subprocess.CompletedProcess:
        return subprocess.run([BIN, "--config-file", str(conf), "scheduler", "explain", server],
                              capture_output=True, text=True, timeout=120)
    return run


def _failed_schedule(ctxt, message: str) -> str:
    instance = make_instance(ctxt, vm_state="error", task_state=None)
    db_actions.event_finish(ctxt, instance["uuid"], actions.EVENT_SCHEDULE, actions.ERROR,
                            "conductor1", details=message, finish_action=True)
    return instance["uuid"]


def test_a_build_that_failed_before_any_decision_exits_non_zero(explain, ctxt_factory):
    uuid = _failed_schedule(ctxt_factory(), "Build failed in the conductor: "
                                            "OperationalError: database is locked")
    result = explain(uuid)
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"No scheduling decision recorded for {uuid}" in result.stderr
    assert "its schedule step ended in Error: Build failed in the conductor" in result.stderr


def test_no_valid_host_is_the_schedulers_verdict(explain, ctxt_factory):
    reason = "RamFilter removed 2 of 2 hosts (compute1, compute2)."
    uuid = _failed_schedule(ctxt_factory(),
                            exception.NoValidHost(reason=reason).format_message())
    result = explain(uuid)
    assert result.returncode == 0, result.stderr
    assert f"Error: No valid host was found. {reason}" in result.stdout


def test_a_server_still_scheduling_exits_non_zero(explain, ctxt_factory):
    uuid = make_instance(ctxt_factory())["uuid"]
    result = explain(uuid)
    assert result.returncode == 1
    assert f"No scheduling decision recorded for {uuid}" in result.stderr
