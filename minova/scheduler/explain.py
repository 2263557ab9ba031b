"""A scheduling decision, as a table an operator can read.

The conductor stores each decision (see docs/architecture.md) in the
details of the ``conductor_schedule_and_build_instances`` event of the
server's ``create`` action; ``minova-manage scheduler explain SERVER``
prints it with this module.

A decision names only the first hosts each filter removed and gives the
weights of only the best few hosts (``[filter_scheduler]
decision_removed_hosts`` and ``decision_top_weights``), with counts of
the rest; decisions stored before that name every host, and render too.
"""


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=False)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = ["+" + line + "+"]
    for i, row in enumerate([headers] + rows):
        out.append("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths,
                                                                   strict=False)) + " |")
        if i == 0:
            out.append("+" + line + "+")
    out.append("+" + line + "+")
    return out


def _removed(entry: dict) -> str:
    """The hosts a filter removed as named, and how many more it did not name."""
    names = entry.get("removed") or []
    # An older decision has no count: it named every removed host.
    more = entry.get("removed_count", len(names)) - len(names)
    if more <= 0:
        return ", ".join(names) or "-"
    if not names:
        return f"{more} hosts, not named"
    return f"{', '.join(names)} and {more} more"


def render(decision: dict) -> str:
    """The filters' effect, the weights of the best hosts, and the choice."""
    lines = [f"Instance {decision.get('instance_uuid', '?')}: "
             f"{decision.get('hosts_considered', '?')} hosts considered"]
    filter_rows = [[f["name"], f["in"], f["out"], _removed(f)]
                   for f in decision.get("filters", [])]
    lines += _table(["filter", "in", "out", "removed"], filter_rows)
    weights = decision.get("weights") or {}
    if weights:
        weighers = sorted({k for entry in weights.values() for k in entry if k != "total"})
        ordered = sorted(weights.items(), key=lambda item: item[1].get("total", 0),
                         reverse=True)
        rows = [[host] + [f"{entry.get(w, 0):.3f}" for w in weighers]
                + [f"{entry.get('total', 0):.3f}"] for host, entry in ordered]
        lines += _table(["host"] + weighers + ["total"], rows)
        # An older decision has no count: it gave every weighed host.
        unshown = decision.get("hosts_weighed", len(weights)) - len(weights)
        if unshown > 0:
            lines.append(f"and {unshown} more hosts weighed")
    lines.append(f"Winner: {decision.get('winner')}; alternates: "
                 f"{', '.join(decision.get('alternates') or []) or 'none'}")
    return "\n".join(lines)
