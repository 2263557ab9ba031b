"""Specs that shape the placement request: ``resources{group}:<CLASS>``,
``trait{group}:<TRAIT>`` and ``group_policy``.

``{group}`` is the optional suffix of a granular request group
(``resources1:VCPU``, ``trait_gpu:HW_GPU_API_VULKAN``). Nova checks the
class and trait names against os-resource-classes and os-traits; minova
does not depend on those libraries, so any upper-case name of their form is
accepted (standard names and ``CUSTOM_*`` alike) while the value is checked.
"""

from minova.api.extra_specs.spec import Spec

_GROUP = r"([a-zA-Z0-9_-]{1,64})?"
_NAME = r"[A-Z0-9_]+"

SPECS = (
    Spec("resources{group}:{resource_class}", int,
         params={"group": _GROUP, "resource_class": _NAME},
         description="The amount of a resource class requested."),
    Spec("trait{group}:{trait}", enum=("required", "forbidden"),
         params={"group": _GROUP, "trait": _NAME},
         description="Require or forbid a trait."),
    # un-namespaced
    Spec("group_policy", enum=("isolate", "none"),
         description="Whether granular request groups must be served by "
                     "different resource providers."),
)
