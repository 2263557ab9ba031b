#!/usr/bin/env python3
"""Fault benchmark: the issue's table re-measured, one boot storm per fault.

For each fault (tests/functional/faults/scenarios.py: none, a conductor
SIGKILLed and restarted after 5 s, both schedulers, a compute left dead, a
compute restarted, RabbitMQ stopped 10 s, MariaDB stopped 10 s, SIGTERM of
every service), on a fresh deployment of 1 api, 2 conductors, 2 schedulers
and 3 fake computes on a RabbitMQ node and a MariaDB server of its own
(never the machine's): N boots at concurrency C, the fault injected once a
third of the POSTs are answered (a burst for a killed process, which must
find work in flight; paced at ``--rate`` boots/s for the broker's and the
database's outages, so that the storm goes on through them), healed, and
then, once every accepted build has left BUILD and is as the tests require
it, or ``--settle`` seconds after the heal:

* what the accepted builds became (ACTIVE / ERROR / BUILD), how many were
  lost (accepted, not in the database), stuck (still BUILD) or wrongly
  failed (ERROR where the issue allows none: tests/functional/faults/outcome.py
  judges, as the fault tests do), and the POSTs' statuses;
* MTTR: from the heal (for the compute left dead: from its death) to the
  last accepted build ACTIVE, from the database's launched_at; ``>`` when
  some never got there;
* the seconds each service took to exit after SIGTERM, idle (at the end of
  the fault-free run) and under load (the SIGTERM fault).

    tools/bench_faults.py                       # 200 boots, C=20, every fault
    tools/bench_faults.py -n 100 -c 10 --fault rabbitmq-stop --fault mariadb-stop

Prints one JSON line per fault as it goes, then the markdown tables.
Measured, never asserted (the assertions are tests/functional/faults).
"""

import argparse
import collections
import json
import pathlib
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from tests.functional.faults import outcome, scenarios  # noqa: E402
from tests.functional.faults.accounting import check_accounting  # noqa: E402
from tests.functional.faults.services import MariaDBServer, RabbitNode  # noqa: E402
from tests.functional.faults.storm import wait_for_fates  # noqa: E402

STOP_WAIT = 60.0  # seconds a SIGTERMed service is given, as in the table


def measure(env: scenarios.FaultEnv, fault: str, n: int, c: int, settle: float,
            rate: float) -> dict:
    """One storm with ``fault``; the figures of the table's row."""
    deployment = env.deployment
    run = scenarios.run_fault(env, fault, n, c, prefix="bench", sigterm_wait=STOP_WAIT,
                              paced_rate=rate)
    accepted = list(run.storm.accepted)
    # Settled: every build out of BUILD and as the tests require it (a
    # restarted compute's reconciliation of its vanished guests included),
    # or the settle time is over.
    fates = wait_for_fates(
        deployment, accepted, run.recovery_from + settle,
        lambda found: all(f.vm_state not in (None, "building")
                          and outcome.problem(run, f) is None for f in found.values()))
    states = collections.Counter(f.vm_state or "lost" for f in fates.values())
    wrong = [f for f in fates.values() if outcome.problem(run, f) is not None]
    active = [f.launched_at for f in fates.values() if f.vm_state == "active"]
    start = run.healed_wall or run.injected_wall
    mttr = None
    if active:
        mttr = max(0.0, (max(active) - start).total_seconds())
    row = {
        "fault": fault, "n": n, "c": c,
        "rate": rate if fault in scenarios.PACED_FAULTS else None,
        "accepted": len(accepted),
        "active": states.get("active", 0), "error": states.get("error", 0),
        "build": states.get("building", 0),
        "other": {k: v for k, v in states.items()
                  if k not in ("active", "error", "building", "lost")},
        "lost": states.get("lost", 0),
        "stuck": states.get("building", 0),
        "wrongly_failed": sum(1 for f in wrong if f.vm_state == "error"),
        # on a restarted compute, ACTIVE though its guest died with the process
        "active_without_guest": sum(1 for f in wrong if f.vm_state == "active"),
        "not_as_required": len(wrong),
        "posts": {str(k): v for k, v in sorted(run.storm.status_counts().items(),
                                                 key=lambda kv: str(kv[0]))},
        "post_max_s": round(max((p.seconds for p in run.storm.posts), default=0.0), 1),
        "mttr_s": None if mttr is None else round(mttr, 1),
        "mttr_complete": not wrong,
        "faults": dict(collections.Counter(f.fault for f in fates.values()
                                           if f.vm_state == "error").most_common(3)),
    }
    if run.stop_seconds:
        row["stop_s"] = {k: None if v is None else round(v, 2)
                         for k, v in run.stop_seconds.items()}
    try:
        check_accounting(deployment.db.engine())
        row["accounting"] = "exact"
    except AssertionError as exc:
        row["accounting"] = "; ".join(getattr(exc, "problems", [str(exc)])[:3])
    return row


