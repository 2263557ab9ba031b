"""Image records: the metadata of the image service (the bytes live in the api's store).

An image row is returned as a plain dict: every column of ``images`` plus
``tags`` (a list of strings) and ``os_hidden`` (a bool). The table has no
column for those two, so they are kept in the ``properties`` JSON under
reserved keys of Glance's ``os_glance`` namespace (which users can never
set) and split out here on every read: ``properties`` as returned holds
only the users' custom properties.

Nothing here checks who is asking; ``minova.conductor.images`` decides
which images a context may see or change and passes ``project_id`` to
``image_get_all`` for the list query. That is the split of every resource:
a conductor door with the rules, a db module with the queries.
"""

import uuid as uuidlib

import sqlalchemy as sa

from minova import exception
from minova.db import models
from minova.db.engine import get_engine
from minova.db.rows import to_dict, utcnow

_images = models.images

# Reserved keys of the properties JSON (see the module docstring).
TAGS_KEY = "os_glance_minova_tags"
HIDDEN_KEY = "os_glance_minova_hidden"

# Visibilities every project may read.
OPEN_VISIBILITIES = ("public", "community")

# Columns ``image_update`` may write (id, owner and created_at never change).
UPDATABLE = frozenset({"name", "status", "visibility", "disk_format", "container_format",
                       "size", "min_disk", "min_ram", "checksum", "os_hash_algo",
                       "os_hash_value", "protected", "tags", "os_hidden"})

# Filters of ``image_get_all`` that compare one column for equality.
COLUMN_FILTERS = ("id", "name", "status", "visibility", "owner", "disk_format",
                  "container_format", "protected")


def _to_image(row) -> dict:
    image = to_dict(row)
    properties = dict(image.get("properties") or {})
    image["tags"] = list(properties.pop(TAGS_KEY, None) or [])
    image["os_hidden"] = properties.pop(HIDDEN_KEY, "false") == "true"
    image["properties"] = properties
    return image


def _fold_extras(values: dict, properties: dict) -> dict:
    """Move ``tags``/``os_hidden`` of ``values`` into the stored properties."""
    if "tags" in values:
        tags = values.pop("tags")
        if tags:
            properties[TAGS_KEY] = list(dict.fromkeys(tags))
        else:
            properties.pop(TAGS_KEY, None)
    if "os_hidden" in values:
        if values.pop("os_hidden"):
            properties[HIDDEN_KEY] = "true"
        else:
            properties.pop(HIDDEN_KEY, None)
    return properties


def _prop(key: str):
    """One custom property as a string SQL expression (NULL when absent)."""
    return _images.c.properties[key].as_string()


def image_get(image_id: str, conn=None) -> dict:
    """The image whatever its visibility; ``ImageNotFound`` when there is none."""
    query = sa.select(_images).where(_images.c.id == image_id)
    if conn is not None:
        row = conn.execute(query).first()
    else:
        with get_engine().connect() as new:
            row = new.execute(query).first()
    if row is None:
        raise exception.ImageNotFound(image_id=image_id)
    return _to_image(row)


def _visible_clause(project_id: str):
    return sa.or_(_images.c.visibility.in_(OPEN_VISIBILITIES),
                  _images.c.owner == project_id)


