"""Host filters: small yes/no checks, run in the order the operator lists them.

Each filter answers one question about one host ("is its service up?",
"does the flavor's RAM fit?"); the pipeline records what each one removed,
so a failed request can say which check left it without a host.
"""

from typing import TYPE_CHECKING

from minova.scheduler import loadables
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState


class BaseHostFilter:
    """A feasibility check: host_passes() says whether a host can take the instance."""

    @property
    def name(self) -> str:
        return type(self).__name__

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        """True if ``host_state`` can take one instance of ``spec`` (a SchedulingSpec)."""
        raise NotImplementedError

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        """The hosts that pass; a filter may override this only to go faster."""
        host_passes = self.host_passes
        return [h for h in hosts if host_passes(h, spec)]


def make_record(name: str, before: list["HostState"], after: list["HostState"]) -> dict:
    """The decision entry for one filter: counts in and out, and who was removed."""
    if len(after) == len(before):
        removed = []
    else:
        kept = {id(h) for h in after}
        removed = [h.host for h in before if id(h) not in kept]
    return {"name": name, "in": len(before), "out": len(after), "removed": removed}


_LOADER = loadables.PluginLoader(__name__, BaseHostFilter, "filter",
                                 "[filter_scheduler] enabled_filters")


def all_filters() -> dict[str, type[BaseHostFilter]]:
    """Every filter an operator may name in ``[filter_scheduler] enabled_filters``."""
    return _LOADER.classes()


def load_filters(names: list[str]) -> list[BaseHostFilter]:
    """Instances of the named filters, in order; a typo fails at service start."""
    return _LOADER.load(names)
