#!/usr/bin/env python3
"""Scheduler benchmark: select_destinations and host-state refreshes at N hosts.

An in-process SchedulerManager with the default filters and weighers asks
a stand-in conductor for host states. The stand-in runs the real
conductor endpoint (ConductorManager.get_host_states, so the real queries)
against a real SQLite database holding N compute nodes and their services,
and passes the answer through JSON both ways, as the message bus would.
Between two requests the instance just placed is "claimed" (usage and
generation of its node bumped in the database, outside the timing), so
every refresh has a change to bring back, as in a busy cloud.

Reported per N: select_destinations p50/p95 and decisions/s (refresh
included), and the filter and weigher pipeline's part of it; the refresh
alone, full and incremental with nothing changed and with 1% of the nodes
changed (conductor + JSON + merge); and the conductor's part of each; the
size of a decision as the conductor stores it (JSON). JSON lines, then a
markdown table.

    tools/bench_scheduler.py                    # N = 100, 1000, 10000
    tools/bench_scheduler.py -n 1000 -m 500
    tools/bench_scheduler.py -n 10000 --cpu-time   # on a busy machine

Timing is measured here, never asserted in a test.
"""

import argparse
import datetime
import json
import logging
import pathlib
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

import minova.conf  # noqa: E402
from minova import context  # noqa: E402
from minova.conductor.manager import ConductorManager  # noqa: E402
from minova.db import engine, migration, models  # noqa: E402
from minova.db.rows import utcnow  # noqa: E402
from minova.objects import request_spec  # noqa: E402
from minova.scheduler.manager import SchedulerManager  # noqa: E402

CONF = minova.conf.CONF
# What every timing reads: wall clock, or with --cpu-time this process's CPU
# time, which other work on a shared machine disturbs far less.
clock = time.perf_counter

ZONES = ("az1", "az2", "az3", "az4")
# (vcpus, memory GiB, disk GB): a mix of small, medium and big hosts
SHAPES = ((8, 16, 200), (16, 64, 500), (32, 128, 1000), (48, 192, 1000), (64, 256, 2000),
          (96, 512, 2000), (128, 768, 4000), (128, 1024, 4000))
# What libvirt computes report about themselves: most hosts x86_64 KVM, a
# few aarch64; a few CPU models; a few QEMU versions (Nova's integer form).
X86_GUESTS = [[arch, hv, "hvm"] for arch in ("i686", "x86_64") for hv in ("qemu", "kvm")]
ARM_GUESTS = [["aarch64", hv, "hvm"] for hv in ("qemu", "kvm")]
CPUS = (("x86_64", "Intel", "Broadwell"), ("x86_64", "Intel", "Cascadelake-Server"),
        ("x86_64", "AMD", "EPYC-Rome"), ("x86_64", "AMD", "EPYC-Milan"),
        ("aarch64", "ARM", "Neoverse-N1"))
QEMU_VERSIONS = (6002000, 7002000, 8002002)
FLAVORS = ((1, 512, 1), (1, 2048, 20), (2, 4096, 40), (4, 8192, 80), (8, 16384, 160),
           (16, 65536, 320))


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def populate(db_engine, n: int, rng: random.Random) -> None:
    """N computes: varied shapes, ratios, reservations, zones, usage, CPUs and QEMU
    versions (a fifth aarch64); a few down or disabled, 1% with a failed build."""
    now = utcnow()
    long_ago = now - datetime.timedelta(hours=1)
    # Its own generator, so the other values are those of earlier versions.
    kinds = random.Random(n)
    services, nodes = [], []
    for i in range(1, n + 1):
        host = f"compute-{i:05d}"
        roll = rng.random()
        services.append({
            "id": i, "uuid": f"svc-{i:08d}", "host": host, "binary": "minova-compute",
            "topic": "compute", "report_count": 1, "disabled": roll < 0.02,
            "disabled_reason": "maintenance" if roll < 0.02 else None,
            "forced_down": False, "last_seen_up": long_ago if 0.02 <= roll < 0.03 else now,
            "created_at": now, "updated_at": now})
        vcpus, mem_gib, disk = rng.choice(SHAPES)
        cpu_ratio = rng.choice((1.0, 2.0, 4.0, 16.0))
        ram_ratio = rng.choice((1.0, 1.0, 1.5))
        reserved_cpus = rng.choice((0, 0, 1, 2))
        reserved_mb = rng.choice((0, 512, 2048, 4096))
        memory_mb = mem_gib * 1024
        fill = rng.random() * 0.8  # already running something
        arch, vendor, model = kinds.choice(CPUS)
        vcpus_used = int((vcpus - reserved_cpus) * cpu_ratio * fill)
        mem_used = int((memory_mb - reserved_mb) * ram_ratio * fill)
        nodes.append({
            "id": i, "uuid": f"node-{i:08d}", "service_id": i, "host": host,
            "hypervisor_hostname": host, "hypervisor_type": "QEMU",
            "hypervisor_version": kinds.choice(QEMU_VERSIONS),
            "cpu_info": json.dumps({"arch": arch, "model": model, "vendor": vendor}),
            "supported_instances": X86_GUESTS if arch == "x86_64" else ARM_GUESTS,
            "failed_builds": 1 if kinds.random() < 0.01 else 0,
            "host_ip": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}",
            "availability_zone": ZONES[i % len(ZONES)], "vcpus": vcpus, "memory_mb": memory_mb,
            "local_gb": disk, "cpu_allocation_ratio": cpu_ratio, "ram_allocation_ratio": ram_ratio,
            "disk_allocation_ratio": 1.0, "reserved_host_memory_mb": reserved_mb,
            "reserved_host_disk_mb": rng.choice((0, 1024, 10240)),
            "reserved_host_cpus": reserved_cpus, "vcpus_used": vcpus_used,
            "memory_mb_used": mem_used, "local_gb_used": int(disk * fill * 0.5),
            "running_vms": max(1, vcpus_used // 2) if fill else 0, "generation": 1,
            "created_at": now,
            # last claim or release somewhere in the past hour
            "updated_at": now - datetime.timedelta(seconds=rng.uniform(10, 3600))})
    with db_engine.begin() as conn:
        conn.execute(sa.insert(models.services), services)
        conn.execute(sa.insert(models.compute_nodes), nodes)


