"""What a user may change on a server: name, description, access IPs, hostname,
metadata, tags.

Each change is one transaction that first locks the instance row (scoped
to the caller's project, so another project's server is not found),
checks the state Nova allows the change in, and writes. So two concurrent
metadata merges cannot lose each other's keys, and a tag cannot be added
past the limit by two requests at once. Lock order: the instance row,
then its tags (as ``minova.db.instances.soft_delete``).
"""

import sqlalchemy as sa

from minova import exception
from minova.context import RequestContext
from minova.db import instances as db_instances
from minova.db import models
from minova.db import quotas as db_quotas
from minova.db import tags as db_tags
from minova.db.engine import transaction
from minova.db.rows import utcnow

_inst = models.instances

# Nova's check_instance_state on metadata and tag changes: only a server
# that was built and is running, paused, suspended or stopped (any
# task_state). A building, errored or deleted one is a 409.
MUTABLE_VM_STATES = ("active", "paused", "suspended", "stopped")

# The columns ``update`` may write (PUT /servers/{id}; the hostname from API 2.90).
UPDATABLE_COLUMNS = ("display_name", "description", "access_ip_v4", "access_ip_v6",
                     "hostname")


def lock_row(conn, ctxt: RequestContext, instance_uuid: str):
    """The live instance row, locked until the transaction ends; 404 if not visible."""
    query = sa.select(_inst).where(_inst.c.uuid == instance_uuid, _inst.c.deleted == 0)
    if not ctxt.is_admin:
        query = query.where(_inst.c.project_id == ctxt.project_id)
    row = conn.execute(query.with_for_update()).first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    return row


def _check_unlocked(ctxt: RequestContext, row) -> None:
    """Nova checks the lock before the state on metadata changes: a locked
    server's metadata is the admins' to change (409 for the project)."""
    if row.locked and not ctxt.is_admin:
        raise exception.InstanceIsLocked(instance_uuid=row.uuid)


def _check_mutable(row, action: str) -> None:
    if row.vm_state not in MUTABLE_VM_STATES:
        raise exception.InstanceInvalidState(action=action, instance_uuid=row.uuid,
                                             attr="vm_state", state=row.vm_state)


def update(ctxt: RequestContext, instance_uuid: str, values: dict) -> dict:
    """Rename, describe, re-address or re-hostname a server, in any state; returns it
    as ``get`` does."""
    unknown = set(values) - set(UPDATABLE_COLUMNS)
    if unknown:
        raise exception.InvalidInput(reason=f"cannot update {sorted(unknown)}")
    with transaction() as conn:
        lock_row(conn, ctxt, instance_uuid)
        if values:
            conn.execute(sa.update(_inst).where(_inst.c.uuid == instance_uuid)
                         .values(updated_at=utcnow(), **values))
    return db_instances.get(ctxt, instance_uuid)


def update_metadata(ctxt: RequestContext, instance_uuid: str, metadata: dict,
                    delete: bool = False) -> dict:
    """Merge ``metadata`` into the server's (replace it all with ``delete``); the result."""
    with transaction() as conn:
        row = lock_row(conn, ctxt, instance_uuid)
        _check_unlocked(ctxt, row)
        _check_mutable(row, "update metadata")
        merged = dict(metadata) if delete else {**(row.metadata or {}), **metadata}
        db_quotas.check_metadata_items(conn, row.project_id, len(merged))
        conn.execute(sa.update(_inst).where(_inst.c.uuid == instance_uuid)
                     .values(metadata=merged, updated_at=utcnow()))
    return merged


def delete_metadata_item(ctxt: RequestContext, instance_uuid: str, key: str) -> None:
    """Remove one key: 404 if the server lacks it (checked first, as Nova), else 409
    outside the mutable states."""
    with transaction() as conn:
        row = lock_row(conn, ctxt, instance_uuid)
        metadata = dict(row.metadata or {})
        if key not in metadata:
            raise exception.MetadataItemNotFound()
        _check_unlocked(ctxt, row)
        _check_mutable(row, "delete metadata")
        del metadata[key]
        conn.execute(sa.update(_inst).where(_inst.c.uuid == instance_uuid)
                     .values(metadata=metadata, updated_at=utcnow()))


def add_tag(ctxt: RequestContext, instance_uuid: str, tag: str) -> bool:
    """Tag a server; False if it already had the tag.

    The limit is checked before whether the tag is there, as Nova does:
    a server at the limit answers 400 even for a tag it has.
    """
    with transaction() as conn:
        _check_mutable(lock_row(conn, ctxt, instance_uuid), "update tag")
        if db_tags.count(conn, instance_uuid) >= db_tags.MAX_TAG_COUNT:
            raise exception.TooManyInstanceTags(limit=db_tags.MAX_TAG_COUNT)
        if db_tags.exists(conn, instance_uuid, tag):
            return False
        db_tags.add(conn, instance_uuid, [tag])
    return True


def set_tags(ctxt: RequestContext, instance_uuid: str, tags: list[str]) -> list[str]:
    """Replace every tag of a server; returns its tags, sorted."""
    wanted = sorted(set(tags))
    if len(wanted) > db_tags.MAX_TAG_COUNT:
        raise exception.TooManyInstanceTags(limit=db_tags.MAX_TAG_COUNT)
    with transaction() as conn:
        _check_mutable(lock_row(conn, ctxt, instance_uuid), "update tags")
        db_tags.delete_all(conn, instance_uuid)
        db_tags.add(conn, instance_uuid, wanted)
    return wanted


def delete_tag(ctxt: RequestContext, instance_uuid: str, tag: str) -> None:
    with transaction() as conn:
        _check_mutable(lock_row(conn, ctxt, instance_uuid), "delete tag")
        if not db_tags.delete(conn, instance_uuid, tag):
            raise exception.InstanceTagNotFound(instance_id=instance_uuid, tag=tag)


def delete_all_tags(ctxt: RequestContext, instance_uuid: str) -> None:
    with transaction() as conn:
        _check_mutable(lock_row(conn, ctxt, instance_uuid), "delete tags")
        db_tags.delete_all(conn, instance_uuid)
