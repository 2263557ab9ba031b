"""Which columns a server list reads, and how its rows become the dicts
that cross RPC (for ``minova.db.instances.get_all``).

A page of 1000 servers is read, decoded and sent whole on every list
request; what is done here per row and per value (select less, let the
database extract, skip a parse and a format) is what the list costs.
"""

import json

import sqlalchemy as sa

from minova import exception
from minova.db import models

_inst = models.instances


# What get_all's ``columns`` may name besides the table's columns: the
# instance's newest fault, its tags, and its flavor snapshot cut to the
# flavor's id (``flavor`` is then ``{"flavorid": ...}``, or ``{}`` if the
# snapshot has none): all a server list shows of it below API 2.47.
LIST_EXTRAS = ("fault", "tags", "flavor.flavorid")


def selected(columns: list[str] | None) -> tuple[list, bool, bool]:
    """The columns to read for ``columns`` (all when None) and whether faults
    and tags are wanted. ``uuid`` is always read (the extras hang on it),
    ``vm_state`` when faults are (only ERROR/DELETED instances show one)."""
    if columns is None:
        return list(_inst.columns), True, True
    unknown = [c for c in columns if c not in _inst.c and c not in LIST_EXTRAS]
    if unknown:
        raise exception.InvalidInput(reason=f"no such instance columns: {unknown}")
    faults, tags = "fault" in columns, "tags" in columns
    wanted = {"uuid", *columns, *(("vm_state",) if faults else ())}
    selected = [c for c in _inst.columns if c.name in wanted]
    if "flavor.flavorid" in wanted and "flavor" not in wanted:
        selected.append(FLAVOR_ID)
    return selected, faults, tags


# The flavor snapshot's id alone, read by the database (JSON_EXTRACT and
# its kin), so that a list below 2.47 neither reads nor JSON-decodes 1000
# whole snapshots for their ids; None when the snapshot is null or has none.
FLAVOR_ID = _inst.c.flavor["flavorid"].as_string().label("flavor")


def flavor_ids_only(rows: list[dict]) -> None:
    """Each row's flavor as ``{"flavorid": ...}`` from the id the database
    extracted (see LIST_EXTRAS and FLAVOR_ID), ``{}`` where it found none."""
    for row in rows:
        flavor_id = row["flavor"]
        row["flavor"] = {"flavorid": flavor_id} if flavor_id is not None else {}


def to_dicts(result, json_text: tuple[str, ...] = ()) -> list[dict]:
    """rows.to_dict of every row, with the timestamp columns found once per
    result rather than by testing every value of every row (a timestamp
    read as text, see for_list, is made ISO 8601 the same way); the JSON
    columns named in ``json_text`` were read as text and are decoded here."""
    keys = list(result.keys())
    stamps = [k for k in keys if k in _inst.c and isinstance(_inst.c[k].type, sa.DateTime)]
    dicts = []
    for row in result:
        values = dict(zip(keys, row))
        for key in stamps:
            value = values[key]
            if value is None:
                continue
            if type(value) is str:
                value = value.replace(" ", "T", 1)
                values[key] = value[:-7] if value.endswith(".000000") else value
            else:
                values[key] = value.isoformat()
        dicts.append(values)
    for key in json_text:
        _decode_json_column(dicts, key)
    return dicts


def _decode_json_column(dicts: list[dict], key: str) -> None:
    """Decode one JSON column of every row with one ``json.loads`` of them
    all as an array, rather than one call per value (SQLAlchemy's way):
    at 1000 rows and five JSON columns (the newest microversions) those
    calls were a sixth of the conductor's time. Each value is a JSON
    document minova wrote; should the array not come out one value per
    row, each is decoded on its own (and a bad one raises)."""
    texts = ["null" if row[key] is None else row[key] for row in dicts]
    try:
        values = json.loads("[" + ",".join(texts) + "]")
    except ValueError:
        values = None
    if values is None or len(values) != len(dicts):
        values = [json.loads(text) for text in texts]
    for row, value in zip(dicts, values):
        row[key] = value


_TEXT_STAMPS = ("mysql", "mariadb")
_TEXT_JSON = ("mysql", "mariadb", "sqlite")


def for_list(selected: list, dialect: str) -> tuple[list, tuple[str, ...]]:
    """The list's selection with what is cheaper read as text, and the JSON
    columns read so (for to_dicts to decode).

    Timestamps, on MariaDB/MySQL: PyMySQL turns every DATETIME into a
    datetime (a regular expression and an int() of each part, in Python)
    that to_dicts formats back into a string, about a tenth of the
    conductor's time for a page of 1000 servers. ``CAST(... AS CHAR)`` of
    a DATETIME(6) is ``YYYY-MM-DD HH:MM:SS.ffffff``; ``isoformat()``
    differs only by its ``T`` and by leaving out a zero fraction, which
    to_dicts applies. PostgreSQL's text form differs more (it trims the
    fraction's zeros), so there the driver's datetimes stay.

    JSON columns, where the driver hands over the stored text (MariaDB's
    JSON is LONGTEXT, SQLite's TEXT; psycopg parses JSON itself): read as
    text (no SQL change) and decoded a column at a time
    (_decode_json_column).
    """
    stamps, texts = dialect in _TEXT_STAMPS, dialect in _TEXT_JSON
    chosen, json_text = [], []
    for column in selected:
        if isinstance(column, sa.Column):
            if stamps and isinstance(column.type, sa.DateTime):
                column = sa.cast(column, sa.String).label(column.name)
            elif texts and isinstance(column.type, sa.JSON):
                json_text.append(column.name)
                column = sa.type_coerce(column, sa.Text).label(column.name)
        chosen.append(column)
    return chosen, tuple(json_text)
