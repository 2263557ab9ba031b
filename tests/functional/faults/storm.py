"""Boot storms through the REST API, and what became of every build they asked for.

A fault is injected in the middle of a storm, so the storm runs in the
background (``Storm.start``) while the test waits for a point in it
(``wait_answered``), acts, and heals. Every POST is recorded with its
answer: a 202 is a build minova accepted and must finish; anything else is
a refusal the client saw (the status and body say how it was refused; no
status at all means no HTTP answer: connection refused or reset, or no
answer before the client's timeout).

What became of the accepted builds is read from the database (``fates``):
the API may be down during a fault, and the database also says when each
build went ACTIVE (``launched_at``), which is what the time to recover is
measured from.
"""

import collections
import concurrent.futures
import dataclasses
import threading
import time

from tests.functional.deployment import Api

DEFAULT_IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


@dataclasses.dataclass
class Post:
    """One ``POST /servers`` and its answer."""

    name: str
    status: int | None  # None: no HTTP answer
    body: object
    headers: dict
    sent_at: float  # time.monotonic()
    seconds: float

    @property
    def server_id(self) -> str | None:
        if self.status == 202 and isinstance(self.body, dict):
            return self.body["server"]["id"]
        return None

    def describe(self) -> str:
        if self.status is None:
            return f"{self.name}: no answer ({self.body}) after {self.seconds:.1f}s"
        return f"{self.name}: {self.status} after {self.seconds:.1f}s: {str(self.body)[:300]}"


def post_server(api: Api, name: str, flavor: str = "1", image: str = DEFAULT_IMAGE) -> Post:
    """One ``POST /servers``, whatever its answer (or lack of one)."""
    body = {"server": {"name": name, "flavorRef": flavor, "imageRef": image}}
    start = time.monotonic()
    try:
        status, answer, headers = api.post("/v2.1/servers", body)
    except OSError as exc:  # refused, reset, or the client's timeout
        status, answer, headers = None, f"{type(exc).__name__}: {exc}", {}
    return Post(name, status, answer, headers, start, time.monotonic() - start)


class Storm:
    """``count`` boots of ``flavor`` at ``concurrency`` clients, in background threads.

    ``rate``: boots sent per second at most (the i-th not before i / rate s
    after the start), so that the storm lasts long enough for a fault to land
    in its middle: unpaced, fake-driver boots are over in seconds, before a
    10 s outage has even begun. None: as fast as the clients go.
    """

    def __init__(self, api: Api, count: int, concurrency: int, prefix: str = "storm",
                 flavor: str = "1", image: str = DEFAULT_IMAGE,
                 rate: float | None = None) -> None:
        self.api, self.count, self.concurrency = api, count, concurrency
        self.prefix, self.flavor, self.image = prefix, flavor, image
        self.rate = rate
        self._started = 0.0
        self.posts: list[Post] = []
        self._answered = threading.Condition()
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._futures: list[concurrent.futures.Future] = []

    def _boot(self, index: int) -> None:
        if self.rate:
            # The client's arrival schedule, not a wait for a state.
            time.sleep(max(0.0, self._started + index / self.rate - time.monotonic()))
        post = post_server(self.api, f"{self.prefix}-{index}", self.flavor, self.image)
        with self._answered:
            self.posts.append(post)
            self._answered.notify_all()

    def start(self) -> "Storm":
        self._started = time.monotonic()
        self._pool = concurrent.futures.ThreadPoolExecutor(self.concurrency)
        self._futures = [self._pool.submit(self._boot, i) for i in range(self.count)]
        return self

    def run(self, timeout: float = 300) -> "Storm":
        """The whole storm, waiting for every answer."""
        return self.start().join(timeout)

    def wait_answered(self, answered: int, timeout: float = 120) -> None:
        """Block until ``answered`` POSTs have their answer (the middle of the storm)."""
        deadline = time.monotonic() + timeout
        with self._answered:
            while len(self.posts) < answered:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"only {len(self.posts)} of {answered} POSTs answered "
                                         f"after {timeout}s")
                self._answered.wait(left)

    def join(self, timeout: float = 300) -> "Storm":
        """Wait for every POST's answer (a hung one ends at the client's timeout)."""
        done, pending = concurrent.futures.wait(self._futures, timeout)
        if pending:
            raise AssertionError(f"{len(pending)} POSTs still unanswered after {timeout}s")
        for future in done:
            future.result()
        self._pool.shutdown()
        return self

    @property
    def accepted(self) -> dict[str, Post]:
        """``{server id: its POST}`` for every 202."""
        return {p.server_id: p for p in self.posts if p.server_id}

    @property
    def refused(self) -> list[Post]:
        return [p for p in self.posts if p.status != 202]

    def status_counts(self) -> dict:
        """``{status: how many}``, ``None`` for POSTs with no HTTP answer."""
        return dict(collections.Counter(p.status for p in self.posts))


