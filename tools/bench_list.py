#!/usr/bin/env python3
"""The server list with N servers present, for one or more commits, in one sitting.

``tools/bench_boot.py`` measures ``GET /servers/detail`` once, after its
boots, against a deployment of its own; comparing two commits that way
costs two deployments and two boot phases per round, and the list's
figure drifts with whatever else the machine does in between. This boots
N servers once (fake computes, MariaDB by default), then, round after
round, restarts minova-api and minova-conductor from each commit's tree in
turn (the schema must be the same) and times the list requests below,
so every commit reads the same rows in the same minutes:

* ``detail 2.1 admin``: what bench_boot's ``detail_p50_ms`` measures
  (``GET /v2.1/servers/detail?limit=N``, no microversion, admin);
* ``detail latest admin`` and ``detail latest member`` (the newest
  microversion: embedded flavors, tags, every late field; a member sees no
  extended attributes);
* ``index 2.1 admin`` (``GET /v2.1/servers``).

    tools/bench_list.py main HEAD -n 1000 --rounds 3
    tools/bench_list.py HEAD -n 1000 --profile /tmp/prof [--profile-case CASE]
        (py-spy, if installed next to this Python, records the api's and
        the conductor's stacks over one case's requests in the first round,
        as collapsed stacks: one file per process and commit)

Timing is measured here, never asserted in a test.
"""

import argparse
import concurrent.futures
import functools
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_boot import cpu_seconds, pct, timed  # noqa: E402
from bench_compare import worktree  # noqa: E402

from tests.functional.deployment import Deployment, wait_for  # noqa: E402

CASES = (
    ("detail 2.1 admin", "/v2.1/servers/detail?limit={n}", "admin:admin", None),
    ("detail latest admin", "/v2.1/servers/detail?limit={n}", "admin:admin", "latest"),
    ("detail latest member", "/v2.1/servers/detail?limit={n}", "demo:admin", "latest"),
    ("index 2.1 admin", "/v2.1/servers?limit={n}", "admin:admin", None),
)
RESTARTED = ("conductor", "api")


def boot(deployment: Deployment, n: int, concurrency: int) -> None:
    """N servers, ACTIVE (or ERROR), as the boot benchmark leaves them."""
    api = deployment.api
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(lambda i: api.create_server(f"bench-{i}"), range(n)))
    wait_for(lambda: deployment.query(
        "SELECT COUNT(*) FROM instances WHERE deleted = 0 AND vm_state IN "
        "('active', 'error')")[0][0] == n, 600, interval=0.2,
        message="all servers ACTIVE or ERROR")


def switch(deployment: Deployment, tree: pathlib.Path) -> None:
    """minova-api and minova-conductor run from ``tree`` from now on."""
    deployment.terminate_all(list(RESTARTED))
    os.environ["PYTHONPATH"] = str(tree)
    for name in RESTARTED:
        deployment.restart(name)
    wait_for(deployment._api_answers, 60, message="minova-api to answer")


def measure(deployment: Deployment, n: int, requests: int) -> dict:
    """p50/p95 ms, the api's and the conductor's CPU ms per request (user +
    system, which other work on the machine disturbs far less than wall
    time) and the body's bytes of each case (after two warm-up requests)."""
    figures = {}
    for name, path, token, version in CASES:
        api = deployment.api.as_user(token)
        headers = {"OpenStack-API-Version": f"compute {version}"} if version else {}
        url = path.format(n=n)
        status, body, _ = api.get(url, headers=headers)
        assert status == 200 and len(body["servers"]) == n, (status, str(body)[:300])
        api.get(url, headers=headers)
        cpu_before = {proc: cpu_seconds(deployment.procs[proc].pid) for proc in RESTARTED}
        took = [timed(functools.partial(api.get, url, headers=headers))[1]
                for _ in range(requests)]
        cpu = {proc: 1000 * (cpu_seconds(deployment.procs[proc].pid) - cpu_before[proc])
               / requests for proc in RESTARTED}
        figures[name] = {"p50": round(1000 * pct(took, 50), 1),
                         "p95": round(1000 * pct(took, 95), 1),
                         "cpu_api": round(cpu["api"], 1),
                         "cpu_conductor": round(cpu["conductor"], 1),
                         "bytes": len(json.dumps(body))}
    return figures


