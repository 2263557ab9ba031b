"""The faults of the issue's table, each injected in the middle of a storm and healed.

One definition serves the tests (tests/functional/faults/test_*.py, small
storms, asserted) and the benchmark (tools/bench_faults.py, 200 boots,
measured): ``run_fault`` starts a storm, waits until a third of its POSTs
have been answered, injects the fault, holds it, heals it, and waits for
the storm's last answer. What the builds then became is judged by
``outcome.py``.

The outage lengths (5 s for a killed process, 10 s for the broker or the
database) are the issue's: holding a fault for them is the fault, not a
wait for something to happen, hence ``hold`` and not a poll.
"""

import dataclasses
import datetime
import time

from minova.db.rows import utcnow  # naive UTC, as the database's timestamps
from tests.functional.deployment import Deployment, wait_for
from tests.functional.faults.services import MariaDBServer, RabbitNode
from tests.functional.faults.storm import Storm

COMPUTES = ("compute1", "compute2", "compute3")
CONDUCTORS = ("conductor", "conductor2")
SCHEDULERS = ("scheduler", "scheduler2")
VICTIM_COMPUTE = "compute3"

TEST_STORM = 45  # boots of a fault test's storm (the benchmark's: 200)
TEST_CONCURRENCY = 10
# A killed process must find work in flight: its storm is a burst, every
# client sending its next boot as soon as it has an answer. An outage of the
# broker or the database must fall in the middle of the storm: unpaced,
# fake-driver boots are over before a 10 s outage has even begun, so those
# storms are paced (boots sent per second): a test's lasts ~11 s, a
# benchmark's 200 boots ~20 s.
PACED_FAULTS = ("rabbitmq-stop", "mariadb-stop")
TEST_RATE = 4.0
BENCH_RATE = 10.0
PROCESS_OUTAGE = 5.0  # seconds a killed process stays dead before its restart
SERVICE_OUTAGE = 10.0  # seconds the broker or the database stays down
REPORT_INTERVAL = 1
# Well above a killed process's outage plus its start-up on a loaded
# machine: a compute restarted after 5 s must not be taken for dead (its
# builds would be failed or moved), as with the defaults (60 s) it is not.
SERVICE_DOWN_TIME = 15
RPC_RESPONSE_TIMEOUT = 30

# Short heartbeats so that a dead compute is seen dead within seconds, and
# build recovery on the same time scale (its defaults suit report_interval
# 10 s: build_ack_timeout must stay above twice the report interval).
FAULT_CONF = {"DEFAULT": {"report_interval": str(REPORT_INTERVAL),
                          "service_down_time": str(SERVICE_DOWN_TIME),
                          "rpc_response_timeout": str(RPC_RESPONSE_TIMEOUT)},
              "conductor": {"build_recovery_interval": "1", "build_orphan_timeout": "5",
                            "build_ack_timeout": "3", "select_destinations_timeout": "5"}}


@dataclasses.dataclass
class FaultEnv:
    """A deployment on the fault tests' own broker and database, and those two."""

    deployment: Deployment
    rabbit: RabbitNode
    mariadb: MariaDBServer


def make_deployment(tmp_path, rabbit: RabbitNode, mariadb: MariaDBServer,
                    conf: dict | None = None) -> Deployment:
    """The issue's deployment: 1 api, 2 conductors, 2 schedulers, 3 fake computes
    (not started: ``.start()`` it)."""
    merged = {section: dict(values) for section, values in FAULT_CONF.items()}
    for section, values in (conf or {}).items():
        merged.setdefault(section, {}).update(values)
    return Deployment(tmp_path, backend="mysql", computes=COMPUTES, conf=merged,
                      conductors=len(CONDUCTORS), schedulers=len(SCHEDULERS),
                      broker=rabbit, mysql_url=mariadb.url)


