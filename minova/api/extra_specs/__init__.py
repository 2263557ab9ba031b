"""The flavor extra specs minova knows, and the check of one (API 2.86).

Each namespace's specs are declared in the module named for it (``hw``,
``placement``, ``scheduling``, ``quota``, ``devices``, ``drivers``) as a
table of :class:`~minova.api.extra_specs.spec.Spec`; ``registry`` puts them
together and validates a key/value pair. The keys, their value types,
enumerations and ranges are Nova's, so a flavor accepted by one is accepted
by the other.
"""

from minova.api.extra_specs.registry import validate

__all__ = ["validate"]
