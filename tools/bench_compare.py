#!/usr/bin/env python3
"""Two commits' boot benchmarks side by side, in one sitting.

A machine shared with other work is noisy: figures taken an hour apart
differ by more than most changes do. This runs ``tools/bench_boot.py``
against each commit in turn, round after round (A, B, A, B, ...), each
from its own git worktree, and prints every round and the median ratio B/A
per figure: the ratio measured in one sitting is the number that holds.

    tools/bench_compare.py 74da161 HEAD -n 300 -c 10 --rounds 3

The benchmark script itself is always this checkout's, so both commits
are measured the same way (commits older than the counters it reads show
no message or statement figures).
"""

import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
FIGURES = ("boots_per_s", "cpu_ms_per_boot", "rpc_messages_per_boot", "sql_statements_per_boot",
           "post_p50_ms", "to_active_p50_ms", "detail_p50_ms")


def worktree(rev: str, root: pathlib.Path) -> pathlib.Path:
    path = root / rev.replace("/", "_")
    subprocess.run(["git", "-C", str(HERE.parent), "worktree", "add", "-q", "--detach",
                    str(path), rev], check=True)
    return path


def bench(tree: pathlib.Path, args) -> dict:
    cmd = [sys.executable, str(HERE / "bench_boot.py"), "--deploy", args.deploy, "--tree",
           str(tree), "-n", str(args.n), "-c", str(args.c), "--computes", str(args.computes)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("-c", type=int, default=10)
    parser.add_argument("--computes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--deploy", default="mysql", choices=["mysql", "postgresql", "sqlite"])
    args = parser.parse_args()
    root = pathlib.Path(tempfile.mkdtemp(prefix="minova-compare-"))
    trees = {args.a: worktree(args.a, root), args.b: worktree(args.b, root)}
    results: dict[str, list[dict]] = {args.a: [], args.b: []}
    try:
        for round_no in range(args.rounds):
            for rev, tree in trees.items():
                result = bench(tree, args)
                results[rev].append(result)
                print(json.dumps({"round": round_no + 1, "rev": rev,
                                  **{k: result.get(k) for k in FIGURES}}), flush=True)
    finally:
        for tree in trees.values():
            subprocess.run(["git", "-C", str(HERE.parent), "worktree", "remove", "--force",
                            str(tree)], check=False)
    print(f"{'figure':28} {args.a:>12} {args.b:>12} {'B/A':>7}")
    for key in FIGURES:
        a = [r[key] for r in results[args.a] if r.get(key) is not None]
        b = [r[key] for r in results[args.b] if r.get(key) is not None]
        if a and b:
            ma, mb = statistics.median(a), statistics.median(b)
            ratio = f"{mb / ma:7.2f}" if ma else "      -"
            print(f"{key:28} {ma:12.2f} {mb:12.2f} {ratio}")


if __name__ == "__main__":
    main()
