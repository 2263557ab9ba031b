"""Run Tempest's compute API tests against a real Keystone and minova.

Called by tools/run-tempest.sh (which makes the virtualenvs), with minova's
interpreter and the checkout on PYTHONPATH. Brings the cloud up
(tools/tempest/cloud.py), runs ``tempest run`` once per microversion
setting, each in its own workspace with its own tempest.conf
(tools/tempest/tempest_conf.py), judges each run against
tools/tempest/expected-failures.txt (tools/tempest/results.py, with
Tempest's interpreter) and tears everything down on every way out,
SIGTERM, SIGINT and SIGHUP included. Exits non-zero when any run had a
failure that is not expected.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import tempest_conf
from cloud import Cloud

HERE = Path(__file__).resolve().parent
REGEX = r"^tempest\.api\.compute\."


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def run_tempest(cloud: Cloud, tempest_bin: Path, workdir: Path, label: str,
                max_microversion: str | None, regex: str, concurrency: int) -> int:
    """One ``tempest run`` in ``workdir/label``; results.py's exit code."""
    workspace = workdir / label
    (workspace / "etc").mkdir(parents=True)
    conf = workspace / "etc" / "tempest.conf"
    tempest_conf.write(conf, cloud, workspace, max_microversion)
    print(f"\n== tempest {label}: max_microversion = {max_microversion or '(unset)'}",
          flush=True)
    started = time.monotonic()
    # Its exit code only says whether something failed; results.py judges.
    with open(workspace / "console.log", "w") as console:
        subprocess.run([str(tempest_bin / "tempest"), "run", "--config-file", str(conf),
                        "--regex", regex, "--concurrency", str(concurrency)],
                       cwd=workspace, stdout=console, stderr=subprocess.STDOUT)
    print(f"== tempest {label}: {time.monotonic() - started:.0f} s "
          f"(its output: {workspace / 'console.log'})", flush=True)
    with open(workspace / "run.subunit", "wb") as stream:
        subprocess.run([str(tempest_bin / "stestr"), "last", "--subunit"], cwd=workspace,
                       stdout=stream, check=True)
    return subprocess.run([
        str(tempest_bin / "python"), str(HERE / "results.py"), str(workspace / "run.subunit"),
        str(HERE / "expected-failures.txt"), "--label", f"tempest-{label}",
        "--json", str(workspace / "results.json")]).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venvs", required=True, type=Path,
                        help="where tempest-venv and keystone-venv are")
    parser.add_argument("--workdir", required=True, type=Path,
                        help="emptied, then each run's files and the services' logs")
    parser.add_argument("--regex", default=REGEX)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--runs", default="latest,default",
                        help="comma-separated: latest (max_microversion = latest), "
                        "default (min/max_microversion unset)")
    args = parser.parse_args()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)

    workdir = args.workdir
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    tempest_bin = args.venvs / "tempest-venv" / "bin"
    cloud = Cloud(workdir / "cloud", str(args.venvs / "keystone-venv" / "bin" / "python"))
    failed, labels = [], []
    started = time.monotonic()
    try:
        cloud.start()
        print(f"== cloud up in {time.monotonic() - started:.0f} s: Keystone "
              f"{cloud.keystone.url}, compute {cloud.compute_url}, computes "
              f"{', '.join(cloud.minova.computes)}", flush=True)
        microversions = {"latest": "latest", "default": None}
        for label in args.runs.split(","):
            labels.append(label)
            if run_tempest(cloud, tempest_bin, workdir, label, microversions[label],
                           args.regex, args.concurrency):
                failed.append(label)
            cloud.minova.check_alive()
    finally:
        cloud.stop()
        print(f"== tempest: {time.monotonic() - started:.0f} s in all; logs under {workdir}",
              flush=True)
    if failed:
        print(f"tempest: unexpected failures in run(s) {', '.join(failed)}", file=sys.stderr)
    summary(workdir, labels)
    return 1 if failed else 0


def summary(workdir: Path, labels: list[str]) -> None:
    """The runs' counts added up, as the last line (the plain form CI reads)."""
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    for label in labels:
        path = workdir / label / "results.json"
        if not path.exists():
            totals["failed"] += 1  # a run that did not get as far as a result
            continue
        with open(path) as handle:
            results = json.load(handle)
        totals["passed"] += results["counts"]["success"]
        totals["failed"] += len(results["unexpected"])
        totals["skipped"] += results["counts"]["skip"]
    print(f"tempest: {totals['passed']} passed, {totals['failed']} failed, "
          f"{totals['skipped']} skipped", flush=True)


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
