"""Loading a virt driver by name, and the fake driver's contract."""

import json

import pytest
from oslo_config import cfg

from minova import exception
from minova.objects import states
from minova.virt import driver, fake

CONF = cfg.CONF


def test_load_relative_to_minova_virt():
    assert isinstance(driver.load_compute_driver("fake.FakeDriver"), fake.FakeDriver)


@pytest.mark.parametrize("name", ["FakeDriver", "nosuch.Driver", "fake.NoSuchDriver",
                                  "minova.exception.MinovaException"])
def test_bad_driver_names_fail_clearly(name):
    with pytest.raises(exception.VirtDriverNotFound) as err:
        driver.load_compute_driver(name)
    assert name in str(err.value)


def test_fake_driver_lifecycle():
    drv = fake.FakeDriver()
    inst = {"uuid": "u1", "display_name": "x"}
    drv.spawn(None, inst, {})
    assert drv.get_info(inst)["state"] == 1
    drv.destroy(None, inst)
    drv.destroy(None, inst)  # destroying what is gone is fine
    with pytest.raises(exception.InstanceNotFound):
        drv.get_info(inst)


def test_fake_driver_reports_what_it_can_run():
    res = fake.FakeDriver().get_available_resource("h1")
    assert res["supported_instances"] == [["x86_64", "fake", "hvm"]]
    assert json.loads(res["cpu_info"])["arch"] == "x86_64"
    assert res["hypervisor_type"] == "fake"


@pytest.fixture
def fake_architecture():
    yield lambda value: CONF.set_override("architecture", value, group="fake_driver")
    CONF.clear_override("architecture", group="fake_driver")


@pytest.mark.parametrize("configured, reported", [("aarch64", "aarch64"), ("AMD64", "x86_64")])
def test_fake_driver_architecture_is_configurable_and_canonical(fake_architecture, configured,
                                                                reported):
    fake_architecture(configured)
    res = fake.FakeDriver().get_available_resource("h1")
    assert res["supported_instances"] == [[reported, "fake", "hvm"]]
    assert json.loads(res["cpu_info"])["arch"] == reported


class _Clock:
    """Stands in for the fake driver's ``time``: each sleep moves it on, then calls a hook."""

    def __init__(self, on_sleep=None):
        self.now, self.sleeps, self.on_sleep = 0.0, 0, on_sleep

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds
        self.sleeps += 1
        if self.on_sleep:
            self.on_sleep(self)


@pytest.fixture
def hold_file(tmp_path):
    path = tmp_path / "hold"
    CONF.set_override("spawn_hold_path", str(path), group="fake_driver")
    return path


def test_fake_driver_spawn_waits_while_the_hold_file_exists(hold_file, monkeypatch):
    drv = fake.FakeDriver()
    inst = {"uuid": "u1", "display_name": "x"}
    held = []

    def release_on_the_third_look(clock):
        held.append(drv.list_instance_uuids() == [])  # no guest yet: still spawning
        if clock.sleeps == 3:
            hold_file.unlink()

    clock = _Clock(release_on_the_third_look)
    monkeypatch.setattr(fake, "time", clock)
    hold_file.touch()
    drv.spawn(None, inst, {})
    assert clock.sleeps == 3 and held == [True, True, True]
    assert drv.get_info(inst)["state"] == states.RUNNING


def test_fake_driver_spawn_hold_is_bounded(hold_file, monkeypatch):
    CONF.set_override("spawn_hold_max", 2.0, group="fake_driver")
    clock = _Clock()
    monkeypatch.setattr(fake, "time", clock)
    hold_file.touch()
    drv = fake.FakeDriver()
    drv.spawn(None, {"uuid": "u1", "display_name": "x"}, {})
    assert 2.0 <= clock.now < 2.0 + 2 * fake.HOLD_POLL_INTERVAL
    assert hold_file.exists() and drv.list_instance_uuids() == ["u1"]


def test_fake_driver_spawn_without_the_hold_file_does_not_wait(hold_file, monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(fake, "time", clock)
    drv = fake.FakeDriver()
    drv.spawn(None, {"uuid": "u1", "display_name": "x"}, {})
    assert clock.sleeps == 0 and drv.list_instance_uuids() == ["u1"]
