import collections
import json
import logging
import random

import pytest

from minova import exception
from minova.scheduler import filters, weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.pipeline import FilterPipeline, run_filters
from minova.scheduler.spec import SchedulingSpec

from . import fakes

ALL_FILTERS = ["ComputeFilter", "AvailabilityZoneFilter", "RamFilter", "CoreFilter", "DiskFilter"]
NAMES = 10  # [filter_scheduler] decision_removed_hosts


def pipeline(rng=None) -> FilterPipeline:
    return FilterPipeline(filters.load_filters(ALL_FILTERS),
                          weights.load_weighers(["RAMWeigher", "CPUWeigher"]), rng=rng)


def states(**per_host) -> list[HostState]:
    return [HostState(fakes.host_state(name, **values)) for name, values in per_host.items()]


def winners(result: dict) -> list[str]:
    return [selection[0]["service_host"] for selection in result["selections"]]


def record(name: str, count_in: int, removed: list[str], removed_count: int | None = None) -> dict:
    """A filter's decision entry; ``removed_count`` defaults to all removed named."""
    count = len(removed) if removed_count is None else removed_count
    return {"name": name, "in": count_in, "out": count_in - count, "removed": removed,
            "removed_count": count, "removed_truncated": count > len(removed)}


class TestRunFilters:
    def test_records_each_filter_and_stops_when_none_is_left(self):
        hosts = states(a={"service_up": False}, b={"service_disabled": True})
        survivors, records = run_filters(filters.load_filters(ALL_FILTERS), hosts,
                                         SchedulingSpec(fakes.spec()), NAMES)
        assert survivors == []
        assert records == [record("ComputeFilter", 2, ["a", "b"])]

    def test_logs_one_line_per_filter(self, caplog):
        caplog.set_level(logging.INFO, logger="minova.scheduler.pipeline")
        hosts = states(**{"host-a": {"memory_mb": 256}, "host-b": {}, "host-c": {}})
        run_filters(filters.load_filters(["ComputeFilter", "RamFilter"]), hosts,
                    SchedulingSpec(fakes.spec(memory_mb=512)), NAMES)
        lines = [r.getMessage() for r in caplog.records]
        assert lines == ["Filter ComputeFilter returned 3 of 3 hosts",
                         "Filter RamFilter returned 2 of 3 hosts (removed: host-a)"]

    @pytest.mark.parametrize("max_names,removed", [
        (3, " (removed: h00, h02, h04 and 12 more)"),
        (12, " (removed: h00, h02, h04, h06, h08, h10, h12, h14, h16, h18 and 5 more)"),
        (0, ""),
    ])
    def test_log_line_names_what_the_record_names_and_counts_the_rest(
            self, caplog, max_names, removed):
        caplog.set_level(logging.INFO, logger="minova.scheduler.pipeline")
        hosts = [HostState(fakes.host_state(f"h{i:02d}", memory_mb=256 if i % 2 == 0 else 8192))
                 for i in range(30)]
        _, records = run_filters(filters.load_filters(["RamFilter"]), hosts,
                                 SchedulingSpec(fakes.spec(memory_mb=512)), max_names)
        assert records[0]["removed_count"] == 15
        assert len(records[0]["removed"]) == min(max_names, 15)
        assert [r.getMessage() for r in caplog.records] == [
            f"Filter RamFilter returned 15 of 30 hosts{removed}"]


class TestSelections:
    def test_selection_shape_and_alternates_in_weight_order(self, override):
        override("max_alternates", 2, group="filter_scheduler")
        hosts = states(d={"memory_mb_used": 3000}, a={}, c={"memory_mb_used": 2000},
                       b={"memory_mb_used": 1000})
        result = pipeline().place(hosts, fakes.spec(), ["i1"])
        (selection,) = result["selections"]
        assert [s["service_host"] for s in selection] == ["a", "b", "c"]
        assert selection[0] == {"service_host": "a", "nodename": "a",
                                "compute_node_id": hosts[1].compute_node_id,
                                "compute_node_uuid": "uuid-a", "availability_zone": "nova"}

    @pytest.mark.parametrize("max_alternates,expected", [(0, 1), (1, 2), (5, 3)])
    def test_alternates_count(self, override, max_alternates, expected):
        override("max_alternates", max_alternates, group="filter_scheduler")
        result = pipeline().place(states(a={}, b={}, c={}), fakes.spec(), ["i1"])
        assert len(result["selections"][0]) == expected

    def test_never_the_same_host_twice(self, override):
        override("max_alternates", 2, group="filter_scheduler")
        hosts = [HostState(fakes.host_state("a", nodename="n1", uuid="u1")),
                 HostState(fakes.host_state("a", nodename="n2", uuid="u2",
                                            memory_mb_used=1000)),
                 HostState(fakes.host_state("b", memory_mb_used=2000))]
        (selection,) = pipeline().place(hosts, fakes.spec(), ["i1"])["selections"]
        assert [(s["service_host"], s["nodename"]) for s in selection] == [("a", "n1"),
                                                                            ("b", "b")]

    def test_host_subset_size_one_is_always_the_best(self):
        for seed in range(10):
            hosts = states(small={"memory_mb_used": 4000}, big={}, mid={"memory_mb_used": 2000})
            result = pipeline(random.Random(seed)).place(hosts, fakes.spec(), ["i1"])
            assert winners(result) == ["big"]

    def test_host_subset_size_picks_among_the_top_n(self, override):
        override("host_subset_size", 2, group="filter_scheduler")
        override("max_alternates", 2, group="filter_scheduler")
        rng = random.Random(1234)
        seen = collections.Counter()
        for _ in range(40):
            hosts = states(small={"memory_mb_used": 4000}, big={}, mid={"memory_mb_used": 2000})
            result = pipeline(rng).place(hosts, fakes.spec(), ["i1"])
            (selection,) = result["selections"]
            seen[selection[0]["service_host"]] += 1
            # alternates are the rest, best first, without the winner
            alternates = [s["service_host"] for s in selection[1:]]
            assert alternates == [h for h in ["big", "mid", "small"]
                                  if h != selection[0]["service_host"]]
        assert set(seen) == {"big", "mid"}


