"""Server tags (API 2.26): the ``tags`` rows of instances.

Helpers that run inside the caller's transaction: the instance queries
attach each instance's tags and filter by them, a create writes the tags
it was given (API 2.52), a delete removes them (as Nova's instance_destroy
does). A user's changes, with their state and limit checks, are in
``minova.db.server_attributes``.
"""

from collections.abc import Iterable

import sqlalchemy as sa

from minova.db import models

_tags = models.tags

# Nova's limits: tags per server, characters per tag.
MAX_TAG_COUNT = 50
MAX_TAG_LENGTH = 60


def get_by_instances(conn, instance_uuids: list[str]) -> dict[str, list[str]]:
    """Each instance's tags, sorted; instances without tags are absent."""
    found: dict[str, list[str]] = {}
    if not instance_uuids:
        return found
    rows = conn.execute(sa.select(_tags.c.resource_id, _tags.c.tag)
                        .where(_tags.c.resource_id.in_(instance_uuids))
                        .order_by(_tags.c.resource_id, _tags.c.tag))
    for resource_id, tag in rows:
        found.setdefault(resource_id, []).append(tag)
    return found


def attach(conn, instances: list[dict]) -> list[dict]:
    """Give every instance dict its ``tags`` (a sorted list), in one query."""
    by_uuid = get_by_instances(conn, [i["uuid"] for i in instances])
    for instance in instances:
        instance["tags"] = by_uuid.get(instance["uuid"], [])
    return instances


def add(conn, instance_uuid: str, tags: Iterable[str]) -> None:
    """Insert tags the instance does not have yet (duplicates given count once)."""
    rows = [{"resource_id": instance_uuid, "tag": tag} for tag in sorted(set(tags))]
    if rows:
        conn.execute(sa.insert(_tags), rows)


def count(conn, instance_uuid: str) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(_tags)
                        .where(_tags.c.resource_id == instance_uuid)).scalar_one()


def exists(conn, instance_uuid: str, tag: str) -> bool:
    return conn.execute(sa.select(_tags.c.tag).where(
        _tags.c.resource_id == instance_uuid, _tags.c.tag == tag)).first() is not None


def delete(conn, instance_uuid: str, tag: str) -> bool:
    """Remove one tag; False if the instance did not have it."""
    return conn.execute(sa.delete(_tags).where(
        _tags.c.resource_id == instance_uuid, _tags.c.tag == tag)).rowcount == 1


def delete_all(conn, instance_uuid: str) -> None:
    conn.execute(sa.delete(_tags).where(_tags.c.resource_id == instance_uuid))


def _has(instance_uuid_column, tag: str):
    return sa.exists().where(_tags.c.resource_id == instance_uuid_column, _tags.c.tag == tag)


def _has_any(instance_uuid_column, tags: list[str]):
    return sa.exists().where(_tags.c.resource_id == instance_uuid_column,
                             _tags.c.tag.in_(tags))


def filter_clauses(instance_uuid_column, filters: dict) -> list:
    """WHERE clauses for Nova's tag filters of the server list.

    ``tags``: every tag (t1 AND t2); ``tags-any``: at least one (t1 OR
    t2); ``not-tags``: not every one, NOT (t1 AND t2); ``not-tags-any``:
    none of them, NOT (t1 OR t2).
    """
    clauses = []
    if filters.get("tags"):
        clauses.append(sa.and_(*[_has(instance_uuid_column, t) for t in filters["tags"]]))
    if filters.get("tags-any"):
        clauses.append(_has_any(instance_uuid_column, list(filters["tags-any"])))
    if filters.get("not-tags"):
        clauses.append(sa.not_(sa.and_(
            *[_has(instance_uuid_column, t) for t in filters["not-tags"]])))
    if filters.get("not-tags-any"):
        clauses.append(sa.not_(_has_any(instance_uuid_column, list(filters["not-tags-any"]))))
    return clauses
