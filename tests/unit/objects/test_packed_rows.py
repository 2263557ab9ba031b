"""packed_rows: a list of same-shaped dicts packed for the bus and back."""

import pytest

from minova.objects import packed_rows


def test_unpack_gives_back_the_dicts_in_order():
    rows = [{"uuid": "a", "flavor": {"flavorid": "1"}, "tags": ["x"], "fault": None},
            {"uuid": "b", "flavor": {}, "tags": [], "fault": {"code": 500}}]
    packed = packed_rows.pack(rows)
    assert packed == {"keys": ["uuid", "flavor", "tags", "fault"],
                      "rows": [["a", {"flavorid": "1"}, ["x"], None],
                               ["b", {}, [], {"code": 500}]]}
    assert packed_rows.unpack(packed) == rows
    assert [list(row) for row in packed_rows.unpack(packed)] == [list(row) for row in rows]


def test_nothing_packs_to_nothing():
    assert packed_rows.unpack(packed_rows.pack([])) == []


@pytest.mark.parametrize("odd", [{"uuid": "b"}, {"uuid": "b", "name": "n", "more": 1},
                                 {"uuid": "b", "other": "n"}])
def test_a_row_of_another_shape_is_refused(odd):
    with pytest.raises((ValueError, KeyError)):
        packed_rows.pack([{"uuid": "a", "name": "n"}, odd])
