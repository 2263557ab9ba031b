"""Loading a virt driver by name, and the fake driver's contract."""

import pytest

from minova import exception
from minova.virt import driver, fake


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
