from minova.scheduler.exclusions import exclude_hosts
from minova.scheduler.host_manager import HostState

from . import fakes

NAMES = 10  # [filter_scheduler] decision_removed_hosts


def states(*names):
    return [HostState(fakes.host_state(n)) for n in names]


class TestExcludeHosts:
    def test_nothing_to_exclude_records_nothing(self):
        hosts = states("a", "b")
        kept, records = exclude_hosts(hosts, fakes.spec(), NAMES)
        assert kept == hosts
        assert records == []

    def test_ignore_hosts(self):
        spec = fakes.spec()
        spec["ignore_hosts"] = ["b", "zzz"]
        kept, records = exclude_hosts(states("a", "b", "c"), spec, NAMES)
        assert [h.host for h in kept] == ["a", "c"]
        assert records == [{"name": "IgnoreHosts", "in": 3, "out": 2, "removed": ["b"],
                            "removed_count": 1, "removed_truncated": False}]

    def test_requested_destination_keeps_only_that_host(self):
        """API 2.74: only the named host (and node, when named) competes."""
        spec = fakes.spec()
        spec["requested_destination"] = {"host": "b", "node": None}
        kept, records = exclude_hosts(states("a", "b", "c"), spec, NAMES)
        assert [h.host for h in kept] == ["b"]
        assert records == [{"name": "RequestedDestination", "in": 3, "out": 1,
                            "removed": ["a", "c"], "removed_count": 2,
                            "removed_truncated": False}]
        spec["requested_destination"] = {"host": None, "node": "other-node"}
        assert exclude_hosts(states("a", "b"), spec, NAMES)[0] == []

    def test_retry_hosts_match_host_and_node(self):
        spec = fakes.spec()
        spec["retry"] = {"num_attempts": 2, "hosts": [["a", "a"], ["c", "other-node"]]}
        kept, records = exclude_hosts(states("a", "b", "c"), spec, NAMES)
        assert [h.host for h in kept] == ["b", "c"]
        assert records == [{"name": "RetryFilter", "in": 3, "out": 2, "removed": ["a"],
                            "removed_count": 1, "removed_truncated": False}]

    def test_retry_hosts_that_are_unknown_record_nothing(self):
        spec = fakes.spec()
        spec["retry"] = {"num_attempts": 1, "hosts": [["gone", "gone"]]}
        kept, records = exclude_hosts(states("a"), spec, NAMES)
        assert len(kept) == 1 and records == []

    def test_both_in_order(self):
        spec = fakes.spec()
        spec["ignore_hosts"] = ["a"]
        spec["retry"] = {"num_attempts": 1, "hosts": [["b", "b"]]}
        kept, records = exclude_hosts(states("a", "b", "c"), spec, NAMES)
        assert [h.host for h in kept] == ["c"]
        assert [(r["name"], r["in"], r["out"]) for r in records] == [
            ("IgnoreHosts", 3, 2), ("RetryFilter", 2, 1)]

    def test_records_name_at_most_max_names_hosts(self):
        """Only one host competes: its record counts the others, naming the first."""
        spec = fakes.spec()
        spec["requested_destination"] = {"host": "c", "node": None}
        kept, records = exclude_hosts(states("a", "b", "c", "d"), spec, 1)
        assert [h.host for h in kept] == ["c"]
        assert records == [{"name": "RequestedDestination", "in": 4, "out": 1,
                            "removed": ["a"], "removed_count": 3, "removed_truncated": True}]
