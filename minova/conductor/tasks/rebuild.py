"""A rebuild, the conductor's part: check it, record it, check a new image
against the server's host, and hand it to the compute that holds the guest.

Nova's api checks a rebuild (image, flavor fit, key pair, quotas) with its
own database access and then casts to the conductor; minova's api has no
database, so ``start`` does those checks here, in the call the api waits
for, and answers only once the instance is REBUILDING with the rebuild's
changes written and its ``rebuild`` action recorded (one transaction, a
compare-and-swap on the states Nova allows: of a rebuild and any racing
action exactly one wins). ``drive`` then runs on the conductor's build
pool: the scheduler's check of a new image (as Nova's conductor, which
calls the scheduler for the server's own host with only the filters that
run on a rebuild), and the cast of ``rebuild_instance`` to the host. Any
failure there is ERROR with a fault naming the cause: a rebuild never
stays in REBUILD because the conductor could not go on; one whose
conductor died before the cast is driven again by build recovery
(``minova.conductor.build_recovery``).
"""

from oslo_log import log as logging

from minova import exception
from minova.conductor.tasks import create as create_task
from minova.context import RequestContext
from minova.db import actions as db_actions
from minova.db import instances as db_instances
from minova.db import keypairs as db_keypairs
from minova.db import quotas as db_quotas
from minova.db.engine import transaction
from minova.objects import actions, image_properties, states
from minova.objects import request_spec as spec_lib

LOG = logging.getLogger(__name__)


# Nova's check_instance_state on rebuild: these vm_states, and idle.
REBUILD_VM_STATES = (states.ACTIVE, states.STOPPED, states.ERROR)

# What a rebuild may change besides the image (columns of ``instances``); a
# key absent from the request's ``changes`` keeps its value.
CHANGEABLE = ("display_name", "description", "metadata", "access_ip_v4", "access_ip_v6",
              "key_name", "user_data", "trusted_certs", "hostname")


def start(ctxt: RequestContext, instance_uuid: str, image_ref: str, changes: dict,
          files: list | None = None) -> tuple[dict, dict, dict]:
    """Check the rebuild and move the instance to REBUILDING with its changes.

    Returns the instance as it was, the instance after, and the new
    image's record. Raises what the api answers: InstanceNotFound (404),
    InstanceInvalidState / InstanceNotReady (409), ImageNotFoundForBuild,
    ImageNotActive, the flavor/image fit errors, KeypairNotFoundForBuild,
    InvalidInput (400), MetadataLimitExceeded and the personality file
    quotas (403).
    """
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise exception.InvalidInput(reason=f"a rebuild cannot change {sorted(unknown)}")
    before = db_instances.get(ctxt, instance_uuid)  # scoping: another project's is 404
    _check_state(before)
    image = create_task._image_for_build(ctxt, image_ref)
    flavor = before["flavor"]
    create_task.check_flavor_fits_image(flavor, image)  # as a create checks it
    if changes.get("key_name") is not None:
        try:
            db_keypairs.get(ctxt.user_id, changes["key_name"])
        except exception.KeypairNotFound:
            raise exception.KeypairNotFoundForBuild() from None
    properties = image.get("properties") or {}
    values = {key: changes[key] for key in CHANGEABLE if key in changes}
    values.update(
        task_state=states.REBUILDING, image_ref=image_ref, progress=0,
        kernel_id=properties.get("kernel_id"), ramdisk_id=properties.get("ramdisk_id"),
        image_properties=image_properties.from_image(image, flavor, image_ref))
    with transaction() as conn:
        limits = db_quotas.get_limits(before["project_id"], conn)
        db_quotas.check_metadata_items(conn, before["project_id"],
                                       len(changes.get("metadata") or {}), limits)
        check_injected_files(files or [], limits)
        try:
            after = db_instances.update(
                instance_uuid, values, expected_task_state=[None],
                expected_vm_state=list(REBUILD_VM_STATES), conn=conn)
        except exception.UnexpectedTaskStateError as exc:
            actual = exc.kwargs["actual"]
            attr = "vm_state" if actual["vm_state"] not in REBUILD_VM_STATES else "task_state"
            raise exception.InstanceInvalidState(
                action=actions.REBUILD, instance_uuid=instance_uuid, attr=attr,
                state=actual[attr]) from None
        db_actions.action_start(ctxt, instance_uuid, actions.REBUILD, conn=conn)
    return before, after, {k: image.get(k) for k in create_task.IMAGE_KEYS}


def _check_state(instance: dict) -> None:
    """Nova's rule, checked before anything else is (the swap checks it again)."""
    uuid = instance["uuid"]
    if instance["vm_state"] not in REBUILD_VM_STATES:
        raise exception.InstanceInvalidState(action=actions.REBUILD, instance_uuid=uuid,
                                             attr="vm_state", state=instance["vm_state"])
    if instance["task_state"] is not None:
        raise exception.InstanceInvalidState(action=actions.REBUILD, instance_uuid=uuid,
                                             attr="task_state", state=instance["task_state"])
    if not instance.get("host"):
        # Never placed (its build failed): there is no guest to rebuild.
        raise exception.InstanceNotReady(instance_id=uuid)


