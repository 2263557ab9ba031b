"""BuildFailureWeigher: hosts whose builds keep failing lose to every other host."""

from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec
from minova.scheduler.weights import load_weighers
from minova.scheduler.weights.build_failure import BuildFailureWeigher

from . import fakes

SPEC = SchedulingSpec(fakes.spec())


def hosts_with(**failed_builds) -> list[HostState]:
    return [HostState(fakes.host_state(name, failed_builds=count))
            for name, count in failed_builds.items()]


def test_weight_is_minus_the_failed_builds():
    hosts = hosts_with(a=0, b=3)
    assert BuildFailureWeigher().weigh_objects(hosts, SPEC) == [0, -3]
    assert BuildFailureWeigher()._weigh_object(hosts[1], SPEC) == -3


def test_host_without_the_count_has_no_failures():
    assert HostState(fakes.host_state("a")).failed_builds == 0


def test_default_multiplier_is_novas(override):
    assert BuildFailureWeigher().weight_multiplier() == 1000000.0
    override("build_failure_weight_multiplier", 2.5, group="filter_scheduler")
    assert BuildFailureWeigher().weight_multiplier() == 2.5


def test_failures_outweigh_free_resources_at_the_default_multiplier():
    # "roomy" has far more free RAM and CPU, but its builds have been failing.
    roomy = HostState(fakes.host_state("roomy", memory_mb=65536, vcpus=64, failed_builds=1))
    small = HostState(fakes.host_state("small", memory_mb=4096, vcpus=4))
    weighers = load_weighers(["RAMWeigher", "CPUWeigher", "BuildFailureWeigher"])
    ordered, record = fakes.weigh(weighers, [roomy, small], SPEC)
    assert [h.host for h in ordered] == ["small", "roomy"]
    assert record["roomy"]["BuildFailureWeigher"] == 0.0
    assert record["small"]["BuildFailureWeigher"] == 1.0


def test_more_failures_rank_lower():
    ordered, _ = fakes.weigh([BuildFailureWeigher()], hosts_with(a=5, b=0, c=1), SPEC)
    assert [h.host for h in ordered] == ["b", "c", "a"]


def test_zero_multiplier_ignores_failures(override):
    override("build_failure_weight_multiplier", 0.0, group="filter_scheduler")
    roomy = HostState(fakes.host_state("roomy", memory_mb=65536, failed_builds=9))
    small = HostState(fakes.host_state("small", memory_mb=4096))
    ordered, _ = fakes.weigh(load_weighers(["RAMWeigher", "BuildFailureWeigher"]), [roomy, small],
                             SPEC)
    assert [h.host for h in ordered] == ["roomy", "small"]
