"""Validation of an extra spec against the specs minova knows (Nova's).

Nova's rule, from API 2.86: a key it knows must carry a valid value; a key
it does not know is refused only when its namespace (the part before the
first ``:``) is one it knows, because a typo there (``hw:cpu_polcy``)
would otherwise be silently ignored by the scheduler and the virt driver.
Keys of other namespaces, and keys without one, belong to other services
or to the operator and are accepted as they are.
"""

import re

from minova import exception
from minova.api.extra_specs import devices, drivers, hw, placement, quota, scheduling
from minova.api.extra_specs.spec import Spec

SPECS: tuple[Spec, ...] = (
    *hw.SPECS, *placement.SPECS, *scheduling.SPECS, *quota.SPECS,
    *devices.SPECS, *drivers.SPECS,
)

_BY_NAME: dict[str, Spec] = {spec.name: spec for spec in SPECS if spec.is_literal}
_PARAMETRISED: tuple[Spec, ...] = tuple(spec for spec in SPECS if not spec.is_literal)
_NAMESPACES: tuple[re.Pattern, ...] = tuple(
    re.compile(regex) for regex in sorted({spec.namespace_regex for spec in SPECS
                                          if spec.namespace_regex is not None}))


def find(key: str) -> Spec | None:
    """The spec a key is an instance of, None for an unknown key."""
    spec = _BY_NAME.get(key)
    if spec is not None:
        return spec
    for spec in _PARAMETRISED:
        if spec.matches(key):
            return spec
    return None


def is_known_namespace(key: str) -> bool:
    """Whether a key's namespace is one of the known specs'."""
    if ":" not in key:
        return False
    namespace = key.split(":", 1)[0]
    return any(regex.fullmatch(namespace) for regex in _NAMESPACES)


def validate(key: str, value: str) -> None:
    """Raise ValidationError (a 400 with Nova's message) for a known key
    with a bad value or an unknown key in a known namespace."""
    spec = find(key)
    if spec is not None:
        spec.check_value(value)
        return
    if is_known_namespace(key):
        raise exception.ValidationError(
            f"Validation failed; extra spec '{key}' does not appear to be a valid extra spec.")
