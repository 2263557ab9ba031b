import pytest

from minova import exception
from minova.scheduler import filters
from minova.scheduler.filters.availability_zone import AvailabilityZoneFilter
from minova.scheduler.filters.capacity import CoreFilter, DiskFilter, RamFilter
from minova.scheduler.filters.compute import ComputeFilter
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec

from . import fakes


def passes(host_filter, host_values: dict, az=None, **flavor_values) -> bool:
    host = HostState(fakes.host_state(**host_values))
    spec = SchedulingSpec(fakes.spec(availability_zone=az, **flavor_values))
    return host_filter.host_passes(host, spec)


class TestComputeFilter:
    def test_up_and_enabled_passes(self):
        assert passes(ComputeFilter(), {})

    def test_disabled_service_fails(self):
        assert not passes(ComputeFilter(), {"service_disabled": True,
                                            "service_disabled_reason": "maintenance"})

    def test_down_service_fails(self):
        assert not passes(ComputeFilter(), {"service_up": False})


class TestRamFilter:
    def test_exactly_fits(self):
        host = {"memory_mb": 2048, "memory_mb_used": 1024}
        assert passes(RamFilter(), host, memory_mb=1024)
        assert not passes(RamFilter(), host, memory_mb=1025)

    def test_ratio_above_one_overcommits(self):
        host = {"memory_mb": 1000, "ram_allocation_ratio": 1.5}
        assert passes(RamFilter(), host, memory_mb=1500)
        assert not passes(RamFilter(), host, memory_mb=1501)

    def test_reserved_memory_is_not_allocatable(self):
        host = {"memory_mb": 2048, "reserved_host_memory_mb": 512}
        assert passes(RamFilter(), host, memory_mb=1536)
        assert not passes(RamFilter(), host, memory_mb=1537)

    def test_reserved_is_taken_before_the_ratio(self):
        # (2048 - 1024) * 2.0 = 2048, not 2048 * 2.0 - 1024 = 3072
        host = {"memory_mb": 2048, "reserved_host_memory_mb": 1024, "ram_allocation_ratio": 2.0}
        assert passes(RamFilter(), host, memory_mb=2048)
        assert not passes(RamFilter(), host, memory_mb=2049)


class TestCoreFilter:
    def test_exactly_fits(self):
        host = {"vcpus": 4, "vcpus_used": 3}
        assert passes(CoreFilter(), host, vcpus=1)
        assert not passes(CoreFilter(), host, vcpus=2)

    def test_ratio_above_one_overcommits(self):
        host = {"vcpus": 2, "cpu_allocation_ratio": 4.0, "vcpus_used": 6}
        assert passes(CoreFilter(), host, vcpus=2)
        assert not passes(CoreFilter(), host, vcpus=3)

    def test_reserved_cpus_are_not_allocatable(self):
        host = {"vcpus": 4, "reserved_host_cpus": 1}
        assert passes(CoreFilter(), host, vcpus=3)
        assert not passes(CoreFilter(), host, vcpus=4)


class TestDiskFilter:
    def test_root_ephemeral_and_swap_all_count(self):
        host = {"local_gb": 10}
        assert passes(DiskFilter(), host, root_gb=5, ephemeral_gb=3, swap=2048)
        # 2049 MB of swap rounds up to 3 GB: 11 GB in all
        assert not passes(DiskFilter(), host, root_gb=5, ephemeral_gb=3, swap=2049)

    def test_reserved_disk_rounds_up_to_whole_gb(self):
        host = {"local_gb": 10, "reserved_host_disk_mb": 1}
        assert passes(DiskFilter(), host, root_gb=9)
        assert not passes(DiskFilter(), host, root_gb=10)

    def test_ratio_and_usage(self):
        host = {"local_gb": 10, "disk_allocation_ratio": 2.0, "local_gb_used": 15}
        assert passes(DiskFilter(), host, root_gb=5)
        assert not passes(DiskFilter(), host, root_gb=6)


