"""The fakes of the facades are held to the real classes.

A fake that drifted from its facade (a renamed method, a parameter added
or renamed, another default) would let the REST layer's unit tests pass
against an API that does not exist. So every public method of a fake must
be its facade's, with the same parameters (names, kinds, defaults); every
facade method a controller calls must exist on the facade and on its fake;
and no controller may reach past its facade to an RPC client.
"""

import ast
import inspect
import pathlib
from collections.abc import Callable

import pytest

import minova.api
from minova.compute import (
    aggregate_api,
    flavor_api,
    host_api,
    keypair_api,
    quota_api,
    server_group_api,
)
from minova.compute import api as compute_api
from minova.image import api as image_api

from . import fakes

# The attribute each controller keeps its facade in, and the facade's class.
FACADE_ATTRIBUTES = {
    "compute_api": compute_api.API,
    "host_api": host_api.HostAPI,
    "aggregate_api": aggregate_api.AggregateAPI,
    "keypair_api": keypair_api.KeypairAPI,
    "flavor_api": flavor_api.FlavorAPI,
    "quota_api": quota_api.QuotaAPI,
    "server_group_api": server_group_api.ServerGroupAPI,
    "image_api": image_api.API,
}
# The facades the unit tests fake (the others run for real over an
# EndpointConductor), and their fakes.
FAKES = [
    (compute_api.API, fakes.FakeComputeAPI),
    (host_api.HostAPI, fakes.FakeHostAPI),
    (flavor_api.FlavorAPI, fakes.FakeFlavorAPI),
    (image_api.API, fakes.FakeImageAPI),
]
API_DIR = pathlib.Path(minova.api.__file__).parent
CONTROLLER_DIRS = (API_DIR / "openstack", API_DIR / "image")
# The one module that builds the RPC clients the facades share.
CONSTRUCTION_POINT = API_DIR / "facades.py"


def _public_methods(cls: type) -> dict[str, Callable]:
    """The public functions of ``cls`` and its bases, without the fakes' own helpers."""
    return {name: member for name, member in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_") and not getattr(member, "only_in_fake", False)}


def _parameters(function: Callable) -> list[tuple]:
    """What a caller depends on: each parameter's name, kind and default."""
    return [(p.name, p.kind, p.default)
            for p in inspect.signature(function).parameters.values()]


def _facade_calls() -> set[tuple[str, str, str]]:
    """``(module, facade attribute, method)`` of every ``self.<facade>.<method>``
    in the controllers."""
    calls = set()
    for directory in CONTROLLER_DIRS:
        for path in sorted(directory.glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                        and isinstance(node.value.value, ast.Name)
                        and node.value.value.id == "self"
                        and node.value.attr in FACADE_ATTRIBUTES):
                    calls.add((path.name, node.value.attr, node.attr))
    return calls


def _ids(pair: tuple[type, type]) -> str:
    return pair[1].__name__


@pytest.mark.parametrize("facade, fake", FAKES, ids=[_ids(p) for p in FAKES])
def test_every_method_of_a_fake_is_its_facades(facade, fake):
    real = _public_methods(facade)
    for name, method in _public_methods(fake).items():
        assert name in real, f"{fake.__name__}.{name}: {facade.__qualname__} has no {name}"
        assert _parameters(method) == _parameters(real[name]), (
            f"{fake.__name__}.{name}{inspect.signature(method)} is not "
            f"{facade.__qualname__}.{name}{inspect.signature(real[name])}")


def test_the_scan_sees_every_facade_in_use():
    """Each facade is called by some controller, so the scan below still matches
    how controllers are written."""
    assert {attribute for _, attribute, _ in _facade_calls()} == set(FACADE_ATTRIBUTES)


def test_controllers_call_only_what_the_facades_have():
    missing = sorted(f"{module}: {attribute}.{name}"
                     for module, attribute, name in _facade_calls()
                     if name not in _public_methods(FACADE_ATTRIBUTES[attribute]))
    assert missing == []


@pytest.mark.parametrize("facade, fake", FAKES, ids=[_ids(p) for p in FAKES])
def test_a_fake_has_every_method_the_controllers_call(facade, fake):
    called = {name for _, attribute, name in _facade_calls()
              if FACADE_ATTRIBUTES[attribute] is facade}
    assert called - set(_public_methods(fake)) == set()


def test_no_controller_holds_an_rpc_client():
    """Only the construction point imports an RPC client module or names one."""
    offenders = []
    for path in sorted(API_DIR.rglob("*.py")):
        if path == CONSTRUCTION_POINT:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Attribute):
                names = [node.attr]
            else:
                continue
            offenders += [f"{path.relative_to(API_DIR)}: {name}" for name in names
                          if name.endswith(("rpcapi", "conductor_api", "compute_rpc"))]
    assert offenders == []
