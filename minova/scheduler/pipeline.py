"""Placement as a pipeline: exclusions, filters, weighers, pick, consume.

Per instance of a request, the candidate hosts go through each filter in
order (stopping when none is left), the survivors are weighed, a winner is
picked among the best ``host_subset_size`` and the next best become its
alternates. Every step is written into a decision record (how many hosts
each filter removed and the first few of them, the weights of the best few
survivors, the winner), the trace an operator reads to learn why an
instance went where it did, or nowhere. The record is bounded, as Nomad's
allocation metrics are: naming every host took two thirds of the
pipeline's time at 10,000 hosts.
"""

import itertools
import random
from collections.abc import Iterable

from oslo_log import log as logging

import minova.conf
from minova import exception
from minova.scheduler import filters as base_filters
from minova.scheduler import weights as base_weights
from minova.scheduler.exclusions import exclude_hosts
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec

CONF = minova.conf.CONF
LOG = logging.getLogger(__name__)

# A log line names at most this many hosts.
_MAX_LOGGED_HOSTS = 10


def _hosts_text(names: list[str], count: int | None = None) -> str:
    """Up to _MAX_LOGGED_HOSTS of ``names``, and how many more of ``count`` there are."""
    count = len(names) if count is None else count
    shown = names[:_MAX_LOGGED_HOSTS]
    text = ", ".join(shown)
    if count > len(shown):
        text += f" and {count - len(shown)} more"
    return text


def run_filters(filters: list[base_filters.BaseHostFilter], hosts: list[HostState],
                spec: SchedulingSpec, max_names: int) -> tuple[list[HostState], list[dict]]:
    """The hosts that pass every filter, and one record per filter that ran.

    A record names at most ``max_names`` of the hosts its filter removed.
    """
    records = []
    for host_filter in filters:
        if not hosts:
            break
        passed = host_filter.filter_all(hosts, spec)
        record = base_filters.make_record(host_filter.name, hosts, passed, max_names)
        records.append(record)
        if record["removed"]:
            LOG.info("Filter %s returned %d of %d hosts (removed: %s)", record["name"],
                     record["out"], record["in"],
                     _hosts_text(record["removed"], record["removed_count"]))
        else:
            LOG.info("Filter %s returned %d of %d hosts", record["name"],
                     record["out"], record["in"])
        hosts = passed
    return hosts, records


class Ranking:
    """The weighed hosts best first, and what each weigher gave them.

    A decision keeps the weights of a few hosts only, and a dict per host
    for all of them took longer, at 10,000 hosts, than the weighing. So
    the weights stay in one list per weigher and a host's entry is built
    when asked for.
    """

    def __init__(self, hosts: list[HostState], totals: list[float],
                 columns: list[tuple[str, list[float]]]) -> None:
        # Equal totals keep the given order (the sort is stable).
        self._order = sorted(range(len(hosts)), key=totals.__getitem__, reverse=True)
        self.hosts = [hosts[i] for i in self._order]
        self._totals = totals
        self._columns = columns

    def weights(self, rank: int) -> dict[str, float]:
        """``{weigher: normalised, ..., "total": w}`` of ``self.hosts[rank]``."""
        i = self._order[rank]
        entry = {name: column[i] for name, column in self._columns}
        entry["total"] = self._totals[i]
        return entry

    def record(self, ranks: Iterable[int]) -> dict[str, dict[str, float]]:
        """``{host: weights}`` of the hosts at ``ranks``, best first: a decision's ``weights``."""
        return {self.hosts[rank].host: self.weights(rank) for rank in sorted(set(ranks))}


def weigh(weighers: list[base_weights.BaseHostWeigher], hosts: list[HostState],
          spec: SchedulingSpec) -> Ranking:
    """The hosts ranked by total weight, best first.

    Equal totals keep the conductor's order, so the same inputs always
    give the same ranking. Weighers with no say in this request
    (``has_say``) are skipped and absent from the weights.
    """
    totals = [0.0] * len(hosts)
    columns = []
    for weigher in (w for w in weighers if w.has_say(spec)):
        normalised = base_weights.normalize(weigher.weigh_objects(hosts, spec),
                                            weigher.minval, weigher.maxval)
        multiplier = weigher.weight_multiplier()
        totals = [t + multiplier * w for t, w in zip(totals, normalised, strict=True)]
        columns.append((weigher.name, normalised))
    return Ranking(hosts, totals, columns)


def no_valid_host_reason(records: list[dict], placed: int, wanted: int,
                         min_count: int | None = None) -> str:
    """Name the checks that left no host, the way an operator would debug it."""
    removals = [f"{r['name']} removed {r['in'] - r['out']} of {r['in']} hosts"
                for r in records if r["out"] < r["in"]]
    if removals:
        reason = "There are not enough hosts available: " + ", ".join(removals)
    else:
        reason = "There are not enough hosts available: no compute hosts are known"
    if wanted > 1:
        at_least = f", min_count {min_count}" if min_count and min_count < wanted else ""
        reason += f" (placed {placed} of {wanted} instances before none was left{at_least})"
    return reason


