import sys
import textwrap

import pytest

from minova import exception
from minova.scheduler import filters, loadables, weights

PACKAGE = "plugins_under_test"


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package of plug-ins on sys.path: ``write(module, source)`` adds a module to it."""
    root = tmp_path / PACKAGE
    root.mkdir()
    (root / "__init__.py").write_text("class Base:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(module: str, source: str) -> None:
        (root / f"{module}.py").write_text(textwrap.dedent(source))

    yield write
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def loader() -> loadables.PluginLoader:
    base = __import__(PACKAGE).Base
    return loadables.PluginLoader(PACKAGE, base, "gadget", "[section] gadgets")


class TestClasses:
    def test_public_subclasses_defined_in_the_package_modules(self, package):
        package("a", f"""
            from {PACKAGE} import Base

            class One(Base):
                pass

            class _SharedBase(Base):
                pass

            class NotAPlugin:
                pass
        """)
        package("b", f"""
            from {PACKAGE} import Base
            from {PACKAGE}.a import One, _SharedBase

            class Two(_SharedBase):
                pass

            class Three(One):
                pass
        """)
        # One is imported into b as well, and counts once; the base, a
        # private class and a class of another hierarchy are not plug-ins.
        assert loader().classes() == {
            "One": sys.modules[f"{PACKAGE}.a"].One,
            "Three": sys.modules[f"{PACKAGE}.b"].Three,
            "Two": sys.modules[f"{PACKAGE}.b"].Two,
        }

    def test_two_classes_of_one_name_are_refused(self, package):
        package("a", f"from {PACKAGE} import Base\n\nclass Same(Base):\n    pass\n")
        package("b", f"from {PACKAGE} import Base\n\nclass Same(Base):\n    pass\n")
        with pytest.raises(TypeError, match=f"Same: in {PACKAGE}.a and {PACKAGE}.b"):
            loader().classes()


class TestLoad:
    def test_instances_in_the_order_named(self, package):
        package("a", f"""
            from {PACKAGE} import Base

            class One(Base):
                pass

            class Two(Base):
                pass
        """)
        loaded = loader().load(["Two", "One", "Two"])
        assert [type(p).__name__ for p in loaded] == ["Two", "One", "Two"]
        assert loaded[0] is not loaded[2]

    def test_unknown_names_are_a_configuration_error(self, package):
        package("a", f"from {PACKAGE} import Base\n\nclass One(Base):\n    pass\n")
        with pytest.raises(exception.ConfigurationError) as err:
            loader().load(["One", "Onw", "Tow"])
        assert ("unknown scheduler gadget(s) Onw, Tow in [section] gadgets; "
                "available: One") in str(err.value)


def test_every_filter_is_found():
    assert set(filters.all_filters()) == {
        "AggregateInstanceExtraSpecsFilter", "AggregateMultiTenancyIsolation",
        "AggregateNumInstancesFilter", "AvailabilityZoneFilter", "ComputeCapabilitiesFilter",
        "ComputeFilter", "CoreFilter", "DifferentHostFilter", "DiskFilter",
        "ImagePropertiesFilter", "NumInstancesFilter", "RamFilter", "SameHostFilter",
        "ServerGroupAffinityFilter", "ServerGroupAntiAffinityFilter"}


def test_every_weigher_is_found():
    assert set(weights.all_weighers()) == {
        "BuildFailureWeigher", "CPUWeigher", "DiskWeigher", "RAMWeigher",
        "ServerGroupSoftAffinityWeigher", "ServerGroupSoftAntiAffinityWeigher"}
