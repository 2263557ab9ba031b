"""Rendering a recorded scheduling decision as tables."""

from minova.scheduler import explain

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