def check_injected_files(files: list, limits: dict) -> None:
    """Nova's ``_check_injected_file_quota`` on a rebuild's ``personality``
    (before API 2.57): ``[[path, contents], ...]`` against the project's
    injected_files, injected_file_path_bytes and injected_file_content_bytes
    (403). minova injects no files into guests (as Nova's libvirt driver
    without ``inject_partition``), but refuses what Nova refuses."""
    if not files:
        return
    allowed = limits["injected_files"]
    if allowed >= 0 and len(files) > allowed:
        raise exception.OnsetFileLimitExceeded()
    path_limit = limits["injected_file_path_bytes"]
    content_limit = limits["injected_file_content_bytes"]
    for path, contents in files:
        if path_limit >= 0 and len(path.encode("utf-8")) > path_limit:
            raise exception.OnsetFilePathLimitExceeded(allowed=path_limit)
        if content_limit >= 0 and len(contents.encode("utf-8")) > content_limit:
            raise exception.OnsetFileContentLimitExceeded(allowed=content_limit)


def drive(ctxt: RequestContext, scheduler_api, compute_api, before: dict, after: dict,
          image: dict, preserve_ephemeral: bool, conductor_host: str | None = None) -> None:
    """After the api's answer: check a new image on the host, then cast the rebuild."""
    uuid = after["uuid"]
    db_actions.event_start(ctxt, uuid, actions.EVENT_REBUILD_CHECK, conductor_host)
    if before.get("image_ref") != after["image_ref"]:
        try:
            _check_host(ctxt, scheduler_api, after, image)
        except exception.NoValidHost as exc:
            # As Nova: ERROR with the scheduler's reason, the image as it was.
            fail(ctxt, uuid, exc.format_message(), image_ref=before.get("image_ref"))
            return
        except Exception as exc:
            LOG.exception("Checking the rebuild of %s against its host failed", uuid)
            fail(ctxt, uuid, "Could not check the new image against the server's host: "
                  f"{_describe(exc)}", image_ref=before.get("image_ref"))
            return
    db_actions.event_finish(ctxt, uuid, actions.EVENT_REBUILD_CHECK, actions.SUCCESS,
                            conductor_host)
    try:
        compute_api.rebuild_instance(ctxt, after["host"], after, image, preserve_ephemeral,
                                     before["vm_state"])
    except Exception as exc:
        LOG.exception("Could not send the rebuild of %s to %s", uuid, after["host"])
        fail(ctxt, uuid, f"Could not send the rebuild to its compute host: {_describe(exc)}")


def _check_host(ctxt: RequestContext, scheduler_api, instance: dict, image: dict) -> None:
    """The scheduler's rebuild filters on the server's own host (Nova's
    ``_nova_check_type: rebuild`` with the host and node forced)."""
    if not scheduler_api.can_check_rebuild():
        LOG.info("Schedulers are capped below 1.2: the new image of %s is not checked "
                 "against %s", instance["uuid"], instance["host"])
        return
    spec = spec_lib.build(
        instance_uuids=[instance["uuid"]], project_id=instance["project_id"],
        user_id=instance["user_id"], flavor=instance["flavor"], image=image,
        availability_zone=instance.get("availability_zone"),
        requested_destination={"host": instance["host"], "node": instance.get("node")})
    scheduler_api.check_rebuild(ctxt, spec, instance["uuid"])


def fail(ctxt: RequestContext, uuid: str, message: str,
          image_ref: str | None = None) -> None:
    """ERROR with ``message`` as the fault (code 500, as Nova's), the check's
    event and the action closed as an error, in one commit."""
    updates = {"vm_state": states.ERROR, "task_state": None}
    if image_ref is not None:
        updates["image_ref"] = image_ref
    try:
        with transaction() as conn:
            db_instances.update(uuid, updates, expected_task_state=[states.REBUILDING],
                                conn=conn, reread=False)
            db_instances.add_fault(uuid, 500, message, None, None, conn=conn)
            db_actions.event_finish(ctxt, uuid, actions.EVENT_REBUILD_CHECK,
                                    actions.ERROR, None, details=message, conn=conn,
                                    finish_action=True)
    except (exception.UnexpectedTaskStateError, exception.InstanceNotFound):
        LOG.info("Rebuild of %s failed (%s), but the instance has moved on", uuid, message)
        return
    LOG.warning("Rebuild of %s failed: %s", uuid, message)


def _describe(exc: Exception) -> str:
    if isinstance(exc, exception.MinovaException):
        return exc.format_message()
    return f"{type(exc).__name__}: {exc}"
