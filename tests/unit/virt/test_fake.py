"""The fake driver's guests outlive the service with [fake_driver] guests_path."""

from oslo_config import cfg

from minova.objects import states
from minova.virt import fake

CONF = cfg.CONF


def test_guests_are_kept_in_guests_path_across_a_restart(tmp_path):
    CONF.set_override("guests_path", str(tmp_path / "guests.json"), group="fake_driver")
    first = fake.FakeDriver()
    for uuid in ("a", "b", "c"):
        first.spawn(None, {"uuid": uuid, "display_name": uuid}, {})
    first.power_off(None, {"uuid": "b"})
    first.destroy(None, {"uuid": "c"})

    again = fake.FakeDriver()  # the service restarted
    assert sorted(again.list_instance_uuids()) == ["a", "b"]
    assert again.get_info({"uuid": "b"})["state"] == states.SHUTDOWN


def test_without_guests_path_guests_die_with_the_process():
    fake.FakeDriver().spawn(None, {"uuid": "a", "display_name": "a"}, {})
    assert fake.FakeDriver().list_instance_uuids() == []


def test_host_ip_is_my_ip():
    """The hypervisor's host_ip is this host's [DEFAULT] my_ip, not loopback."""
    CONF.set_override("my_ip", "192.0.2.7")
    driver = fake.FakeDriver()
    driver.init_host("compute1")
    assert driver.get_available_resource("compute1")["host_ip"] == "192.0.2.7"