class TestRoomFilters:
    @pytest.mark.parametrize("host_filter,used,wanted", [
        (RamFilter(), "memory_mb_used", "memory_mb"),
        (CoreFilter(), "vcpus_used", "vcpus"),
        (DiskFilter(), "local_gb_used", "root_gb"),
    ])
    def test_filter_all_keeps_the_hosts_with_room_in_order(self, host_filter, used, wanted):
        # 8 vCPUs, 8192 MB, 100 GB each (fakes.host_state); request 4 of one.
        full = {"memory_mb_used": 8192, "vcpus_used": 8, "local_gb_used": 100}[used]
        amount = {"memory_mb": 4096, "vcpus": 4, "root_gb": 50}[wanted]
        hosts = [HostState(fakes.host_state(f"h{i}", **{used: usage}))
                 for i, usage in enumerate([0, full, full - amount, full - amount + 1])]
        spec = SchedulingSpec(fakes.spec(**{wanted: amount}))
        kept = host_filter.filter_all(hosts, spec)
        assert [h.host for h in kept] == ["h0", "h2"]
        # host_passes is the same test, asked of one host
        assert [h.host for h in hosts if host_filter.host_passes(h, spec)] == ["h0", "h2"]


class TestAvailabilityZoneFilter:
    def test_no_zone_requested_passes_every_zone(self):
        assert passes(AvailabilityZoneFilter(), {"availability_zone": "az-x"}, az=None)

    def test_matching_zone_passes(self):
        assert passes(AvailabilityZoneFilter(), {"availability_zone": "az-1"}, az="az-1")

    def test_other_zone_fails(self):
        assert not passes(AvailabilityZoneFilter(), {"availability_zone": "az-2"}, az="az-1")

    def test_filter_all_agrees_with_host_passes(self):
        hosts = [HostState(fakes.host_state(f"h{i}", availability_zone=f"az-{i % 2}"))
                 for i in range(4)]
        any_zone = AvailabilityZoneFilter().filter_all(hosts, SchedulingSpec(fakes.spec()))
        az1 = AvailabilityZoneFilter().filter_all(
            hosts, SchedulingSpec(fakes.spec(availability_zone="az-1")))
        assert any_zone == hosts and any_zone is not hosts
        assert [h.host for h in az1] == ["h1", "h3"]


class TestLoader:
    def test_default_filters_load_in_configured_order(self):
        names = ["RamFilter", "ComputeFilter", "DiskFilter", "CoreFilter",
                 "AvailabilityZoneFilter"]
        loaded = filters.load_filters(names)
        assert [f.name for f in loaded] == names

    def test_unknown_filter_is_a_configuration_error(self):
        with pytest.raises(exception.ConfigurationError) as err:
            filters.load_filters(["RamFilter", "RamFiltr"])
        message = str(err.value)
        assert "RamFiltr" in message
        assert "enabled_filters" in message
        assert "RamFilter" in message.split("available:")[1]


class TestMakeRecord:
    HOSTS = [HostState(fakes.host_state(f"h{i}")) for i in range(10)]

    def test_names_the_removed_hosts(self):
        hosts = self.HOSTS[:3]
        record = filters.make_record("RamFilter", hosts, [hosts[1]], 10)
        assert record == {"name": "RamFilter", "in": 3, "out": 1, "removed": ["h0", "h2"],
                          "removed_count": 2, "removed_truncated": False}

    def test_names_only_the_first_removed_and_counts_them_all(self):
        odd = self.HOSTS[1::2]
        record = filters.make_record("RamFilter", self.HOSTS, odd, 3)
        assert record == {"name": "RamFilter", "in": 10, "out": 5,
                          "removed": ["h0", "h2", "h4"], "removed_count": 5,
                          "removed_truncated": True}

    def test_removed_after_the_last_kept_host(self):
        record = filters.make_record("RamFilter", self.HOSTS, self.HOSTS[:7], 2)
        assert (record["removed"], record["removed_count"]) == (["h7", "h8"], 3)

    def test_everything_removed(self):
        record = filters.make_record("RamFilter", self.HOSTS, [], 4)
        assert record["removed"] == ["h0", "h1", "h2", "h3"]
        assert (record["out"], record["removed_count"], record["removed_truncated"]) == (
            0, 10, True)

    def test_nothing_removed(self):
        record = filters.make_record("RamFilter", self.HOSTS, list(self.HOSTS), 10)
        assert record == {"name": "RamFilter", "in": 10, "out": 10, "removed": [],
                          "removed_count": 0, "removed_truncated": False}

    def test_zero_names_only_counts(self):
        record = filters.make_record("RamFilter", self.HOSTS, self.HOSTS[5:], 0)
        assert (record["removed"], record["removed_count"], record["removed_truncated"]) == (
            [], 5, True)
