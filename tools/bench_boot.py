#!/usr/bin/env python3
"""Boot benchmark: N servers at concurrency C through the REST API, then delete them.

Reports boots/s, deletes/s, p50/p95 time to ACTIVE, p50/p95 POST latency,
p50/p95 ``GET /servers/detail`` latency with N servers present, the CPU
seconds every service process spent per boot, and each process's RSS at
idle.

    tools/bench_boot.py --deploy mysql -n 200 -c 10
        starts a multi-process deployment (RabbitMQ + MariaDB, two fake
        computes) with the functional tests' harness and measures it;
    tools/bench_boot.py --endpoint http://127.0.0.1:8774 -n 200 -c 10
        measures a running API (no CPU/RSS figures, time to ACTIVE by polling).

Timing is measured here, never asserted in a test.
"""

import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import signal
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from tests.functional.deployment import Api, Deployment, wait_for  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
COUNTED = True  # the services count messages and statements (minova/counters.py)


def pct(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (a service may fork workers)."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as handle:
                todo.extend(int(child) for child in handle.read().split())
        except FileNotFoundError:
            pass
    return pids


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the service: the process and its workers."""
    total = 0.0
    for member in _tree(pid):
        try:
            fields = open(f"/proc/{member}/stat").read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


def rss_mb(pid: int) -> float:
    """Resident memory of the service, each process counted (workers included)."""
    total = 0.0
    for member in _tree(pid):
        try:
            for line in open(f"/proc/{member}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024.0
        except FileNotFoundError:
            continue
    return total


INFRA = ("beam.smp", "mariadbd", "postgres")


def infra_pids() -> dict[str, list[int]]:
    """The message broker's and databases' processes on this machine, by name."""
    found: dict[str, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                name = open(f"/proc/{entry}/comm").read().strip()
            except OSError:
                continue
            if name in INFRA:
                found.setdefault(name, []).append(int(entry))
    return found


def infra_cpu() -> dict[str, float]:
    totals = {}
    for name, pids in infra_pids().items():
        total = 0.0
        for pid in pids:
            try:
                fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += (int(fields[11]) + int(fields[12])) / CLK_TCK
        totals[name] = total
    return totals


_COUNTERS = re.compile(r"^\S+ \S+ (\d+) INFO minova\.counters .*Counters: (\{.*\})$")


def counters(deployment) -> dict:
    """RPC messages sent and SQL statements run so far, summed over every process.

    Each service logs its counters on SIGUSR2 (minova/counters.py); this
    signals every process of the deployment and reads each one's new line.
    """
    pids = {pid: name for name, proc in deployment.procs.items() if proc.poll() is None
            for pid in _tree(proc.pid)}

    def lines() -> dict:
        found = {}
        for name in set(pids.values()):
            for line in deployment.log_full(name).splitlines():
                match = _COUNTERS.match(line)
                if match:
                    found.setdefault(int(match.group(1)), []).append(json.loads(match.group(2)))
        return found

    before = {pid: len(v) for pid, v in lines().items()}
    for pid in pids:
        os.kill(pid, signal.SIGUSR2)
    found = wait_for(lambda: (lambda f: f if all(len(f.get(p, ())) > before.get(p, 0)
                                                 for p in pids) else None)(lines()),
                     30, message="every process to log its counters")
    total = {"rpc_messages": {}, "sql_statements": {}}
    for pid in pids:
        for kind, values in found[pid][-1].items():
            for key, count in values.items():
                total[kind][key] = total[kind].get(key, 0) + count
    return total


def per_boot(before: dict, after: dict, n: int) -> dict:
    """What the boots cost: messages and statements per boot, by key and in all."""
    result = {}
    for kind in ("rpc_messages", "sql_statements"):
        diff = {k: after[kind].get(k, 0) - before[kind].get(k, 0) for k in after[kind]}
        diff = {k: round(v / n, 2) for k, v in sorted(diff.items()) if v}
        result[f"{kind}_per_boot"] = round(sum(diff.values()), 2)
        result[f"{kind}_per_boot_by_key"] = diff
    return result


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def run(api: Api, n: int, c: int, flavor: str, image: str | None, deployment=None) -> dict:
    procs = deployment.procs if deployment else {}
    result = {"n": n, "c": c}
    if procs:
        result["idle_rss_mb"] = {name: round(rss_mb(p.pid), 1) for name, p in procs.items()}
        counted_before = counters(deployment) if COUNTED else None
        cpu_before = {name: cpu_seconds(p.pid) for name, p in procs.items()}
        infra_before = infra_cpu()

    post_latency = []

    def boot(i):
        server_id, took = timed(lambda: api.create_server(f"bench-{i}", flavor=flavor,
                                                          image=image))
        post_latency.append(took)
        return server_id

    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=c) as pool:
        ids = list(pool.map(boot, range(n)))
    posted = time.perf_counter()

    if deployment:
        def settled():
            rows = deployment.query("SELECT COUNT(*) FROM instances WHERE deleted = 0 AND "
                                    "vm_state IN ('active', 'error')")
            return rows[0][0] == n
        wait_for(settled, 600, interval=0.05, message="all servers ACTIVE or ERROR")
        done = time.perf_counter()
        rows = deployment.query("SELECT vm_state, created_at, launched_at FROM instances "
                                "WHERE deleted = 0")
        to_active = [(r.launched_at - r.created_at).total_seconds() for r in rows
                     if r.vm_state == "active"]
        result["errors"] = sum(1 for r in rows if r.vm_state == "error")
    else:
        seen = {}

        def settled():
            _, body, _ = api.get("/v2.1/servers/detail")
            now = time.perf_counter()
            for s in body["servers"]:
                if s["status"] in ("ACTIVE", "ERROR") and s["id"] not in seen:
                    seen[s["id"]] = (s["status"], now)
            return len(seen) >= n
        wait_for(settled, 600, interval=0.2, message="all servers ACTIVE or ERROR")
        done = time.perf_counter()
        to_active = [when - t0 for status, when in seen.values() if status == "ACTIVE"]
        result["errors"] = sum(1 for status, _ in seen.values() if status == "ERROR")
    if procs:
        cpu_after = {name: cpu_seconds(p.pid) for name, p in procs.items()}
        spent = {name: cpu_after[name] - cpu_before[name] for name in procs}
        result["cpu_ms_per_boot"] = round(1000 * sum(spent.values()) / n, 2)
        result["cpu_ms_per_boot_by_process"] = {k: round(1000 * v / n, 2)
                                                for k, v in spent.items()}
        infra_after = infra_cpu()
        # Not minova's own, but on the same cores: the broker and the databases.
        result["infra_cpu_ms_per_boot"] = {
            k: round(1000 * (infra_after[k] - infra_before.get(k, 0.0)) / n, 2)
            for k in infra_after}
        if COUNTED:
            result.update(per_boot(counted_before, counters(deployment), n))

    result["boots_per_s"] = round(n / (done - t0), 2)
    result["post_p50_ms"] = round(1000 * pct(post_latency, 50), 1)
    result["post_p95_ms"] = round(1000 * pct(post_latency, 95), 1)
    result["to_active_p50_ms"] = round(1000 * pct(to_active, 50), 1)
    result["to_active_p95_ms"] = round(1000 * pct(to_active, 95), 1)
    result["post_phase_s"] = round(posted - t0, 2)

    detail = [timed(lambda: api.get(f"/v2.1/servers/detail?limit={n}"))[1]
              for _ in range(20)]
    result["detail_p50_ms"] = round(1000 * pct(detail, 50), 1)
    result["detail_p95_ms"] = round(1000 * pct(detail, 95), 1)

    t1 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=c) as pool:
        list(pool.map(lambda i: api.delete(f"/v2.1/servers/{i}"), ids))
    if deployment:
        wait_for(lambda: deployment.query(
            "SELECT COUNT(*) FROM instances WHERE deleted = 0")[0][0] == 0, 600,
            interval=0.05, message="all servers deleted")
    else:
        wait_for(lambda: not api.get("/v2.1/servers")[1]["servers"], 600, interval=0.2,
                 message="all servers deleted")
    result["deletes_per_s"] = round(n / (time.perf_counter() - t1), 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--deploy", choices=["mysql", "postgresql", "sqlite"])
    where.add_argument("--endpoint", help="base URL of a running minova-api")
    parser.add_argument("-n", type=int, action="append", help="servers (repeatable)")
    parser.add_argument("-c", type=int, action="append", help="concurrency (repeatable)")
    parser.add_argument("--flavor", default="1")
    parser.add_argument("--image", default=None)
    parser.add_argument("--token", default="admin:admin")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="extra option for the deployed services' minova.conf")
    parser.add_argument("--computes", type=int, default=2, help="fake compute hosts")
    parser.add_argument("--tree", help="run the services from this checkout of minova "
                        "(another commit's worktree; see tools/bench_compare.py)")
    args = parser.parse_args()
    global COUNTED
    if args.tree:
        # The services are separate processes: they import minova from here.
        os.environ["PYTHONPATH"] = os.path.abspath(args.tree)
        # A commit from before minova/counters.py: SIGUSR2 would end its services.
        COUNTED = os.path.exists(os.path.join(args.tree, "minova", "counters.py"))
    sizes, concurrencies = args.n or [200], args.c or [10]

    deployment = None
    if args.deploy:
        tmp = pathlib.Path(tempfile.mkdtemp(prefix="minova-bench-"))
        conf = {"DEFAULT": {"report_interval": "10", "service_down_time": "60",
                            "update_resources_interval": "60"}}
        for item in args.set:
            key, _, value = item.partition("=")
            section, _, name = key.rpartition(".")
            conf.setdefault(section or "DEFAULT", {})[name] = value
        deployment = Deployment(tmp, backend=args.deploy, conf=conf,
                                computes=[f"compute{i + 1}" for i in range(args.computes)])
        deployment.start()
        time.sleep(3)  # let start-up settle before the idle RSS reading
        api = deployment.api
    else:
        url = urllib.parse.urlparse(args.endpoint)
        api = Api(url.port or 80, token=args.token)
    try:
        for n in sizes:
            for c in concurrencies:
                print(json.dumps(run(api, n, c, args.flavor, args.image, deployment)),
                      flush=True)
    finally:
        if deployment:
            deployment.stop()
            deployment.cleanup()


if __name__ == "__main__":
    main()
