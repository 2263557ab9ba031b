"""Recording a create request: the instances in BUILD/scheduling and their request spec.

Everything a create needs from the database is resolved here, in the
conductor: the flavor (and whether the project may use it), the image
(visible, active), the key pair, the zone, a requested destination, and
the quota, counted under the project's lock in the transaction that
inserts the instances (``minova.db.instances.create``).
"""

import sqlalchemy as sa
from oslo_config import cfg

from minova import exception
from minova.conductor import images as conductor_images
from minova.conductor import quotas as conductor_quotas
from minova.context import RequestContext
from minova.db import availability_zones as db_azs
from minova.db import compute_nodes as db_compute_nodes
from minova.db import flavors as db_flavors
from minova.db import images as db_images
from minova.db import instances as db_instances
from minova.db import keypairs as db_keypairs
from minova.objects import actions, flavor_access, image_properties, states
from minova.objects import request_spec as spec_lib
from minova.objects.hostname import sanitize_hostname

CONF = cfg.CONF

GiB = 1024 ** 3

# What a compute host needs of the image to fetch, verify and boot it.
IMAGE_KEYS = ("id", "name", "status", "disk_format", "container_format", "size", "checksum",
              "os_hash_algo", "os_hash_value", "min_disk", "min_ram", "properties")

FLAVOR_KEYS = ("flavorid", "name", "vcpus", "memory_mb", "root_gb", "ephemeral_gb", "swap",
               "rxtx_factor", "extra_specs")


def create_instances(ctxt: RequestContext, base: dict, count: int, request_spec: dict,
                     instance_uuids: list[str] | None = None) -> tuple[list[dict], dict | None]:
    """Record ``count`` instances (fewer if the quota allows only ``min_count``
    or more of them) and their ``create`` actions; the instances and the
    complete request spec that schedules them.

    Raises the 4xx the api answers with (flavor, image, key pair, zone,
    destination, quota); nothing is recorded then.

    ``instance_uuids``: the api's, one per instance (RPC 1.11). The api sends
    a create again when no conductor answered the first in time, so if an
    earlier attempt recorded them (found first, or found when this insert
    hits their unique uuids, a race with that attempt) this answers those
    instances with spec None: nothing is recorded, counted against the quota
    or built a second time; the build is the first attempt's.
    """
    if instance_uuids is not None:
        if len(instance_uuids) != count:
            raise exception.InvalidInput(
                reason=f"{len(instance_uuids)} instance uuids for {count} instances")
        recorded = _recorded(ctxt, instance_uuids)
        if recorded:
            return recorded, None
    try:
        return _create(ctxt, base, count, request_spec, instance_uuids)
    except sa.exc.IntegrityError:
        recorded = _recorded(ctxt, instance_uuids) if instance_uuids else []
        if not recorded:
            raise
        return recorded, None


def _recorded(ctxt: RequestContext, instance_uuids: list[str]) -> list[dict]:
    """The caller's live instances among ``instance_uuids``, in launch order."""
    return db_instances.get_all(ctxt, {"uuid": list(instance_uuids)},
                                sort_keys=["launch_index"], sort_dirs=["asc"])


