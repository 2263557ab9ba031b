"""SIGTERM stops every service, idle or under load, exiting 0 and losing no build;
SIGHUP reloads the log configuration of a running service.

The bounds are behaviour, not speed: tests/functional/stop_bounds.py.
"""

import collections
import concurrent.futures
import re
import signal
import time
from http import client as http_client

from tests.functional import stop_bounds
from tests.functional.deployment import wait_for

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# What a build handed back by a stop becomes without the re-drive.
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"  # the bootstrap's stand-in image


def _services_up(deployment, count: int) -> None:
    def up():
        deployment.check_alive()
        try:
            status, body, _ = deployment.api.get("/v2.1/os-services")
        except OSError:  # the api is not listening yet
            return False
        return status == 200 and sum(s["state"] == "up" for s in body["services"]) >= count
    wait_for(up, 60, message=f"{count} services up")


def _sigterm_all(deployment) -> dict:
    """SIGTERM every process at once; {name: (exit code, seconds to exit)}."""
    procs = {n: p for n, p in deployment.procs.items() if p.poll() is None}
    sent = {}
    for name, proc in procs.items():
        proc.send_signal(signal.SIGTERM)
        sent[name] = time.monotonic()
    exited: dict = {}

    def all_exited():
        for name, proc in procs.items():
            if name not in exited and proc.poll() is not None:
                exited[name] = (proc.returncode, time.monotonic() - sent[name])
        return len(exited) == len(procs)
    wait_for(all_exited, 30, interval=0.02, message="every process to exit")
    return exited


def _no_traceback_in_stop(deployment, names) -> None:
    """Nothing failed from the signal on (the stop used to fail a waiting call
    with ``AttributeError: 'NoneType' object has no attribute 'unlisten'``)."""
    for name in names:
        log = deployment.log_full(name)
        stop = log[log.index("Caught signal"):]
        assert "Traceback" not in stop and "ERROR" not in stop, f"{name}:\n{stop[-6000:]}"


def test_sigterm_idle_every_service_exits_0_without_waiting(deploy):
    deployment = deploy(backend="mysql", computes=("compute1",),
                        conf={"conductor": {"workers": 2}})
    _services_up(deployment, 2)
    exited = _sigterm_all(deployment)
    assert set(exited) == {"conductor", "scheduler", "api", "compute1"}
    for name, (code, seconds) in exited.items():
        assert code == 0, f"{name} exited {code}:\n{deployment.log(name)}"
        # Idle, nothing may be cut short or waited for until the deadline.
        assert "work unfinished" not in deployment.log_full(name), deployment.log(name)
        assert seconds < stop_bounds.IDLE, (
            f"{name} took {seconds:.2f} s, as if it waited out its deadline:\n"
            f"{deployment.log(name)}")
    _no_traceback_in_stop(deployment, exited)


def _boot(api, name: str) -> str | None:
    """The new server's id if the api accepted it (202); None if refused or cut off."""
    try:
        status, body, _ = api.post("/v2.1/servers", {"server": {
            "name": name, "flavorRef": "1", "imageRef": IMAGE}})
    except (OSError, http_client.HTTPException):  # the api stopped under the request
        return None
    return body["server"]["id"] if status == 202 else None


def test_sigterm_under_load_exits_in_time_and_no_build_is_lost(deploy, tmp_path):
    hold = tmp_path / "spawn-hold"
    hold.touch()
    hosts = ("compute1", "compute2")
    deployment = deploy(
        backend="mysql", computes=hosts, conductors=2,
        # build recovery on a test's time scale (report_interval is 1 s)
        conf={"conductor": {"build_recovery_interval": 1, "build_orphan_timeout": 5,
                            "build_ack_timeout": 4}},
        compute_conf={h: {"fake_driver": {"spawn_hold_path": str(hold)}} for h in hosts})
    _services_up(deployment, 4)
    api = deployment.api
    # A storm: the first builds are held spawning on the computes, the rest
    # are being created, scheduled and claimed when the signal arrives.
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        first = list(pool.map(lambda i: _boot(api, f"held-{i}"), range(8)))
        wait_for(lambda: sum(deployment.log_full(h).count("held while") for h in hosts) >= 4,
                 30, message="builds held spawning")
        storm = [pool.submit(_boot, api, f"storm-{i}") for i in range(40)]
        wait_for(lambda: sum(f.done() for f in storm) >= 5, 30, message="storm under way")
        exited = _sigterm_all(deployment)
    accepted = [s for s in first + [f.result() for f in storm] if s]
    for name, (code, seconds) in exited.items():
        assert code == 0, f"{name} exited {code}:\n{deployment.log(name)}"
        assert seconds < stop_bounds.UNDER_LOAD, (
            f"{name} took {seconds:.2f} s: systemd would have SIGKILLed it:\n"
            f"{deployment.log(name)}")
    _no_traceback_in_stop(deployment, exited)
    assert accepted
    # The stop failed no build: each is still in BUILD (handed back as it
    # was) or finished (ACTIVE) -- none is ERROR "scheduling failed".
    rows = deployment.query("SELECT vm_state, task_state FROM instances")
    assert {vm for vm, _ in rows} <= {"building", "active"}, collections.Counter(rows)

    hold.unlink()
    for name in exited:
        deployment.restart(name)
    _services_up(deployment, 4)

    def states() -> collections.Counter:
        return collections.Counter(
            (v["status"], v.get("OS-EXT-STS:task_state"),
             UUID.sub("<uuid>", (v.get("fault") or {}).get("message") or "") or None)
            for v in (api.server(s) for s in accepted))

    # Builds the stop handed back are taken over by build recovery.
    wait_for(lambda: set(states()) == {("ACTIVE", None, None)}, 90, interval=0.5,
             message=f"every accepted build ACTIVE (of {len(accepted)}: {dict(states())})")


def test_sighup_reloads_the_log_level_without_stopping(deploy, tmp_path):
    deployment = deploy(backend="mysql", computes=("compute1",))
    api = deployment.procs["api"]
    assert deployment.api.get("/v2.1/servers")[0] == 200
    assert " DEBUG " not in deployment.log_full("api")  # debug = false

    conf = tmp_path / "minova.conf"
    conf.write_text(conf.read_text().replace("debug = false", "debug = true"))
    api.send_signal(signal.SIGHUP)

    def requests_logged_at_debug():
        assert deployment.api.get("/v2.1/servers")[0] == 200  # it keeps serving
        return " DEBUG minova.http_server " in deployment.log_full("api")
    wait_for(requests_logged_at_debug, 20, message="the api's DEBUG lines after SIGHUP")
    log = deployment.log_full("api")
    assert "Caught SIGHUP, reloading the configuration files" in log
    assert "Option DEFAULT.debug changed from [false] to [true]" in log
    assert api.poll() is None