def touch(db_engine, node_ids, vcpus=1, memory_mb=512, disk_gb=1) -> None:
    """What a claim does to a node: usage up, generation bumped, updated_at now."""
    n = models.compute_nodes.c
    with db_engine.begin() as conn:
        conn.execute(sa.update(models.compute_nodes).where(n.id.in_(list(node_ids))).values(
            vcpus_used=n.vcpus_used + vcpus, memory_mb_used=n.memory_mb_used + memory_mb,
            local_gb_used=n.local_gb_used + disk_gb, running_vms=n.running_vms + 1,
            generation=n.generation + 1, updated_at=utcnow()))


class BenchConductor:
    """The real conductor endpoint, with the bus's JSON encoding both ways."""

    def __init__(self) -> None:
        self.manager = ConductorManager("bench-conductor")
        self.conductor_s: list[float] = []
        self.wire_bytes: list[int] = []

    def get_host_states(self, ctxt, since_generations=None) -> dict:
        since = json.loads(json.dumps(since_generations))
        start = clock()
        answer = self.manager.get_host_states(ctxt, since_generations=since)
        self.conductor_s.append(clock() - start)
        text = json.dumps(answer)
        self.wire_bytes.append(len(text))
        return json.loads(text)


def refresh(scheduler: SchedulerManager, ctxt) -> int:
    with scheduler.host_manager.host_states(ctxt) as hosts:
        return len(hosts)


def time_refresh(scheduler, conductor, ctxt, repeat, before=None):
    """(total ms, conductor ms, answer bytes) medians of ``repeat`` refreshes."""
    totals, conductor_ms, sizes = [], [], []
    for _ in range(repeat):
        if before is not None:
            before()
        conductor.conductor_s.clear()
        conductor.wire_bytes.clear()
        start = clock()
        refresh(scheduler, ctxt)
        totals.append((clock() - start) * 1000)
        conductor_ms.append(sum(conductor.conductor_s) * 1000)
        sizes.append(sum(conductor.wire_bytes))
    return statistics.median(totals), statistics.median(conductor_ms), int(statistics.median(sizes))


