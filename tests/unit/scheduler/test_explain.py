"""Rendering a recorded scheduling decision as tables."""

from minova.scheduler import explain

# As decisions were stored before they were bounded: every removed host
# named, every survivor's weights, no counts.
DECISION = {
    "instance_uuid": "u1",
    "hosts_considered": 3,
    "filters": [
        {"name": "ComputeFilter", "in": 3, "out": 3, "removed": []},
        {"name": "RamFilter", "in": 3, "out": 2, "removed": ["h3"]},
    ],
    "weights": {"h1": {"RAMWeigher": 1.0, "CPUWeigher": 0.0, "total": 1.0},
                "h2": {"RAMWeigher": 0.0, "CPUWeigher": 1.0, "total": 2.0}},
    "winner": "h2",
    "alternates": ["h1"],
}


def test_render_shows_filters_weights_and_choice():
    text = explain.render(DECISION)
    lines = text.splitlines()
    assert lines[0] == "Instance u1: 3 hosts considered"
    assert any("RamFilter" in line and "| 3" in line and "h3" in line for line in lines)
    # survivors sorted by total weight, best first
    h1 = next(i for i, line in enumerate(lines) if line.startswith("| h1"))
    h2 = next(i for i, line in enumerate(lines) if line.startswith("| h2"))
    assert h2 < h1
    header = next(line for line in lines if line.startswith("| host"))
    assert header.split("|")[2:5] == [" CPUWeigher ", " RAMWeigher ", " total "]
    assert lines[-1] == "Winner: h2; alternates: h1"


def test_render_without_weights_or_alternates():
    text = explain.render({"hosts_considered": 0, "filters": [], "winner": None})
    assert "Winner: None; alternates: none" in text


BOUNDED = {
    "instance_uuid": "u2",
    "hosts_considered": 10000,
    "filters": [
        {"name": "ComputeFilter", "in": 10000, "out": 9700, "removed": ["h3", "h9"],
         "removed_count": 300, "removed_truncated": True},
        {"name": "RamFilter", "in": 9700, "out": 9690, "removed": [], "removed_count": 10,
         "removed_truncated": True},
        {"name": "DiskFilter", "in": 9690, "out": 9689, "removed": ["h7"], "removed_count": 1,
         "removed_truncated": False},
        {"name": "CoreFilter", "in": 9689, "out": 9689, "removed": [], "removed_count": 0,
         "removed_truncated": False},
    ],
    "weights": {"h1": {"RAMWeigher": 1.0, "total": 1.0},
                "h2": {"RAMWeigher": 0.9, "total": 0.9}},
    "hosts_weighed": 9689,
    "winner": "h1",
    "alternates": ["h2"],
}


def row(text: str, name: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(f"| {name} "))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_render_counts_what_a_bounded_decision_does_not_name():
    text = explain.render(BOUNDED)
    assert row(text, "ComputeFilter") == ["ComputeFilter", "10000", "9700", "h3, h9 and 298 more"]
    assert row(text, "RamFilter")[3] == "10 hosts, not named"
    assert row(text, "DiskFilter")[3] == "h7"
    assert row(text, "CoreFilter")[3] == "-"
    lines = text.splitlines()
    assert lines[-2] == "and 9687 more hosts weighed"
    assert lines[-1] == "Winner: h1; alternates: h2"


def test_render_an_old_decision_names_every_host_and_no_more():
    text = explain.render(DECISION)
    assert row(text, "RamFilter")[3] == "h3"
    assert row(text, "ComputeFilter")[3] == "-"
    assert "more" not in text
