"""What the issue requires of a storm once its fault is healed, as checks.

* Every accepted build is ACTIVE within 30 s of the heal.
* Except on a compute that stays dead: builds that were in BUILD on it when
  it died may end ERROR with a fault whose details (an admin's to read, not
  its message) name that host (the rest, cast to it
  afterwards or still to be placed, go elsewhere), and everything must be
  settled within ``service_down_time`` + 10 s of its death.
* A compute killed and restarted lost its (fake) guests with the process:
  its servers that were ACTIVE before the restart must not stay ACTIVE, but
  become SHUTOFF or ERROR with a fault (the start-up reconciliation). After
  SIGTERM of every service, those may be ACTIVE or reconciled: that test is
  about stopping without losing builds.
* A refused POST is a 503 ``serviceUnavailable`` with ``Retry-After``, never
  a 500, and no POST hangs for the RPC timeout.
* The books balance (accounting.py) and nothing is in BUILD.

``problem`` is the single judge of one build, shared with the benchmark
(tools/bench_faults.py), which counts what the tests assert.
"""

from tests.functional.faults import scenarios
from tests.functional.faults.accounting import check_accounting
from tests.functional.faults.storm import Fate, boot_until_accepted, summarize, wait_for_fates

RECOVERY_BOUND = 30.0  # s from the heal to every accepted build ACTIVE
DEAD_COMPUTE_BOUND = scenarios.SERVICE_DOWN_TIME + 10.0  # s from a compute's death


def deadline(run: scenarios.FaultRun) -> float:
    """By when (time.monotonic()) every build of ``run`` must have its final state."""
    if run.fault == "compute-sigkill-dead":
        return run.injected_at + DEAD_COMPUTE_BOUND
    return run.recovery_from + RECOVERY_BOUND


def lost_guest(run: scenarios.FaultRun, fate: Fate) -> bool:
    """A server that went ACTIVE on a compute before that compute was restarted: the
    fake driver's guests live in the process, so its guest is gone."""
    return (run.fault in ("compute-sigkill-restart", "sigterm-all")
            and fate.host in run.victims and fate.launched_at is not None
            and fate.launched_at < run.healed_wall)


def problem(run: scenarios.FaultRun, fate: Fate) -> str | None:
    """What is wrong with where this accepted build ended up; None if nothing is."""
    if fate.vm_state is None:
        return "lost: accepted, but not in the database"
    if fate.server_id in run.building_on_victim and fate.vm_state == "error":
        if fate.fault and any(victim in (fate.fault_details or "") for victim in run.victims):
            return None
        return (f"ERROR on the dead compute with a fault whose details do not name it: "
                f"{fate.fault!r} ({fate.fault_details!r})")
    if lost_guest(run, fate):
        if fate.vm_state in ("stopped", "error") and fate.fault:
            return None
        if run.fault == "sigterm-all" and fate.vm_state == "active":
            # Its build was not lost; whether the restarted compute noticed the
            # vanished guest is test_compute_sigkill_restart's question.
            return None
        return (f"{fate.label} (fault {fate.fault!r}) on {fate.host}, whose guest vanished "
                "with the killed process: expected SHUTOFF or ERROR with a fault")
    if fate.vm_state == "active":
        return None
    return fate.label + (f" (fault {fate.fault!r})" if fate.fault else "")


def wait_for_outcome(deployment, run: scenarios.FaultRun, server_ids) -> dict[str, Fate]:
    """The builds' fates once they are all as required, or at the deadline."""
    return wait_for_fates(deployment, server_ids, deadline(run),
                          lambda fates: all(problem(run, f) is None for f in fates.values()))


def assert_outcome(deployment, run: scenarios.FaultRun, extra_ids=()) -> dict[str, Fate]:
    """Every accepted build (the storm's and ``extra_ids``) as required by the
    deadline, then the books exact; the fates."""
    fates = assert_builds(deployment, run, extra_ids)
    check_accounting(deployment.db.engine())
    return fates


def assert_builds(deployment, run: scenarios.FaultRun, extra_ids=()) -> dict[str, Fate]:
    """Every accepted build (the storm's and ``extra_ids``) as required by the
    deadline; the fates."""
    ids = list(run.storm.accepted) + list(extra_ids)
    fates = wait_for_outcome(deployment, run, ids)
    wrong = {i: problem(run, f) for i, f in fates.items() if problem(run, f) is not None}
    bound = ("service_down_time + 10 s after the compute died"
             if run.fault == "compute-sigkill-dead" else f"{RECOVERY_BOUND:.0f} s after the heal")
    assert not wrong, (
        f"{run.fault}: {len(wrong)} of {len(fates)} accepted builds not as required "
        f"{bound}. Where all ended up: {summarize(fates)}. First ones: "
        + "; ".join(f"{i}: {p}" for i, p in list(wrong.items())[:5]))
    return fates


def assert_refusals_clean(run: scenarios.FaultRun, no_answer_allowed: bool = False) -> None:
    """Refused POSTs are 503 ``serviceUnavailable`` with Retry-After (or, when the api
    itself was stopped, ``no_answer_allowed``: no HTTP answer), and no POST waited for
    the RPC timeout."""
    bad = []
    for post in run.storm.posts:
        if post.seconds >= scenarios.RPC_RESPONSE_TIMEOUT:
            bad.append(f"hung for the RPC timeout: {post.describe()}")
        elif post.status == 202 or (post.status is None and no_answer_allowed):
            continue
        elif post.status != 503:
            bad.append(f"refused with {post.status}, not 503: {post.describe()}")
        elif "retry-after" not in post.headers:
            bad.append(f"503 without Retry-After: {post.describe()}")
        elif not (isinstance(post.body, dict)
                  and post.body.get("serviceUnavailable", {}).get("code") == 503):
            bad.append(f"503 without Nova's serviceUnavailable body: {post.describe()}")
    assert not bad, (f"{run.fault}: {len(bad)} of {len(run.storm.posts)} POSTs answered "
                     f"badly (statuses {run.storm.status_counts()}): " + "; ".join(bad[:5]))


def boots_after_heal(deployment, run: scenarios.FaultRun, count: int = 5) -> list:
    """Boot ``count`` servers right after the heal (the storm's clients coming back),
    each tried again on refusal until the recovery deadline; the last POST of each."""
    return boot_until_accepted(deployment.api, count, deadline(run), prefix="after-heal")


def check_all(deployment, run: scenarios.FaultRun, new_boots: bool = True,
              no_answer_allowed: bool = False) -> None:
    """Every check of the issue's outcome for ``run``, each run even when an earlier one
    failed, so that a failure reports every way the fault was not survived."""
    failures = []
    extra = []
    if new_boots:
        posts = boots_after_heal(deployment, run)
        extra = [p.server_id for p in posts if p.server_id]
        refused = [p.describe() for p in posts if p.status != 202]
        if refused:
            failures.append(f"{run.fault}: new boots still refused at the recovery deadline: "
                            + "; ".join(refused))
    for check in (lambda: assert_builds(deployment, run, extra_ids=extra),
                  lambda: check_accounting(deployment.db.engine()),
                  lambda: assert_refusals_clean(run, no_answer_allowed)):
        try:
            check()
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "\n".join(failures)