def bench(n: int, m: int, repeat: int, seed: int) -> dict:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        db_engine = engine.create_engine(f"sqlite:///{tmp}/bench.sqlite")
        migration.db_sync(db_engine)
        engine.set_engine(db_engine)
        try:
            populate(db_engine, n, rng)
            ctxt = context.get_admin_context()
            conductor = BenchConductor()
            scheduler = SchedulerManager("bench-scheduler", conductor_api=conductor)
            manager = scheduler.host_manager
            refresh(scheduler, ctxt)  # warm up: imports, statement caches

            # Full refresh: a scheduler that holds nothing.
            def forget():
                manager._states = {}
            full = time_refresh(scheduler, conductor, ctxt, repeat, forget)
            refresh(scheduler, ctxt)
            nothing = time_refresh(scheduler, conductor, ctxt, repeat)
            ids = list(range(1, n + 1))
            changed = max(1, n // 100)
            one_pct = time_refresh(scheduler, conductor, ctxt, repeat,
                                   lambda: touch(db_engine, rng.sample(ids, changed)))

            # select_destinations, one instance per request, claimed afterwards.
            latencies, pipeline_ms, decision_bytes = [], [], []
            place = scheduler.pipeline.place

            def timed_place(*args, **kwargs):
                start = clock()
                try:
                    return place(*args, **kwargs)
                finally:
                    pipeline_ms.append((clock() - start) * 1000)

            scheduler.pipeline.place = timed_place
            full_before = manager.full_refreshes
            busy = 0.0
            for i in range(m):
                vcpus, memory_mb, root_gb = rng.choice(FLAVORS)
                flavor = {"flavorid": f"f{vcpus}", "name": f"f{vcpus}", "vcpus": vcpus,
                          "memory_mb": memory_mb, "root_gb": root_gb, "ephemeral_gb": 0,
                          "swap": 0, "rxtx_factor": 1.0, "extra_specs": {}}
                zone = rng.choice((None, None, *ZONES))
                spec = request_spec.build(instance_uuids=[f"inst-{i}"], project_id="p",
                                          user_id="u", flavor=flavor, image=None,
                                          availability_zone=zone)
                start = clock()
                answer = scheduler.select_destinations(ctxt, spec, [f"inst-{i}"])
                elapsed = clock() - start
                latencies.append(elapsed * 1000)
                busy += elapsed
                decision_bytes.append(len(json.dumps(answer["decisions"][0])))
                winner = answer["selections"][0][0]["compute_node_id"]
                touch(db_engine, [winner], vcpus, memory_mb, root_gb)
            return {
                "hosts": n, "requests": m,
                "select_p50_ms": round(pct(latencies, 50), 3),
                "select_p95_ms": round(pct(latencies, 95), 3),
                "decisions_per_s": round(m / busy, 1),
                "pipeline_p50_ms": round(pct(pipeline_ms, 50), 3),
                "pipeline_p95_ms": round(pct(pipeline_ms, 95), 3),
                "decision_bytes_p50": pct(decision_bytes, 50),
                "decision_bytes_max": max(decision_bytes),
                "full_refresh_ms": round(full[0], 2),
                "full_refresh_conductor_ms": round(full[1], 2),
                "full_refresh_bytes": full[2],
                "incr_nothing_ms": round(nothing[0], 3),
                "incr_nothing_conductor_ms": round(nothing[1], 3),
                "incr_nothing_bytes": nothing[2],
                "incr_1pct_ms": round(one_pct[0], 2),
                "incr_1pct_conductor_ms": round(one_pct[1], 2),
                "incr_1pct_bytes": one_pct[2],
                "full_refreshes_during_selects": manager.full_refreshes - full_before,
            }
        finally:
            engine.set_engine(None)


def profile(n: int, m: int, seed: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    bench(n, m, 3, seed)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, action="append",
                        help="number of hosts (repeatable; default 100, 1000, 10000)")
    parser.add_argument("-m", type=int, default=300, help="select_destinations calls per N")
    parser.add_argument("--repeat", type=int, default=15, help="refreshes timed per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cpu-time", action="store_true",
                        help="time in this process's CPU time instead of wall clock")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile one N (the first -n) instead of reporting")
    args = parser.parse_args()
    CONF([], project="minova")
    if args.cpu_time:
        global clock
        clock = time.process_time
    # The pipeline logs a line per filter per instance; that is not what is measured.
    logging.basicConfig(level=logging.WARNING)
    for name in ("minova", "minova.scheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if args.profile:
        profile((args.n or [1000])[0], args.m, args.seed)
        return
    results = []
    for n in args.n or [100, 1000, 10000]:
        result = bench(n, args.m, args.repeat, args.seed)
        print(json.dumps(result), flush=True)
        results.append(result)
    print()
    print("| hosts | select p50 / p95 ms | decisions/s | of which pipeline p50 / p95 ms "
          "| full refresh ms (conductor) "
          "| incremental, nothing changed ms (conductor) | incremental, 1% changed ms "
          "(conductor) | answer bytes full / nothing / 1% | decision bytes p50 / max |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['hosts']:,} | {r['select_p50_ms']:.2f} / {r['select_p95_ms']:.2f} "
              f"| {r['decisions_per_s']:,.0f} "
              f"| {r['pipeline_p50_ms']:.2f} / {r['pipeline_p95_ms']:.2f} "
              f"| {r['full_refresh_ms']:.1f} ({r['full_refresh_conductor_ms']:.1f}) "
              f"| {r['incr_nothing_ms']:.2f} ({r['incr_nothing_conductor_ms']:.2f}) "
              f"| {r['incr_1pct_ms']:.2f} ({r['incr_1pct_conductor_ms']:.2f}) "
              f"| {r['full_refresh_bytes']:,} / {r['incr_nothing_bytes']:,} "
              f"/ {r['incr_1pct_bytes']:,} "
              f"| {r['decision_bytes_p50']:,} / {r['decision_bytes_max']:,} |")


if __name__ == "__main__":
    main()
