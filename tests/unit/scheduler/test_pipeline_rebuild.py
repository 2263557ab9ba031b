"""A rebuild's check (spec ``rebuild``): only the filters that run on a
rebuild judge the server's own host, and nothing is consumed there."""

import pytest

from minova import exception
from minova.scheduler import filters, weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.pipeline import FilterPipeline

from . import fakes

X86 = [["x86_64", "kvm", "hvm"]]


def _pipeline() -> FilterPipeline:
    return FilterPipeline(
        filters.load_filters(["ComputeFilter", "RamFilter", "DiskFilter",
                              "ImagePropertiesFilter"]),
        weights.load_weighers(["RAMWeigher"]))


def _host(**values) -> HostState:
    return HostState(fakes.host_state("h1", supported_instances=X86, **values))


def _rebuild_spec(arch: str) -> dict:
    spec = fakes.spec(memory_mb=4096)
    spec.update(rebuild=True, requested_destination={"host": "h1", "node": "h1"},
                image={"id": "img", "properties": {"hw_architecture": arch}})
    return spec


def test_a_full_disabled_host_passes_when_the_image_fits():
    host = _host(service_disabled=True, memory_mb_used=8192)
    other = HostState(fakes.host_state("h2", supported_instances=X86))
    result = _pipeline().place([host, other], _rebuild_spec("x86_64"), ["inst-0"])
    assert result["selections"][0][0]["service_host"] == "h1"
    names = [r["name"] for r in result["decisions"][0]["filters"]]
    assert "ImagePropertiesFilter" in names and "RamFilter" not in names
    assert host.memory_mb_used == 8192  # nothing consumed


def test_an_image_the_host_cannot_run_is_no_valid_host_naming_the_filter():
    with pytest.raises(exception.NoValidHost) as raised:
        _pipeline().place([_host()], _rebuild_spec("aarch64"), ["inst-0"])
    assert "ImagePropertiesFilter" in raised.value.format_message()


def test_without_rebuild_every_filter_runs():
    spec = _rebuild_spec("x86_64")
    spec.pop("rebuild")
    with pytest.raises(exception.NoValidHost):
        _pipeline().place([_host(memory_mb_used=8192)], spec, ["inst-0"])
