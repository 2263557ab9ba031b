"""Host filters: small yes/no checks, run in the order the operator lists them.

Each filter answers one question about one host ("is its service up?",
"does the flavor's RAM fit?"); the pipeline records how many hosts each
one removed, naming the first few, so a failed request can say which check
left it without a host.
"""

from typing import TYPE_CHECKING

from minova.scheduler import loadables
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState


class BaseHostFilter:
    """A feasibility check: host_passes() says whether a host can take the instance."""

    # Nova's RUN_ON_REBUILD: whether the filter has a say when a rebuild with
    # a new image is checked against the server's own host (only those about
    # the image do: the server already holds its room there).
    RUN_ON_REBUILD = False

    @property
    def name(self) -> str:
        return type(self).__name__

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        """True if ``host_state`` can take one instance of ``spec`` (a SchedulingSpec)."""
        raise NotImplementedError

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        """The hosts that pass, in the order given; a filter may override this to go faster.

        The order matters: make_record finds the removed hosts by walking
        both lists side by side.
        """
        host_passes = self.host_passes
        return [h for h in hosts if host_passes(h, spec)]


def make_record(name: str, before: list["HostState"], after: list["HostState"],
                max_names: int) -> dict:
    """The decision entry for one filter: counts in and out, and the first removed hosts.

    Names at most ``max_names`` of the removed hosts (``[filter_scheduler]
    decision_removed_hosts``) and counts them all: naming every one (7,500
    of 10,000 hosts when a request names one of four zones) was most of
    the filtering time. ``after`` is ``before`` less the removed hosts, in the same
    order (filter_all's contract), so one walk that stops at the last name
    wanted finds them, usually within the first few hundred hosts.
    """
    removed_count = len(before) - len(after)
    wanted = min(removed_count, max_names)
    names: list[str] = []
    if wanted:
        passed = iter(after)
        next_passed = next(passed, None)
        for host_state in before:
            if host_state is next_passed:
                next_passed = next(passed, None)
            else:
                names.append(host_state.host)
                if len(names) == wanted:
                    break
    return {"name": name, "in": len(before), "out": len(after), "removed": names,
            "removed_count": removed_count, "removed_truncated": removed_count > len(names)}


_LOADER = loadables.PluginLoader(__name__, BaseHostFilter, "filter",
                                 "[filter_scheduler] enabled_filters")


def all_filters() -> dict[str, type[BaseHostFilter]]:
    """Every filter an operator may name in ``[filter_scheduler] enabled_filters``."""
    return _LOADER.classes()


def load_filters(names: list[str]) -> list[BaseHostFilter]:
    """Instances of the named filters, in order; a typo fails at service start."""
    return _LOADER.load(names)
