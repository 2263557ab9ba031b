"""Flavors, and the seeding of the standard flavors and the stand-in image.

Image records live in ``minova.db.images``.
"""

import uuid as uuidlib

import sqlalchemy as sa

from minova import exception
from minova.db import flavor_access as db_flavor_access
from minova.db import images as db_images
from minova.db import models
from minova.db.engine import get_engine
from minova.db.rows import to_dict, utcnow

_flavors = models.flavors


# The stand-in image the all-in-one seeds, so that a boot works at once.
STANDIN_IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b"

# Nova's standard flavors (its historical defaults): id, name, vcpus, MiB, GiB.
STANDARD_FLAVORS = [
    ("1", "m1.tiny", 1, 512, 1),
    ("2", "m1.small", 1, 2048, 20),
    ("3", "m1.medium", 2, 4096, 40),
    ("4", "m1.large", 4, 8192, 80),
    ("5", "m1.xlarge", 8, 16384, 160),
]


def flavor_get_all() -> list[dict]:
    """Every flavor, each with ``projects``: those a private one is shared with."""
    with get_engine().connect() as conn:
        rows = conn.execute(sa.select(_flavors).order_by(_flavors.c.memory_mb,
                                                          _flavors.c.flavorid))
        flavors = [to_dict(r) for r in rows]
        projects = db_flavor_access.projects_by_flavor(conn)
    for flavor in flavors:
        flavor["projects"] = projects.get(flavor["id"], [])
    return flavors


def flavor_get(flavorid: str, public_projects: bool = True) -> dict:
    """The flavor and the projects it is shared with; ``public_projects=False``
    skips reading those of a public flavor (only API 2.6 and before could
    add any, and they change nothing about who may use it)."""
    with get_engine().connect() as conn:
        row = conn.execute(sa.select(_flavors).where(_flavors.c.flavorid == str(flavorid))).first()
        if row is None:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        flavor = to_dict(row)
        flavor["projects"] = ([] if row.is_public and not public_projects else
                              db_flavor_access.projects_by_flavor(conn, [row.id]).get(row.id, []))
    return flavor


def flavor_create(values: dict) -> dict:
    values = dict(values)
    values.setdefault("flavorid", str(uuidlib.uuid4()))
    values["flavorid"] = str(values["flavorid"])
    values.setdefault("extra_specs", {})
    values["created_at"] = utcnow()
    with get_engine().begin() as conn:
        for key in ("flavorid", "name"):
            exists = conn.execute(sa.select(_flavors.c.id).where(
                _flavors.c[key] == values[key])).first()
            if exists is not None:
                raise exception.FlavorExists(key="id" if key == "flavorid" else "name",
                                             value=values[key])
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(_flavors).values(**values))
        except sa.exc.IntegrityError as exc:
            raise exception.FlavorExists(key="name", value=values["name"]) from exc
    return flavor_get(values["flavorid"])


def flavor_update(flavorid: str, values: dict) -> dict:
    """Change a flavor in place: only its ``description`` (API 2.55), as Nova
    allows; the rest of a flavor is what servers were built with."""
    values = {key: values[key] for key in ("description",) if key in values}
    with get_engine().begin() as conn:
        updated = conn.execute(sa.update(_flavors).where(
            _flavors.c.flavorid == str(flavorid)).values(updated_at=utcnow(), **values)).rowcount
    if updated != 1:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return flavor_get(flavorid)


def flavor_delete(flavorid: str) -> None:
    with get_engine().begin() as conn:
        row = conn.execute(sa.select(_flavors.c.id).where(
            _flavors.c.flavorid == str(flavorid)).with_for_update()).first()
        if row is not None:
            db_flavor_access.remove_all(conn, row.id)
        deleted = conn.execute(sa.delete(_flavors).where(
            _flavors.c.flavorid == str(flavorid))).rowcount
    if deleted != 1:
        raise exception.FlavorNotFound(flavor_id=flavorid)


def bootstrap() -> dict:
    """Seed the standard flavors and the stand-in image; idempotent.

    The image is a record only (no bytes): it lets a boot on the fake
    driver work out of the box until the image service stores real images.
    """
    created = {"flavors": [], "images": []}
    existing = {f["flavorid"] for f in flavor_get_all()}
    names = {f["name"] for f in flavor_get_all()}
    for flavorid, name, vcpus, ram, disk in STANDARD_FLAVORS:
        if flavorid in existing or name in names:
            continue
        flavor_create({"flavorid": flavorid, "name": name, "vcpus": vcpus, "memory_mb": ram,
                       "root_gb": disk, "ephemeral_gb": 0, "swap": 0, "rxtx_factor": 1.0,
                       "is_public": True, "disabled": False})
        created["flavors"].append(name)
    try:
        db_images.image_get(STANDIN_IMAGE_ID)
    except exception.ImageNotFound:
        db_images.image_create({"id": STANDIN_IMAGE_ID, "name": "cirros-standin",
                                "status": "active", "visibility": "public",
                                "disk_format": "qcow2", "container_format": "bare",
                                "size": 0, "min_disk": 0, "min_ram": 0,
                                "properties": {"minova_standin": "true"}})
        created["images"].append("cirros-standin")
    return created



def _extra_specs_row(conn, flavorid: str):
    row = conn.execute(sa.select(_flavors.c.id, _flavors.c.extra_specs)
                       .where(_flavors.c.flavorid == str(flavorid)).with_for_update()).first()
    if row is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return row


def flavor_extra_specs_update(flavorid: str, specs: dict) -> dict:
    """Merge ``specs`` into the flavor's extra specs (row locked: no lost update)."""
    with get_engine().begin() as conn:
        row = _extra_specs_row(conn, flavorid)
        merged = {**(row.extra_specs or {}), **specs}
        conn.execute(sa.update(_flavors).where(_flavors.c.id == row.id).values(
            extra_specs=merged, updated_at=utcnow()))
    return merged


def flavor_extra_specs_delete(flavorid: str, key: str) -> None:
    with get_engine().begin() as conn:
        row = _extra_specs_row(conn, flavorid)
        specs = dict(row.extra_specs or {})
        if key not in specs:
            raise exception.FlavorExtraSpecsNotFound(flavor_id=flavorid, extra_specs_key=key)
        del specs[key]
        conn.execute(sa.update(_flavors).where(_flavors.c.id == row.id).values(
            extra_specs=specs, updated_at=utcnow()))
