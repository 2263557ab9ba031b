"""Host weighers: rank the hosts that passed every filter.

As in Nova (nova/weights.py): each weigher gives every host a raw weight,
the raw weights are normalised to [0, 1] across the hosts of this request,
and a host's total is the sum of multiplier * normalised weight. Normalising
is what lets weighers with different units (MB, cores, GB) be added up, and
the multipliers are the operator's say in how much each one counts.
"""

import minova.conf
from minova.scheduler import loadables
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec

CONF = minova.conf.CONF


def normalize(weight_list: list[float], minval: float | None = None,
              maxval: float | None = None) -> list[float]:
    """Scale to [0, 1] by min-max; all equal (no information) gives all 0.

    ``minval``/``maxval`` default to the list's own minimum and maximum; a
    weigher may fix them so that its scale does not depend on the hosts.
    """
    if not weight_list:
        return []
    if maxval is None:
        maxval = max(weight_list)
    if minval is None:
        minval = min(weight_list)
    maxval = float(maxval)
    minval = float(minval)
    if minval == maxval:
        return [0.0] * len(weight_list)
    span = maxval - minval
    return [(w - minval) / span for w in weight_list]


class BaseHostWeigher:
    """One ranking criterion; subclasses give a raw weight and a multiplier option."""

    minval: float | None = None
    maxval: float | None = None
    # The [filter_scheduler] option holding this weigher's multiplier.
    multiplier_option: str = ""

    @property
    def name(self) -> str:
        return type(self).__name__

    def weight_multiplier(self) -> float:
        """Read per request, so a changed option takes effect without a restart."""
        return getattr(CONF.filter_scheduler, self.multiplier_option)

    def has_say(self, spec: SchedulingSpec) -> bool:
        """False if this weigher would weigh every host alike for this request.

        weigh() then skips it, and leaves it out of the decision record:
        equal weights normalise to 0 and add nothing, and weighing 10,000
        hosts for nothing costs a millisecond (a server group weigher on a
        request without a group, say).
        """
        return True

    def _weigh_object(self, host_state: HostState, spec: SchedulingSpec) -> float:
        """The raw weight of one host: larger means preferred (before the multiplier)."""
        raise NotImplementedError

    def weigh_objects(self, hosts: list[HostState], spec: SchedulingSpec) -> list[float]:
        weigh = self._weigh_object
        return [weigh(h, spec) for h in hosts]


_LOADER = loadables.PluginLoader(__name__, BaseHostWeigher, "weigher",
                                 "[filter_scheduler] weight_classes")


def all_weighers() -> dict[str, type[BaseHostWeigher]]:
    """Every weigher an operator may name in ``[filter_scheduler] weight_classes``."""
    return _LOADER.classes()


def load_weighers(names: list[str]) -> list[BaseHostWeigher]:
    """Instances of the named weighers, in order; a typo fails at service start."""
    return _LOADER.load(names)