class FilterPipeline:
    """Places the instances of one request on host states: at least min_count, or none."""

    def __init__(self, filters: list[base_filters.BaseHostFilter],
                 weighers: list[base_weights.BaseHostWeigher],
                 rng: random.Random | None = None) -> None:
        self.filters = filters
        self.weighers = weighers
        # Injectable so host_subset_size can be tested without chance.
        self.rng = rng or random.Random()

    def place(self, hosts: list[HostState], request_spec: dict,
              instance_uuids: list[str] | None) -> dict:
        """``{"selections": [...], "decisions": [...]}``, consuming on the winners.

        Places as many instances as fit. If fewer than the spec's
        ``min_count`` (default: all of them) found a host, raises
        NoValidHost and gives back what the placed ones consumed, since none
        of them will be built; otherwise an unplaced instance gets an empty
        selection list and a decision with winner None and the reason.
        """
        uuids = list(instance_uuids or request_spec.get("instance_uuids")
                     or [None] * request_spec.get("num_instances", 1))
        # A rebuild's check (Nova's ``_nova_check_type: rebuild``): the spec
        # names the server's own host as its requested destination, only
        # the filters about the image run, and nothing is consumed (the
        # server holds its room there already).
        rebuild = bool(request_spec.get("rebuild"))
        filters = [f for f in self.filters if f.RUN_ON_REBUILD] if rebuild else self.filters
        min_count = max(1, min(request_spec.get("min_count") or len(uuids), len(uuids)))
        spec = SchedulingSpec(request_spec)
        subset_size = CONF.filter_scheduler.host_subset_size
        max_alternates = CONF.filter_scheduler.max_alternates
        max_names = CONF.filter_scheduler.decision_removed_hosts
        top_weights = CONF.filter_scheduler.decision_top_weights
        candidates, exclusions = exclude_hosts(hosts, request_spec, max_names)
        for record in exclusions:
            LOG.info("%s excluded %d of %d hosts (removed: %s)", record["name"],
                     record["removed_count"], record["in"],
                     _hosts_text(record["removed"], record["removed_count"]))

        # Each winner joins the request's server group's hosts, so the group
        # filters and weighers see it when placing the next instance (as Nova).
        group = request_spec.get("instance_group")
        group_hosts = group.setdefault("hosts", []) if group else None
        group_hosts_before = len(group_hosts or ())

        selections, decisions, placed = [], [], []
        try:
            for position, uuid in enumerate(uuids):
                survivors, records = run_filters(filters, candidates, spec, max_names)
                records = [dict(r) for r in exclusions] + records
                if not survivors:
                    reason = no_valid_host_reason(records, len(placed), len(uuids), min_count)
                    if len(placed) < min_count:
                        raise exception.NoValidHost(reason=reason)
                    # Nothing changes once an instance finds no host, so
                    # neither would the rest: they all stay unplaced.
                    self._unplaced(uuids[position:], len(hosts), records, reason,
                                   selections, decisions)
                    break
                ranking = weigh(self.weighers, survivors, spec)
                ordered = ranking.hosts
                winner_rank = self._pick(len(ordered), subset_size)
                alternate_ranks = self._alternates(ordered, winner_rank, max_alternates)
                winner = ordered[winner_rank]
                alternates = [ordered[rank] for rank in alternate_ranks]
                # The best few, and the chosen ones wherever they rank.
                weights = ranking.record(itertools.chain(
                    range(min(top_weights, len(ordered))), [winner_rank], alternate_ranks))
                if not rebuild:
                    winner.consume(spec.requested)
                    placed.append(winner)
                if group_hosts is not None:
                    group_hosts.append(winner.host)
                selections.append([h.selection() for h in [winner, *alternates]])
                decisions.append({
                    "instance_uuid": uuid,
                    "hosts_considered": len(hosts),
                    "filters": records,
                    "weights": weights,
                    "hosts_weighed": len(ordered),
                    "winner": winner.host,
                    "alternates": [h.host for h in alternates],
                })
                LOG.info("Selected host %s (weight %.3f) for instance %s; alternates: %s",
                         winner.host, ranking.weights(winner_rank)["total"], uuid,
                         _hosts_text([h.host for h in alternates]) or "none")
        except exception.NoValidHost:
            for host_state in placed:
                host_state.release(spec.requested)
            if group_hosts is not None:
                del group_hosts[group_hosts_before:]
            raise
        return {"selections": selections, "decisions": decisions}

    @staticmethod
    def _unplaced(uuids: list, hosts_considered: int, records: list[dict], reason: str,
                  selections: list, decisions: list) -> None:
        LOG.info("No host for instances %s: %s", _hosts_text([str(u) for u in uuids]), reason)
        for uuid in uuids:
            selections.append([])
            decisions.append({
                "instance_uuid": uuid,
                "hosts_considered": hosts_considered,
                "filters": [dict(r) for r in records],
                "weights": {},
                "hosts_weighed": 0,
                "winner": None,
                "alternates": [],
                "reason": reason,
            })

    def _pick(self, count: int, subset_size: int) -> int:
        """The winner's rank: 0, or a random one of the best few to spread racing schedulers."""
        if subset_size <= 1 or count == 1:
            return 0
        return self.rng.randrange(min(subset_size, count))

    @staticmethod
    def _alternates(ordered: list[HostState], winner_rank: int,
                    max_alternates: int) -> list[int]:
        """The ranks of the next best hosts, never the winner's host nor one host twice."""
        ranks: list[int] = []
        seen = {ordered[winner_rank].host}
        for rank, host_state in enumerate(ordered):
            if len(ranks) >= max_alternates:
                break
            if host_state.host not in seen:
                seen.add(host_state.host)
                ranks.append(rank)
        return ranks