def profile(deployment: Deployment, n: int, requests: int, out: pathlib.Path,
            label: str, case: str) -> None:
    """py-spy the api and the conductor over ``requests`` requests of ``case``."""
    spy = shutil.which("py-spy", path=os.path.dirname(sys.executable))
    if spy is None:
        print("py-spy is not installed next to this Python; no profile", file=sys.stderr)
        return
    out.mkdir(parents=True, exist_ok=True)
    recorders = [subprocess.Popen(
        [spy, "record", "--pid", str(deployment.procs[name].pid), "--rate", "250",
         "--format", "raw", "--output", str(out / f"{label}-{name}.txt"), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for name in RESTARTED]
    time.sleep(1)
    [(path, token, version)] = [spec for name, *spec in CASES if name == case]
    api = deployment.api.as_user(token)
    headers = {"OpenStack-API-Version": f"compute {version}"} if version else {}
    for _ in range(requests):
        api.get(path.format(n=n), headers=headers)
    for recorder in recorders:
        recorder.send_signal(2)
        recorder.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revs", nargs="+", help="commits to measure, in turn")
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("-c", type=int, default=10, help="concurrent boots")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per case")
    parser.add_argument("--deploy", default="mysql", choices=["mysql", "postgresql", "sqlite"])
    parser.add_argument("--profile", type=pathlib.Path, help="write py-spy stacks here")
    parser.add_argument("--profile-case", default=CASES[0][0],
                        choices=[case[0] for case in CASES])
    args = parser.parse_args()
    root = pathlib.Path(tempfile.mkdtemp(prefix="minova-bench-list-"))
    trees = {rev: worktree(rev, root) for rev in args.revs}
    os.environ["PYTHONPATH"] = str(trees[args.revs[0]])
    conf = {"DEFAULT": {"report_interval": "10", "service_down_time": "60",
                        "update_resources_interval": "60"}}
    deployment = Deployment(root / "deployment", backend=args.deploy, conf=conf)
    (root / "deployment").mkdir()
    results: dict[str, list[dict]] = {rev: [] for rev in args.revs}
    try:
        deployment.start()
        boot(deployment, args.n, args.c)
        for round_no in range(args.rounds):
            for rev, tree in trees.items():
                switch(deployment, tree)
                figures = measure(deployment, args.n, args.requests)
                results[rev].append(figures)
                print(json.dumps({"round": round_no + 1, "rev": rev, **figures}), flush=True)
                if args.profile and round_no == 0:
                    profile(deployment, args.n, args.requests, args.profile,
                            rev.replace("/", "_"), args.profile_case)
    finally:
        deployment.stop()
        deployment.cleanup()
        for tree in trees.values():
            subprocess.run(["git", "-C", str(HERE.parent), "worktree", "remove", "--force",
                            str(tree)], check=False)
    first = args.revs[0]
    print("median of rounds: p50 / p95 ms (p50 ratio); CPU ms per request, api + conductor")
    print(f"{'case':24}" + "".join(f"{rev:>40}" for rev in args.revs))
    for name, *_ in CASES:
        cells = []
        for rev in args.revs:
            def median(key, of=rev, case=name):
                return statistics.median(r[case][key] for r in results[of])
            cells.append(f"{median('p50'):6.1f} / {median('p95'):6.1f} "
                         f"({median('p50') / median('p50', first):4.2f}); "
                         f"{median('cpu_api'):5.1f} + {median('cpu_conductor'):5.1f}")
        print(f"{name:24}" + "".join(f"{cell:>40}" for cell in cells))


if __name__ == "__main__":
    main()