@dataclasses.dataclass
class FaultRun:
    """One storm with one fault: when it was injected and healed, and on what."""

    fault: str
    storm: Storm
    injected_at: float = 0.0  # time.monotonic()
    injected_wall: datetime.datetime | None = None
    healed_at: float | None = None  # None: never healed (a compute left dead)
    healed_wall: datetime.datetime | None = None
    victims: tuple = ()
    # builds in BUILD on a killed compute when it died (the dead-compute exception)
    building_on_victim: set = dataclasses.field(default_factory=set)
    stop_seconds: dict = dataclasses.field(default_factory=dict)  # SIGTERM: name -> s
    sigterm_wait: float = 60.0  # how long a SIGTERMed process is given before SIGKILL
    log_offsets: dict = dataclasses.field(default_factory=dict)  # name -> bytes at SIGTERM

    def injected(self, *victims: str) -> None:
        self.injected_at, self.injected_wall = time.monotonic(), utcnow()
        self.victims = victims

    def healed(self) -> None:
        self.healed_at, self.healed_wall = time.monotonic(), utcnow()

    @property
    def recovery_from(self) -> float:
        """What the time to recover counts from: the heal, or for a fault that is
        never healed, the fault itself."""
        return self.healed_at if self.healed_at is not None else self.injected_at


def hold(seconds: float) -> None:
    """Keep the fault in place for the issue's outage length."""
    time.sleep(seconds)


def _kill_and_restart(names: tuple) -> callable:
    def fault(env: FaultEnv, run: FaultRun) -> None:
        for name in names:
            env.deployment.kill(name)
        run.injected(*names)
        hold(PROCESS_OUTAGE)
        for name in names:
            env.deployment.restart(name)
        run.healed()
    return fault


def compute_killed_left_dead(env: FaultEnv, run: FaultRun) -> None:
    env.deployment.kill(VICTIM_COMPUTE)
    run.injected(VICTIM_COMPUTE)
    rows = env.deployment.query(
        "SELECT uuid FROM instances WHERE deleted = 0 AND vm_state = 'building' "
        "AND host = :host", host=VICTIM_COMPUTE)
    run.building_on_victim = {r.uuid for r in rows}


def broker_outage(env: FaultEnv, run: FaultRun) -> None:
    env.rabbit.stop_app()
    run.injected("rabbitmq")
    hold(SERVICE_OUTAGE)
    env.rabbit.start_app()
    run.healed()


def database_outage(env: FaultEnv, run: FaultRun) -> None:
    env.mariadb.stop()
    run.injected("mariadb")
    hold(SERVICE_OUTAGE)
    env.mariadb.start()
    run.healed()


def sigterm_everything(env: FaultEnv, run: FaultRun) -> None:
    """``systemctl stop`` of every unit at once, then start them again."""
    deployment = env.deployment
    names = list(deployment.procs)
    run.log_offsets = {name: (deployment.tmp_path / f"{name}.log").stat().st_size
                       for name in names}
    run.injected(*names)
    run.stop_seconds = deployment.terminate_all(names, timeout=run.sigterm_wait)
    for name in names:
        deployment.restart(name)
    run.healed()
    wait_for(deployment._api_answers, 60, message="minova-api to answer again")


FAULTS = {
    "none": None,
    "conductor-sigkill": _kill_and_restart(CONDUCTORS[:1]),
    "schedulers-sigkill": _kill_and_restart(SCHEDULERS),
    "compute-sigkill-dead": compute_killed_left_dead,
    "compute-sigkill-restart": _kill_and_restart((VICTIM_COMPUTE,)),
    "rabbitmq-stop": broker_outage,
    "mariadb-stop": database_outage,
    "sigterm-all": sigterm_everything,
}


def run_fault(env: FaultEnv, fault: str, count: int, concurrency: int,
              prefix: str = "storm", sigterm_wait: float = 60.0,
              paced_rate: float = TEST_RATE) -> FaultRun:
    """A storm of ``count`` boots at ``concurrency`` with ``fault`` injected once a third
    of the POSTs are answered; returns when the fault is healed and every POST answered.
    ``sigterm_wait``: how long a SIGTERMed service may take to exit (the issue's table
    waited 60 s) before it is SIGKILLed and recorded as not having exited.
    ``paced_rate``: boots per second of the storm of a PACED_FAULTS fault."""
    rate = paced_rate if fault in PACED_FAULTS else None
    storm = Storm(env.deployment.api, count, concurrency, prefix=prefix, rate=rate)
    run = FaultRun(fault, storm, sigterm_wait=sigterm_wait)
    storm.start()
    inject = FAULTS[fault]
    if inject is None:
        storm.join()
        run.injected()
        run.healed()
        return run
    storm.wait_answered(max(1, count // 3))
    inject(env, run)
    # A POST that hangs ends at the client's timeout (60 s), after the heal.
    storm.join(timeout=300)
    return run
