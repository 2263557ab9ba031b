"""A scheduling decision, as a table an operator can read.

The conductor stores each decision (see docs/architecture.md) in the
details of the ``conductor_schedule_and_build_instances`` event of the
server's ``create`` action; ``minova-manage scheduler explain SERVER``
prints it with this module.
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


def render(decision: dict) -> str:
    """The filters' effect, every survivor's weights, and the choice."""
    lines = [f"Instance {decision.get('instance_uuid', '?')}: "
             f"{decision.get('hosts_considered', '?')} hosts considered"]
    filter_rows = [[f["name"], f["in"], f["out"], ", ".join(f["removed"]) or "-"]
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
    lines.append(f"Winner: {decision.get('winner')}; alternates: "
                 f"{', '.join(decision.get('alternates') or []) or 'none'}")
    return "\n".join(lines)
