"""servicegroup's reference clock: heartbeat ages stop counting while the
control plane hears nobody, so an outage does not make every host down."""

import datetime

import pytest
from oslo_config import cfg

from minova import servicegroup

CONF = cfg.CONF
T0 = datetime.datetime(2026, 12, 7, 12, 0, 0)


def _s(seconds):
    return datetime.timedelta(seconds=seconds)


@pytest.fixture
def liveness():
    CONF.set_override("report_interval", 10)
    CONF.set_override("service_down_time", 60)
    yield servicegroup.Liveness()
    CONF.clear_override("report_interval")
    CONF.clear_override("service_down_time")


def test_without_observations_it_is_the_wall_clock(liveness):
    assert liveness.reference_time(T0) == T0


def test_heartbeats_heard_as_usual_keep_the_wall_clock(liveness):
    for second in range(0, 100, 5):
        liveness.observe(T0 + _s(second))
    assert liveness.reference_time(T0 + _s(100)) == T0 + _s(100)


def test_the_clock_stops_while_nobody_is_heard(liveness):
    liveness.observe(T0)
    # 5 minutes of silence: measured at the last heartbeat heard, nobody is down
    assert liveness.reference_time(T0 + _s(300)) == T0
    assert not (T0 + _s(300) - liveness.reference_time(T0 + _s(300))) < _s(0)


def test_after_a_silence_every_service_gets_the_time_it_took(liveness):
    liveness.observe(T0)
    liveness.observe(T0 + _s(100))  # heard again after 100 s
    # a service last heard at T0 is 5 s old, not 105 s, right after the heal
    assert liveness.reference_time(T0 + _s(105)) == T0 + _s(5)
    # until every live service has reported again; then the wall clock
    for second in range(105, 200, 5):  # heartbeats heard as usual since
        liveness.observe(T0 + _s(second))
    assert liveness.reference_time(T0 + _s(200)) == T0 + _s(200)


def test_a_service_dead_before_the_silence_is_still_found_down(liveness):
    liveness.observe(T0 + _s(100))
    liveness.observe(T0 + _s(200))  # a 100 s silence
    dead_since = T0  # stopped 100 s before the silence
    reference = liveness.reference_time(T0 + _s(201))
    assert reference - dead_since > _s(CONF.service_down_time)


def test_is_up_uses_the_process_clock(monkeypatch, liveness):
    monkeypatch.setattr(servicegroup, "_LIVENESS", liveness)
    liveness.observe(T0)
    # 200 s after the last heartbeat heard from anyone: a silence, still up
    assert servicegroup.is_up(T0 - _s(30), now=T0 + _s(200))
    assert not servicegroup.is_up(T0 - _s(61), now=T0 + _s(200))
    assert not servicegroup.is_up(T0, forced_down=True, now=T0)


def test_recovering_during_and_shortly_after_a_silence(liveness):
    liveness.observe(T0)
    assert not liveness.recovering(T0 + _s(1))
    assert liveness.recovering(T0 + _s(50))  # nobody heard for 50 s
    liveness.observe(T0 + _s(60))  # heard again
    assert liveness.recovering(T0 + _s(61))
    for second in range(65, 200, 5):
        liveness.observe(T0 + _s(second))
    assert not liveness.recovering(T0 + _s(200))