class TestMultipleInstances:
    def test_consumption_spreads_three_over_hosts_that_fit_two_and_one(self):
        hosts = states(a={"memory_mb": 2048}, b={"memory_mb": 1024})
        result = pipeline().place(hosts, fakes.spec(num=3, memory_mb=1024), ["i1", "i2", "i3"])
        # i2: a and b tie on RAM, but a's vCPU was consumed by i1, so b wins
        assert winners(result) == ["a", "b", "a"]
        last = result["decisions"][2]
        assert record("RamFilter", 2, ["b"]) in last["filters"]
        assert last["alternates"] == []
        assert (hosts[0].free_ram_mb, hosts[1].free_ram_mb) == (0, 0)
        assert hosts[0].running_vms == 2

    def test_all_or_nothing_gives_back_what_was_consumed(self):
        hosts = states(a={"memory_mb": 2048}, b={"memory_mb": 1024})
        uuids = ["i1", "i2", "i3", "i4"]
        with pytest.raises(exception.NoValidHost) as err:
            pipeline().place(hosts, fakes.spec(num=4, memory_mb=1024), uuids)
        assert "RamFilter removed 2 of 2 hosts" in str(err.value)
        assert "placed 3 of 4 instances" in str(err.value)
        assert (hosts[0].free_ram_mb, hosts[1].free_ram_mb) == (2048, 1024)
        assert (hosts[0].running_vms, hosts[1].running_vms) == (0, 0)

    def test_min_count_reached_places_what_fits_and_records_the_rest(self):
        hosts = states(a={"memory_mb": 2048}, b={"memory_mb": 1024})
        spec = fakes.spec(num=5, memory_mb=1024)
        spec["min_count"] = 2
        uuids = ["i1", "i2", "i3", "i4", "i5"]
        result = pipeline().place(hosts, spec, uuids)
        assert [bool(s) for s in result["selections"]] == [True, True, True, False, False]
        assert winners({"selections": result["selections"][:3]}) == ["a", "b", "a"]
        unplaced = result["decisions"][3:]
        assert [d["instance_uuid"] for d in unplaced] == ["i4", "i5"]
        for decision in unplaced:
            assert decision["winner"] is None and decision["alternates"] == []
            assert decision["reason"].startswith(
                "There are not enough hosts available: RamFilter removed 2 of 2 hosts")
            assert "(placed 3 of 5 instances before none was left, min_count 2)" in \
                decision["reason"]
            assert record("RamFilter", 2, ["a", "b"]) in decision["filters"]
        # What the placed ones consumed stays consumed: they will be claimed.
        assert (hosts[0].free_ram_mb, hosts[1].free_ram_mb) == (0, 0)
        assert (hosts[0].running_vms, hosts[1].running_vms) == (2, 1)

    def test_below_min_count_is_no_valid_host_and_gives_back_everything(self):
        hosts = states(a={"memory_mb": 2048}, b={"memory_mb": 1024})
        spec = fakes.spec(num=5, memory_mb=1024)
        spec["min_count"] = 4
        with pytest.raises(exception.NoValidHost) as err:
            pipeline().place(hosts, spec, ["i1", "i2", "i3", "i4", "i5"])
        assert "(placed 3 of 5 instances before none was left, min_count 4)" in str(err.value)
        assert (hosts[0].free_ram_mb, hosts[1].free_ram_mb) == (2048, 1024)
        assert (hosts[0].running_vms, hosts[1].running_vms) == (0, 0)

    def test_min_count_is_all_of_them_by_default(self):
        hosts = states(a={"memory_mb": 1024})
        spec = fakes.spec(num=2, memory_mb=1024)
        assert spec["min_count"] == 2
        with pytest.raises(exception.NoValidHost, match=r"placed 1 of 2 instances before"):
            pipeline().place(hosts, spec, ["i1", "i2"])
        assert hosts[0].free_ram_mb == 1024


