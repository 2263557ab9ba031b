"""[conductor] workers: several conductor processes share the topic and survive a kill."""

import os
import signal

from tests.functional.deployment import wait_for


def _children(pid: int) -> set[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as handle:
        return {int(p) for p in handle.read().split()}


def test_two_conductor_workers_build_and_replace_a_killed_one(deploy):
    deployment = deploy(backend="mysql", conf={"conductor": {"workers": 2}})
    parent = deployment.procs["conductor"].pid
    workers = wait_for(lambda: (lambda c: c if len(c) == 2 else None)(_children(parent)), 30,
                       message="two conductor workers")

    ids = [deployment.api.create_server(f"w-{i}") for i in range(8)]
    assert {deployment.api.wait_for_status(i)["status"] for i in ids} == {"ACTIVE"}

    victim = sorted(workers)[0]
    os.kill(victim, signal.SIGKILL)
    replaced = wait_for(lambda: (lambda c: c if len(c) == 2 and victim not in c else None)(
        _children(parent)), 30, message="the killed worker to be replaced")
    assert victim not in replaced

    more = [deployment.api.create_server(f"after-{i}") for i in range(4)]
    assert {deployment.api.wait_for_status(i)["status"] for i in more} == {"ACTIVE"}

    codes = deployment.stop()
    assert codes["conductor"] == 0, deployment.log("conductor")
    for pid in replaced:
        assert not os.path.exists(f"/proc/{pid}/status") or \
            "zombie" in open(f"/proc/{pid}/status").read()