def _create(ctxt: RequestContext, base: dict, count: int, request_spec: dict,
            instance_uuids: list[str] | None) -> tuple[list[dict], dict]:
    base = dict(base)
    flavor = _flavor_for_build(ctxt, base.pop("flavor_ref"))
    image = _image_for_build(ctxt, base.get("image_ref"))
    if image:
        check_flavor_fits_image(flavor, image)
    _check_key_name(ctxt, base.get("key_name"))
    az = request_spec.get("availability_zone")
    if az and az not in (db_azs.availability_zones() | {CONF.default_availability_zone}):
        raise exception.AvailabilityZoneNotFound()
    _check_requested_destination(request_spec.get("requested_destination"))
    name = base.pop("display_name")
    rows = []
    for index in range(count):
        row = dict(base)
        row.update(
            display_name=name if count == 1 else f"{name}-{index + 1}",
            project_id=ctxt.project_id, user_id=ctxt.user_id, launch_index=index,
            flavor=flavor, vcpus=flavor["vcpus"], memory_mb=flavor["memory_mb"],
            root_gb=flavor["root_gb"], ephemeral_gb=flavor["ephemeral_gb"],
            vm_state=states.BUILDING, task_state=states.SCHEDULING,
            power_state=states.NOSTATE, availability_zone=az,
            **({"uuid": instance_uuids[index]} if instance_uuids else {}),
            # what the server was asked for, shown from API 2.96 / 2.100
            pinned_availability_zone=az,
            scheduler_hints=dict(request_spec.get("scheduler_hints") or {}))
        row.setdefault("metadata", {})
        row.setdefault("config_drive", "")
        # A hostname the user gave (API 2.90, one server only) wins over
        # the one derived from the name.
        row["hostname"] = row.get("hostname") or sanitize_hostname(row["display_name"]) or None
        if image:
            # As Nova: a kernel/ramdisk image pair named by the image's properties.
            row["kernel_id"] = (image.get("properties") or {}).get("kernel_id")
            row["ramdisk_id"] = (image.get("properties") or {}).get("ramdisk_id")
            # What the image said at create, shown from API 2.98.
            row["image_properties"] = image_properties.from_image(
                image, flavor, base["image_ref"])
        rows.append(row)
    specs = []

    def spec_for(uuids: list[str]) -> dict:
        specs.append(spec_lib.build(
            instance_uuids=uuids, project_id=ctxt.project_id,
            user_id=ctxt.user_id, flavor=flavor,
            image={k: image.get(k) for k in IMAGE_KEYS} if image else None,
            availability_zone=az, scheduler_hints=request_spec.get("scheduler_hints"),
            min_count=request_spec.get("min_count"),
            requested_destination=request_spec.get("requested_destination")))
        return specs[0]

    instances = db_instances.create(
        ctxt, rows, action=actions.CREATE,
        group_uuid=(request_spec.get("scheduler_hints") or {}).get("group"),
        fit=conductor_quotas.instances_fit(ctxt, flavor, base.get("metadata"),
                                           request_spec.get("min_count") or count),
        spec_for=spec_for)
    # The spec is kept with the instances (for a conductor that takes over
    # their build); without a reservation id it was not asked for.
    return instances, specs[0] if specs else spec_for([i["uuid"] for i in instances])


def _check_requested_destination(destination: dict | None) -> None:
    """API 2.74: the host/node an admin named must be a compute node (400)."""
    if not destination:
        return
    host, node = destination.get("host"), destination.get("node")
    for compute_node, _service in db_compute_nodes.compute_nodes_with_services():
        if host in (None, compute_node["host"]) and node in (
                None, compute_node["hypervisor_hostname"]):
            return
    raise exception.RequestedDestinationNotFound(host=host, node=node)


def _flavor_for_build(ctxt: RequestContext, flavor_ref: str) -> dict:
    try:
        flavor = db_flavors.flavor_get(flavor_ref, public_projects=False)
    except exception.FlavorNotFound:
        raise exception.FlavorNotFoundForBuild(flavor_id=flavor_ref) from None
    # A private flavor not shared with the project is as if it did not exist.
    if flavor["disabled"] or not flavor_access.accessible(ctxt, flavor):
        raise exception.FlavorNotFoundForBuild(flavor_id=flavor_ref)
    return {k: flavor[k] for k in FLAVOR_KEYS}


def check_flavor_fits_image(flavor: dict, image: dict) -> None:
    """As Nova's flavor/image validation at create: the flavor's memory must
    reach the image's ``min_ram``; its root disk must hold the image and reach
    its ``min_disk`` (compared in bytes). A root disk of 0 is not checked
    (Nova's legacy "size of the image")."""
    if flavor["memory_mb"] < int(image.get("min_ram") or 0):
        raise exception.FlavorMemoryTooSmall()
    disk_bytes = flavor["root_gb"] * GiB
    if disk_bytes == 0:
        return
    image_size = int(image.get("size") or 0)
    if image_size > disk_bytes:
        raise exception.FlavorDiskSmallerThanImage(flavor_size=disk_bytes,
                                                   image_size=image_size)
    min_disk = int(image.get("min_disk") or 0) * GiB
    if min_disk > disk_bytes:
        raise exception.FlavorDiskSmallerThanMinDisk(flavor_size=disk_bytes,
                                                     image_min_disk=min_disk)


def _check_key_name(ctxt: RequestContext, key_name: str | None) -> None:
    """As Nova: the keypair must be the caller's user's (400 otherwise)."""
    if key_name is None:
        return
    try:
        db_keypairs.get(ctxt.user_id, key_name)
    except exception.KeypairNotFound:
        raise exception.KeypairNotFoundForBuild() from None


def _image_for_build(ctxt: RequestContext, image_ref: str | None) -> dict | None:
    if not image_ref:
        return None
    try:
        image = db_images.image_get(image_ref)
    except exception.ImageNotFound:
        raise exception.ImageNotFoundForBuild(image_id=image_ref) from None
    if not conductor_images.visible(ctxt, image):
        # Another project's private image: as if it did not exist.
        raise exception.ImageNotFoundForBuild(image_id=image_ref)
    if image["status"] != "active":
        raise exception.ImageNotActive(image_id=image_ref)
    return image