class TestDecisions:
    def test_decision_records_the_whole_path(self):
        hosts = states(a={}, b={"memory_mb_used": 4096}, ignored={}, small={"memory_mb": 256})
        spec = fakes.spec(memory_mb=512)
        spec["ignore_hosts"] = ["ignored"]
        (decision,) = pipeline().place(hosts, spec, ["i1"])["decisions"]
        assert decision["instance_uuid"] == "i1"
        assert decision["hosts_considered"] == 4
        assert decision["filters"][0] == record("IgnoreHosts", 4, ["ignored"])
        assert [f["name"] for f in decision["filters"]] == ["IgnoreHosts"] + ALL_FILTERS
        assert decision["filters"][3] == record("RamFilter", 3, ["small"])
        assert set(decision["weights"]) == {"a", "b"}
        assert decision["weights"]["a"] == {"RAMWeigher": 1.0, "CPUWeigher": 0.0, "total": 1.0}
        assert decision["hosts_weighed"] == 2
        assert decision["winner"] == "a"
        assert decision["alternates"] == ["b"]


class TestBoundedDecisions:
    """A decision names a few removed hosts and weighs out a few, counting the rest."""

    @staticmethod
    def ranked_hosts(count: int) -> list[HostState]:
        # h0 has the most free RAM, then h1, ...: the RAMWeigher ranks them in order.
        return [HostState(fakes.host_state(f"h{i}", memory_mb_used=100 * i))
                for i in range(count)]

    def test_filter_records_name_the_first_removed_hosts(self, override):
        override("decision_removed_hosts", 2, group="filter_scheduler")
        hosts = self.ranked_hosts(3) + [HostState(fakes.host_state(f"small{i}", memory_mb=256))
                                        for i in range(5)]
        (decision,) = pipeline().place(hosts, fakes.spec(memory_mb=512), ["i1"])["decisions"]
        assert decision["filters"][2] == record("RamFilter", 8, ["small0", "small1"], 5)

    def test_no_valid_host_still_counts_every_removed_host(self, override):
        override("decision_removed_hosts", 1, group="filter_scheduler")
        hosts = [HostState(fakes.host_state(f"small{i}", memory_mb=256)) for i in range(5)]
        with pytest.raises(exception.NoValidHost, match="RamFilter removed 5 of 5 hosts"):
            pipeline().place(hosts, fakes.spec(memory_mb=512), ["i1"])

    def test_weights_of_the_best_hosts_only(self, override):
        override("decision_top_weights", 3, group="filter_scheduler")
        override("max_alternates", 1, group="filter_scheduler")
        (decision,) = pipeline().place(self.ranked_hosts(8), fakes.spec(), ["i1"])["decisions"]
        assert list(decision["weights"]) == ["h0", "h1", "h2"]
        assert decision["weights"]["h0"]["total"] > decision["weights"]["h1"]["total"]
        assert decision["hosts_weighed"] == 8
        assert (decision["winner"], decision["alternates"]) == ("h0", ["h1"])

    def test_winner_and_alternates_are_kept_wherever_they_rank(self, override):
        class PicksTheLast(random.Random):
            def randrange(self, stop):
                return stop - 1

        override("decision_top_weights", 0, group="filter_scheduler")
        override("host_subset_size", 6, group="filter_scheduler")
        override("max_alternates", 2, group="filter_scheduler")
        result = pipeline(PicksTheLast()).place(self.ranked_hosts(8), fakes.spec(), ["i1"])
        (decision,) = result["decisions"]
        assert (decision["winner"], decision["alternates"]) == ("h5", ["h0", "h1"])
        assert list(decision["weights"]) == ["h0", "h1", "h5"]
        assert decision["hosts_weighed"] == 8

    def test_decision_is_what_the_conductor_can_store(self):
        hosts = self.ranked_hosts(20)
        (decision,) = pipeline().place(hosts, fakes.spec(), ["i1"])["decisions"]
        assert json.loads(json.dumps(decision)) == decision


class TestNoValidHost:
    def test_message_names_each_filter_that_removed_hosts(self):
        hosts = states(a={"service_up": False}, b={"memory_mb": 256}, c={"memory_mb": 256})
        with pytest.raises(exception.NoValidHost) as err:
            pipeline().place(hosts, fakes.spec(memory_mb=512), ["i1"])
        assert str(err.value) == (
            "No valid host was found. There are not enough hosts available: "
            "ComputeFilter removed 1 of 3 hosts, RamFilter removed 2 of 2 hosts")

    def test_no_hosts_at_all(self):
        with pytest.raises(exception.NoValidHost, match="no compute hosts are known"):
            pipeline().place([], fakes.spec(), ["i1"])

    def test_retried_hosts_are_named(self):
        spec = fakes.spec()
        spec["retry"] = {"num_attempts": 1, "hosts": [["a", "a"]]}
        with pytest.raises(exception.NoValidHost) as err:
            pipeline().place(states(a={}), spec, ["i1"])
        assert str(err.value).endswith("RetryFilter removed 1 of 1 hosts")

    def test_zone_mismatch_is_named(self):
        with pytest.raises(exception.NoValidHost, match="AvailabilityZoneFilter removed 2 of 2"):
            pipeline().place(states(a={}, b={}), fakes.spec(availability_zone="az-9"), ["i1"])