def run_one(base: pathlib.Path, rabbit: RabbitNode, mariadb: MariaDBServer, fault: str,
            n: int, c: int, settle: float, rate: float) -> dict:
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=f"{fault}-", dir=base))
    deployment = scenarios.make_deployment(tmp, rabbit, mariadb)
    try:
        deployment.start()
        row = measure(scenarios.FaultEnv(deployment, rabbit, mariadb), fault, n, c, settle,
                      rate)
        if fault == "none":
            row["idle_stop_s"] = {k: None if v is None else round(v, 2) for k, v in
                                  deployment.terminate_all(timeout=STOP_WAIT).items()}
        return row
    finally:
        if not rabbit.app_running:
            rabbit.start_app()
        if not mariadb.running:
            mariadb.start()
        deployment.cleanup()  # SIGKILLs what still runs


def _posts(row: dict) -> str:
    return ", ".join(f"{'no answer' if k == 'None' else k}: {v}"
                     for k, v in row["posts"].items())


def _mttr(row: dict) -> str:
    if row["mttr_s"] is None:
        return "—"
    return f"{row['mttr_s']}" if row["mttr_complete"] else f"> {row['mttr_s']}"


_UUID = re.compile(r"([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _accounting(row: dict) -> str:
    """The verdict, short enough for a table cell (uuids cut to their first 8 digits)."""
    text = _UUID.sub(r"\1…", row["accounting"])
    return text if len(text) <= 140 else text[:140] + " …"


def markdown(rows: list[dict]) -> str:
    lines = ["| fault | accepted | ACTIVE | ERROR | BUILD | lost | stuck | wrongly failed "
             "| ACTIVE, guest gone | POSTs | slowest POST (s) | MTTR (s) | accounting |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['fault']} | {r['accepted']}/{r['n']} | {r['active']} | "
                     f"{r['error']} | {r['build']} | {r['lost']} | {r['stuck']} | "
                     f"{r['wrongly_failed']} | {r['active_without_guest']} | {_posts(r)} | "
                     f"{r['post_max_s']} | {_mttr(r)} | {_accounting(r)} |")
    idle = next((r.get("idle_stop_s") for r in rows if r.get("idle_stop_s")), {})
    load = next((r.get("stop_s") for r in rows if r.get("stop_s")), {})
    if idle or load:
        lines += ["", "| service | SIGTERM → exit, idle (s) | under load (s) |",
                  "|---|---|---|"]
        for name in sorted(set(idle) | set(load)):
            def shown(value):
                return f"not within {STOP_WAIT:.0f}" if value is None else value
            lines.append(f"| {name} | {shown(idle.get(name, '—'))} | "
                         f"{shown(load.get(name, '—'))} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=200, help="boots per storm")
    parser.add_argument("-c", type=int, default=20, help="concurrent clients")
    parser.add_argument("--fault", action="append", choices=list(scenarios.FAULTS),
                        help="a fault to measure (repeatable; default: every one)")
    parser.add_argument("--rate", type=float, default=scenarios.BENCH_RATE,
                        help="boots sent per second at most in the storms of the broker's "
                        "and the database's outages, so that they outlast the outage (the "
                        "others are bursts)")
    parser.add_argument("--settle", type=float, default=90.0,
                        help="seconds after the heal to wait for builds to leave BUILD "
                        "(those still in BUILD then are counted stuck)")
    args = parser.parse_args()
    faults = args.fault or list(scenarios.FAULTS)

    base = pathlib.Path(tempfile.mkdtemp(prefix="minova-bench-faults-"))
    rabbit = RabbitNode(base / "rabbit")
    mariadb = MariaDBServer(base / "mariadb")
    rows = []
    try:
        rabbit.start()
        mariadb.start()
        for fault in faults:
            started = time.monotonic()
            row = run_one(base, rabbit, mariadb, fault, args.n, args.c, args.settle,
                          args.rate)
            row["wall_s"] = round(time.monotonic() - started, 1)
            rows.append(row)
            print(json.dumps(row, default=str), flush=True)
    finally:
        mariadb.stop()
        rabbit.stop()
        shutil.rmtree(base, ignore_errors=True)
    print()
    print(markdown(rows))


if __name__ == "__main__":
    main()
