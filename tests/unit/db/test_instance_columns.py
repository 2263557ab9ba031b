"""instance_columns: what a server list reads and how rows become dicts.

That a cut list equals the full rows on SQLite, MariaDB and PostgreSQL is
test_instances_list's check_columns_are_the_full_rows_part (run on the
real servers by tests/functional/test_listing_backends.py); here, the
MariaDB text timestamps' conversion and which columns are read as text.
"""

import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from minova.db import instance_columns, models

_inst = models.instances


class _Result:
    """What to_dicts reads of a SQLAlchemy result: keys() and the rows."""

    def __init__(self, keys, rows):
        self._keys, self._rows = keys, rows

    def keys(self):
        return self._keys

    def __iter__(self):
        return iter(self._rows)


@pytest.mark.parametrize("stored, iso", [
    ("2026-11-21 06:00:00.000000", "2026-11-21T06:00:00"),
    ("2026-11-21 06:00:00.000120", "2026-11-21T06:00:00.000120"),
    ("2026-11-21 06:00:00.123456", "2026-11-21T06:00:00.123456"),
])
def test_a_timestamp_read_as_text_is_what_isoformat_gives(stored, iso):
    parsed = datetime.datetime.fromisoformat(stored)
    assert parsed.isoformat() == iso
    result = _Result(["uuid", "created_at", "launched_at", "display_name"],
                     [("u1", stored, None, "2026-11-21 06:00:00.000000"),
                      ("u2", parsed, None, "x")])
    assert instance_columns.to_dicts(result) == [
        {"uuid": "u1", "created_at": iso, "launched_at": None,
         "display_name": "2026-11-21 06:00:00.000000"},
        {"uuid": "u2", "created_at": iso, "launched_at": None, "display_name": "x"}]


def test_only_mariadb_reads_timestamps_as_text():
    selected, _faults, _tags = instance_columns.selected(
        ["display_name", "created_at", "launched_at", "flavor.flavorid"])
    assert instance_columns.for_list(selected, "sqlite") == (selected, ())
    assert instance_columns.for_list(selected, "postgresql") == (selected, ())
    as_text, json_text = instance_columns.for_list(selected, "mysql")
    # flavor.flavorid is the extracted id (a string), not the JSON column.
    assert json_text == ()
    sql = str(sa.select(*as_text).compile(dialect=mysql.dialect()))
    assert "CAST(instances.created_at AS CHAR) AS created_at" in sql
    assert "CAST(instances.launched_at AS CHAR) AS launched_at" in sql
    assert "instances.display_name," in sql and "CAST(instances.display_name" not in sql
    assert [getattr(c, "name", None) for c in as_text] == [
        getattr(c, "name", None) for c in selected]


@pytest.mark.parametrize("dialect, text", [("mysql", True), ("mariadb", True),
                                           ("sqlite", True), ("postgresql", False)])
def test_json_columns_are_read_as_text_where_the_driver_gives_text(dialect, text):
    selected, _faults, _tags = instance_columns.selected(
        ["display_name", "metadata", "flavor", "scheduler_hints"])
    as_text, json_text = instance_columns.for_list(selected, dialect)
    assert set(json_text) == ({"metadata", "flavor", "scheduler_hints"} if text else set())
    # The SQL reads the same columns under the same names.
    assert [c.name for c in as_text] == [c.name for c in selected]


def test_json_text_is_decoded_a_column_at_a_time():
    rows = [("u1", '{"role": "web"}', '["a", 1]'), ("u2", None, "null"),
            ("u3", "{}", '{"x": {"y": [true, 2.5]}}')]
    found = instance_columns.to_dicts(_Result(["uuid", "metadata", "scheduler_hints"], rows),
                                      ("metadata", "scheduler_hints"))
    assert found == [{"uuid": "u1", "metadata": {"role": "web"}, "scheduler_hints": ["a", 1]},
                     {"uuid": "u2", "metadata": None, "scheduler_hints": None},
                     {"uuid": "u3", "metadata": {}, "scheduler_hints": {"x": {"y": [True, 2.5]}}}]


@pytest.mark.parametrize("texts", [['1,2', '3'], ['1,2', ''], ['{"a": 1}', '']])
def test_text_that_is_not_one_document_per_row_is_not_spread_over_rows(texts):
    """Joined, ``1,2`` and ``3`` would decode as three values for two rows:
    each is then decoded alone, and the bad one raises."""
    rows = [(f"u{i}", text) for i, text in enumerate(texts)]
    with pytest.raises(ValueError):
        instance_columns.to_dicts(_Result(["uuid", "metadata"], rows), ("metadata",))