def boot_until_accepted(api: Api, count: int, deadline: float, prefix: str = "probe",
                        flavor: str = "1") -> list[Post]:
    """Boot ``count`` servers one after the other, each tried again (every 0.5 s, from
    when its last answer came) until accepted or ``deadline`` (time.monotonic()) has
    passed; the last POST of each. For boots right after a heal: the service must take
    new work again, not only finish the old."""
    answers = []
    for index in range(count):
        name = f"{prefix}-{index}"
        while True:
            post = post_server(api, name, flavor)
            if post.status == 202 or time.monotonic() >= deadline:
                break
            time.sleep(0.5)  # a client's pause before trying again, not a wait for a state
        answers.append(post)
    return answers


@dataclasses.dataclass
class Fate:
    """An accepted build as the database has it (None fields: the instance is gone)."""

    server_id: str
    vm_state: str | None
    task_state: str | None
    host: str | None
    launched_at: object
    fault: str | None
    fault_details: str | None = None  # for admins: where a host's name goes

    @property
    def label(self) -> str:
        if self.vm_state is None:
            return "lost (not in the database)"
        return f"{self.vm_state}/{self.task_state}" if self.task_state else self.vm_state


_FATES = """
SELECT i.uuid, i.vm_state, i.task_state, i.host, i.launched_at, i.deleted,
       (SELECT f.message FROM instance_faults f WHERE f.instance_uuid = i.uuid
        ORDER BY f.id DESC LIMIT 1) AS fault,
       (SELECT f.details FROM instance_faults f WHERE f.instance_uuid = i.uuid
        ORDER BY f.id DESC LIMIT 1) AS fault_details
FROM instances i
"""


def fates(deployment, server_ids) -> dict[str, Fate]:
    """What the database says of each of ``server_ids`` now."""
    wanted = set(server_ids)
    found = {}
    for row in deployment.query(_FATES):
        if row.uuid in wanted and not row.deleted:
            found[row.uuid] = Fate(row.uuid, row.vm_state, row.task_state, row.host,
                                   row.launched_at, row.fault, row.fault_details)
    for missing in wanted - set(found):
        found[missing] = Fate(missing, None, None, None, None, None)
    return found


def wait_for_fates(deployment, server_ids, deadline: float, done) -> dict[str, Fate]:
    """Poll ``fates`` until ``done(fates)`` holds or ``deadline`` (time.monotonic())
    passes; the last fates read either way (the caller asserts on them, so a failure
    shows where each build ended up). Errors reading the database (it may be coming
    back) count as not done yet."""
    last = {}
    while True:
        try:
            last = fates(deployment, server_ids)
        except Exception:  # the database may still be coming back
            last = last or {}
        else:
            if done(last):
                return last
        if time.monotonic() >= deadline:
            return last
        time.sleep(0.2)


def summarize(fates_by_id: dict[str, Fate]) -> str:
    """``ACTIVE 40, building/spawning 8, error 2 (fault x 2)``: where builds ended up."""
    labels = collections.Counter(f.label for f in fates_by_id.values())
    faults = collections.Counter(f.fault for f in fates_by_id.values()
                                 if f.vm_state == "error")
    text = ", ".join(f"{label} {n}" for label, n in labels.most_common())
    if faults:
        text += "; faults: " + "; ".join(f"{n} x {message!r}"
                                         for message, n in faults.most_common())
    return text
