"""Loading a virt driver by name, and the fake driver's contract."""

import json

import pytest
from oslo_config import cfg

from minova import exception
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