def image_get_all(filters: dict | None = None, limit: int | None = None,
                  marker: str | None = None, project_id: str | None = None) -> list[dict]:
    """Images newest first (``created_at``, then ``id``, both descending).

    ``project_id`` None lists every image (an admin); otherwise only the
    public and community images and that project's own. ``filters``: any of
    ``COLUMN_FILTERS`` (equality; a list means "any of"), ``os_hidden``
    (bool; hidden images are left out unless it is True), ``properties``
    (``{key: value}`` equality on custom properties). ``marker`` is the id of
    the last image of the previous page (``MarkerNotFound`` when the caller
    cannot see it).
    """
    filters = dict(filters or {})
    query = sa.select(_images)
    if project_id is not None:
        query = query.where(_visible_clause(project_id))
    for key in COLUMN_FILTERS:
        if key in filters and filters[key] is not None:
            value = filters[key]
            column = _images.c[key]
            query = query.where(column.in_(value) if isinstance(value, list | tuple)
                                else column == value)
    if "os_hidden" in filters and filters["os_hidden"] is not None:
        hidden = sa.func.coalesce(_prop(HIDDEN_KEY), "false") == "true"
        query = query.where(hidden if filters["os_hidden"] else sa.not_(hidden))
    for key, value in (filters.get("properties") or {}).items():
        query = query.where(_prop(key) == str(value))
    with get_engine().connect() as conn:
        if marker is not None:
            marker_query = sa.select(_images.c.created_at, _images.c.id).where(
                _images.c.id == marker)
            if project_id is not None:
                marker_query = marker_query.where(_visible_clause(project_id))
            last = conn.execute(marker_query).first()
            if last is None:
                raise exception.MarkerNotFound(marker=marker)
            query = query.where(sa.or_(
                _images.c.created_at < last.created_at,
                sa.and_(_images.c.created_at == last.created_at, _images.c.id < last.id)))
        query = query.order_by(_images.c.created_at.desc(), _images.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        return [_to_image(row) for row in conn.execute(query)]


def image_create(values: dict) -> dict:
    """Insert an image; ``ImageExists`` when the id is taken."""
    values = dict(values)
    unknown = set(values) - set(_images.c.keys()) - {"tags", "os_hidden"}
    if unknown:
        raise exception.Invalid(reason=f"unknown image attributes {sorted(unknown)}")
    values.setdefault("id", str(uuidlib.uuid4()))
    values.setdefault("status", "queued")
    values.setdefault("visibility", "shared")
    values.setdefault("min_disk", 0)
    values.setdefault("min_ram", 0)
    values.setdefault("protected", False)
    values["properties"] = _fold_extras(values, dict(values.get("properties") or {}))
    now = utcnow()
    values.setdefault("created_at", now)
    values.setdefault("updated_at", values["created_at"])
    with get_engine().begin() as conn:
        if conn.execute(sa.select(_images.c.id).where(
                _images.c.id == values["id"])).first() is not None:
            raise exception.ImageExists(image_id=values["id"])
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(_images).values(**values))
        except sa.exc.IntegrityError as exc:
            raise exception.ImageExists(image_id=values["id"]) from exc
        return image_get(values["id"], conn)


def image_update(image_id: str, values: dict, properties: dict | None = None,
                 remove_properties: list | None = None,
                 expected_status: str | list | None = None) -> dict:
    """Change columns and custom properties of one image, in one transaction.

    ``properties`` are set (added or replaced), ``remove_properties`` are
    dropped (absent ones are ignored). With ``expected_status`` the write
    is a compare-and-swap on the status: ``ImageStatusConflict`` if the
    image is in another status by then.
    """
    values = dict(values)
    unknown = set(values) - UPDATABLE
    if unknown:
        raise exception.Invalid(reason=f"image attributes {sorted(unknown)} cannot be updated")
    if isinstance(expected_status, str):
        expected_status = [expected_status]
    with get_engine().begin() as conn:
        row = conn.execute(sa.select(_images).where(
            _images.c.id == image_id).with_for_update()).first()
        if row is None:
            raise exception.ImageNotFound(image_id=image_id)
        current = to_dict(row)
        if expected_status is not None and current["status"] not in expected_status:
            raise exception.ImageStatusConflict(current=current["status"],
                                                new=values.get("status", current["status"]))
        stored = dict(current.get("properties") or {})
        for key in remove_properties or ():
            stored.pop(key, None)
        stored.update(properties or {})
        values["properties"] = _fold_extras(values, stored)
        values["updated_at"] = utcnow()
        query = sa.update(_images).where(_images.c.id == image_id).values(**values)
        if expected_status is not None:
            query = query.where(_images.c.status.in_(expected_status))
        if conn.execute(query).rowcount != 1:
            raise exception.ImageStatusConflict(current=current["status"],
                                                new=values.get("status", current["status"]))
        return image_get(image_id, conn)


def image_delete(image_id: str) -> dict:
    """Delete the record of an unprotected image; returns what it was.

    ``ImageProtected`` when it is protected (the check and the delete are
    one statement, so a concurrent ``protected: true`` cannot slip between).
    """
    with get_engine().begin() as conn:
        image = image_get(image_id, conn)
        deleted = conn.execute(sa.delete(_images).where(
            _images.c.id == image_id, _images.c.protected == sa.false())).rowcount
        if deleted != 1:
            image_get(image_id, conn)  # ImageNotFound if it went meanwhile
            raise exception.ImageProtected(image_id=image_id)
    return image
