"""minova.retry: which failures are retried, the pauses, the deadline and the stop.

A fake clock that the pauses move forward: nothing sleeps.
"""

import random
import threading

import oslo_messaging as messaging
import pytest

from minova import exception, retry


class Clock:
    def __init__(self):
        self.now = 100.0
        self.pauses = []

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.pauses.append(seconds)
        self.now += seconds
        return False


class Flaky:
    """Fails with ``errors`` in order, then answers ``"done"``."""

    def __init__(self, *errors):
        self.errors = list(errors)
        self.attempts = 0

    def __call__(self):
        self.attempts += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def _call(func, clock, **kwargs):
    kwargs.setdefault("give_up_after", None)
    return retry.call(func, what="test call", clock=clock, wait=clock.wait,
                      backoff=retry.Backoff(rng=random.Random(4)), **kwargs)


DB_DOWN = messaging.RemoteError("OperationalError", "(2003, \"Can't connect to MySQL\")")


@pytest.mark.parametrize("error", [
    messaging.MessagingTimeout("no answer"),
    messaging.MessageDeliveryFailure("broker unreachable"),
    DB_DOWN,
    messaging.RemoteError("DBConnectionError", "lost"),
])
def test_transient_failures_are_retried_until_it_succeeds(error):
    clock, flaky = Clock(), Flaky(error, error)
    assert _call(flaky, clock) == "done"
    assert flaky.attempts == 3


@pytest.mark.parametrize("error", [
    exception.InstanceNotFound(instance_id="x"),
    exception.UnexpectedTaskStateError(instance_uuid="x", expected="a", actual="b"),
    messaging.RemoteError("IntegrityError", "duplicate"),
    ValueError("a bug"),
])
def test_other_failures_are_raised_at_once(error):
    clock, flaky = Clock(), Flaky(error)
    with pytest.raises(type(error)):
        _call(flaky, clock)
    assert flaky.attempts == 1 and clock.pauses == []


def test_pauses_grow_exponentially_with_jitter_up_to_the_cap():
    clock = Clock()
    _call(Flaky(*[messaging.MessagingTimeout()] * 8), clock)
    ceilings = [0.5, 1, 2, 4, 8, 10, 10, 10]
    assert len(clock.pauses) == 8
    for pause, ceiling in zip(clock.pauses, ceilings):
        assert ceiling / 2 <= pause <= ceiling
    assert len(set(clock.pauses)) == 8  # jittered: no two hosts in lockstep


def test_gives_up_at_the_deadline_with_the_last_failure():
    clock = Clock()
    flaky = Flaky(*[DB_DOWN] * 100)
    with pytest.raises(messaging.RemoteError):
        _call(flaky, clock, give_up_after=30)
    assert clock.now == pytest.approx(130.0)  # the last pause is cut to the deadline
    assert 5 < flaky.attempts < 20


def test_without_a_deadline_it_outlasts_a_long_outage():
    clock = Clock()
    flaky = Flaky(*[messaging.MessagingTimeout()] * 200)
    assert _call(flaky, clock) == "done"
    assert clock.now - 100 > 1000  # well past any deadline of a progress report


def test_a_stop_ends_the_retrying_during_a_pause():
    stop = threading.Event()
    flaky = Flaky(*[messaging.MessagingTimeout()] * 5)

    def stopping_wait(seconds):
        stop.set()
        return True

    with pytest.raises(messaging.MessagingTimeout):
        retry.call(flaky, what="test call", give_up_after=None, stop=stop, wait=stopping_wait)
    assert flaky.attempts == 1


def test_a_service_already_stopping_does_not_retry():
    stop = threading.Event()
    stop.set()
    flaky = Flaky(messaging.MessagingTimeout())
    with pytest.raises(messaging.MessagingTimeout):
        retry.call(flaky, what="test call", give_up_after=None, stop=stop)
    assert flaky.attempts == 1


def test_a_call_failing_at_its_deadline_while_stopping_is_no_error(caplog):
    """A heartbeat whose conductor stops with it (a whole deployment stopping)
    gives up without an ERROR in the log."""
    stop = threading.Event()
    stop.set()
    clock = Clock()
    flaky = Flaky(messaging.MessagingTimeout())
    with pytest.raises(messaging.MessagingTimeout):
        retry.call(flaky, what="heartbeat", give_up_after=0, stop=stop, clock=clock,
                   wait=clock.wait)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert "the service is stopping" in caplog.text


def test_the_default_pause_waits_on_the_stop_event():
    stop = threading.Event()
    stop.set()  # set after the first failure: the wait returns at once
    calls = []

    def first_fails():
        calls.append(1)
        if len(calls) == 1:
            stop.clear()
            threading.Timer(0.0, stop.set).start()
            raise messaging.MessagingTimeout()
        return "done"

    with pytest.raises(messaging.MessagingTimeout):
        retry.call(first_fails, what="test call", give_up_after=None, stop=stop,
                   backoff=retry.Backoff(first=60, cap=60))
    assert calls == [1]


def test_bounded_client_asks_the_client_for_one_bounded_attempt():
    class Client:
        def bounded(self, timeout, send_retries):
            return ("bounded", timeout, send_retries)

    assert retry.bounded_client(Client()) == ("bounded", retry.ATTEMPT_TIMEOUT,
                                              retry.ATTEMPT_SEND_RETRIES)
    stand_in = object()
    assert retry.bounded_client(stand_in) is stand_in


def test_a_conductor_that_lost_its_database_is_asked_again():
    from minova import exception

    assert retry.is_transient(exception.DatabaseUnavailable())
