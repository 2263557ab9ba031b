"""Tables of the minova database (SQLAlchemy Core).

Core rather than ORM: every hot write is one conditional statement whose
row count says whether it won (claims, task_state compare-and-swap), and
reads return plain dicts ready to cross RPC.

Deleted instances are soft-deleted (``deleted`` = their id) so that their
instance actions stay readable, as in Nova.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

metadata = sa.MetaData()

# Microsecond timestamps on every backend (MySQL/MariaDB default to seconds).
_TS = sa.DateTime(timezone=False).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

services = sa.Table(
    "services",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("binary", sa.String(255), nullable=False),
    sa.Column("topic", sa.String(255), nullable=False),
    sa.Column("report_count", sa.Integer, nullable=False, default=0),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("disabled_reason", sa.String(255)),
    sa.Column("forced_down", sa.Boolean, nullable=False, default=False),
    sa.Column("last_seen_up", _TS),
    # A compute's builds taken and not yet reported, as of its last
    # heartbeat (a JSON list of instance uuids; see conductor/build_recovery.py).
    sa.Column("building", sa.JSON),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
    sa.UniqueConstraint("host", "binary", name="uniq_services0host0binary"),
)

# The request spec of each create request, kept for the instances' life
# (as Nova's request_specs): a conductor that takes over a build another
# left in ``scheduling`` schedules it from here.
request_specs = sa.Table(
    "request_specs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("reservation_id", sa.String(255), nullable=False),
    sa.Column("spec", sa.JSON, nullable=False),
    sa.Column("created_at", _TS, nullable=False),
    # Not unique: a reservation id is 32 random bits, as Nova's.
    sa.Index("request_specs_reservation_id_idx", "reservation_id"),
)

compute_nodes = sa.Table(
    "compute_nodes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("service_id", sa.Integer, sa.ForeignKey("services.id"), nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("hypervisor_hostname", sa.String(255), nullable=False),
    sa.Column("hypervisor_type", sa.String(255), nullable=False),
    sa.Column("hypervisor_version", sa.Integer, nullable=False, default=0),
    sa.Column("cpu_info", sa.Text, nullable=False, default="{}"),
    # [[arch, hypervisor_type, vm_mode], ...] the node can run (Nova's
    # supported_instances, read by the ImagePropertiesFilter).
    sa.Column("supported_instances", sa.JSON, nullable=False, default=list),
    sa.Column("host_ip", sa.String(64)),
    sa.Column("availability_zone", sa.String(255), nullable=False),
    # inventory, as the host reports it
    sa.Column("vcpus", sa.Integer, nullable=False),
    sa.Column("memory_mb", sa.Integer, nullable=False),
    sa.Column("local_gb", sa.Integer, nullable=False),
    sa.Column("cpu_allocation_ratio", sa.Float, nullable=False),
    sa.Column("ram_allocation_ratio", sa.Float, nullable=False),
    sa.Column("disk_allocation_ratio", sa.Float, nullable=False),
    sa.Column("reserved_host_memory_mb", sa.Integer, nullable=False, default=0),
    sa.Column("reserved_host_disk_mb", sa.Integer, nullable=False, default=0),
    sa.Column("reserved_host_cpus", sa.Integer, nullable=False, default=0),
    # usage: the sum of this node's allocations, kept in step with them by
    # the claim and release statements (never written by the host itself)
    sa.Column("vcpus_used", sa.Integer, nullable=False, default=0),
    sa.Column("memory_mb_used", sa.Integer, nullable=False, default=0),
    sa.Column("local_gb_used", sa.Integer, nullable=False, default=0),
    sa.Column("running_vms", sa.Integer, nullable=False, default=0),
    # Consecutive failed builds on this node, reset by a successful one
    # (the BuildFailureWeigher's input; Nova keeps it in the node's stats).
    sa.Column("failed_builds", sa.Integer, nullable=False, default=0),
    # bumped on every change of inventory or usage, so readers can refresh
    # only what changed
    sa.Column("generation", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
    sa.UniqueConstraint("host", "hypervisor_hostname", name="uniq_compute_nodes0host0node"),
)

flavors = sa.Table(
    "flavors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("flavorid", sa.String(255), nullable=False, unique=True),
    sa.Column("name", sa.String(255), nullable=False, unique=True),
    sa.Column("memory_mb", sa.Integer, nullable=False),
    sa.Column("vcpus", sa.Integer, nullable=False),
    sa.Column("root_gb", sa.Integer, nullable=False),
    sa.Column("ephemeral_gb", sa.Integer, nullable=False, default=0),
    sa.Column("swap", sa.Integer, nullable=False, default=0),
    sa.Column("rxtx_factor", sa.Float, nullable=False, default=1.0),
    sa.Column("is_public", sa.Boolean, nullable=False, default=True),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("description", sa.Text),
    sa.Column("extra_specs", sa.JSON, nullable=False, default=dict),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
)

images = sa.Table(
    "images",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(255)),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("visibility", sa.String(20), nullable=False, default="public"),
    sa.Column("owner", sa.String(255)),
    sa.Column("disk_format", sa.String(20)),
    sa.Column("container_format", sa.String(20)),
    sa.Column("size", sa.BigInteger),
    sa.Column("min_disk", sa.Integer, nullable=False, default=0),
    sa.Column("min_ram", sa.Integer, nullable=False, default=0),
    sa.Column("checksum", sa.String(32)),
    sa.Column("os_hash_algo", sa.String(64)),
    sa.Column("os_hash_value", sa.String(128)),
    sa.Column("protected", sa.Boolean, nullable=False, default=False),
    sa.Column("properties", sa.JSON, nullable=False, default=dict),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
)

instances = sa.Table(
    "instances",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("display_name", sa.String(255), nullable=False),
    # The user's words about the server (API 2.19); None when not given.
    sa.Column("description", sa.Text),
    sa.Column("project_id", sa.String(255), nullable=False),
    sa.Column("user_id", sa.String(255), nullable=False),
    sa.Column("image_ref", sa.String(255)),
    sa.Column("flavor", sa.JSON, nullable=False),
    sa.Column("vcpus", sa.Integer, nullable=False),
    sa.Column("memory_mb", sa.Integer, nullable=False),
    sa.Column("root_gb", sa.Integer, nullable=False),
    sa.Column("ephemeral_gb", sa.Integer, nullable=False, default=0),
    sa.Column("host", sa.String(255)),
    sa.Column("node", sa.String(255)),
    sa.Column("availability_zone", sa.String(255)),
    sa.Column("vm_state", sa.String(255), nullable=False),
    sa.Column("task_state", sa.String(255)),
    sa.Column("power_state", sa.Integer, nullable=False, default=0),
    sa.Column("metadata", sa.JSON, nullable=False, default=dict),
    sa.Column("key_name", sa.String(255)),
    sa.Column("access_ip_v4", sa.String(64)),
    sa.Column("access_ip_v6", sa.String(64)),
    sa.Column("config_drive", sa.String(255), nullable=False, default=""),
    sa.Column("reservation_id", sa.String(255)),
    sa.Column("launch_index", sa.Integer, nullable=False, default=0),
    # Shown to admins from API 2.3 (OS-EXT-SRV-ATTR:*): the guest hostname
    # fixed at create, the user data as given (base64), the image's kernel
    # and ramdisk, and the root disk's device as the driver named it.
    sa.Column("hostname", sa.String(255)),
    sa.Column("user_data", sa.Text),
    sa.Column("kernel_id", sa.String(255)),
    sa.Column("ramdisk_id", sa.String(255)),
    sa.Column("root_device_name", sa.String(255)),
    # API 2.63: the trusted image certificate ids given at create (or null);
    # 2.96: the availability zone asked for at create, which the server
    # stays pinned to (null: none); 2.100: the scheduler hints as given.
    sa.Column("trusted_certs", sa.JSON),
    sa.Column("pinned_availability_zone", sa.String(255)),
    sa.Column("scheduler_hints", sa.JSON),
    # API 2.98: the image's properties as they were at create (Nova's image_*
    # system metadata); null for servers created before minova kept them.
    sa.Column("image_properties", sa.JSON),
    # Nova's system metadata, of the keys minova keeps there: a shelved
    # server's ``shelved_image_id``, ``shelved_at``, ``shelved_host`` and
    # ``shelved_image_ref`` (the image it was booted from). Null: none.
    sa.Column("system_metadata", sa.JSON),
    sa.Column("progress", sa.Integer, nullable=False, default=0),
    # The lock/unlock actions: Nova's ``locked``, ``locked_by`` ("owner" or
    # "admin": who may unlock) and the 2.73 ``locked_reason``.
    sa.Column("locked", sa.Boolean, nullable=False, default=False,
              server_default=sa.false()),
    sa.Column("locked_by", sa.String(255)),
    sa.Column("locked_reason", sa.String(255)),
    sa.Column("launched_at", _TS),
    sa.Column("terminated_at", _TS),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
    sa.Column("deleted_at", _TS),
    sa.Column("deleted", sa.Integer, nullable=False, default=0),
    sa.Index("instances_project_id_deleted_idx", "project_id", "deleted"),
    sa.Index("instances_host_deleted_idx", "host", "deleted"),
    sa.Index("instances_deleted_created_at_idx", "deleted", "created_at"),
)

allocations = sa.Table(
    "allocations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("instance_uuid", sa.String(36), nullable=False),
    sa.Column(
        "compute_node_id", sa.Integer, sa.ForeignKey("compute_nodes.id"), nullable=False
    ),
    sa.Column("vcpus", sa.Integer, nullable=False),
    sa.Column("memory_mb", sa.Integer, nullable=False),
    sa.Column("disk_gb", sa.Integer, nullable=False),
    sa.Column("created_at", _TS, nullable=False),
    sa.UniqueConstraint("instance_uuid", name="uniq_allocations0instance_uuid"),
    sa.Index("allocations_compute_node_id_idx", "compute_node_id"),
)

instance_faults = sa.Table(
    "instance_faults",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("instance_uuid", sa.String(36), nullable=False, index=True),
    sa.Column("code", sa.Integer, nullable=False),
    sa.Column("message", sa.String(255), nullable=False),
    sa.Column("details", sa.Text),
    sa.Column("host", sa.String(255)),
    sa.Column("created_at", _TS, nullable=False),
)

instance_actions = sa.Table(
    "instance_actions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("action", sa.String(255), nullable=False),
    sa.Column("instance_uuid", sa.String(36), nullable=False),
    sa.Column("request_id", sa.String(255), nullable=False),
    sa.Column("user_id", sa.String(255)),
    sa.Column("project_id", sa.String(255)),
    sa.Column("start_time", _TS, nullable=False),
    sa.Column("finish_time", _TS),
    sa.Column("message", sa.String(255)),
    sa.Column("updated_at", _TS),
    sa.Index("instance_actions_instance_uuid_request_id_idx", "instance_uuid", "request_id"),
)

instance_actions_events = sa.Table(
    "instance_actions_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "action_id", sa.Integer, sa.ForeignKey("instance_actions.id"), nullable=False, index=True
    ),
    sa.Column("event", sa.String(255), nullable=False),
    sa.Column("start_time", _TS, nullable=False),
    sa.Column("finish_time", _TS),
    sa.Column("result", sa.String(255)),
    sa.Column("traceback", sa.Text),
    sa.Column("host", sa.String(255)),
    sa.Column("details", sa.Text),
)

# Host aggregates (Nova's): named groups of compute hosts with key/value
# metadata. The metadata key "availability_zone" puts the hosts in that
# zone. Deleting an aggregate removes its rows, so a name is unique.
aggregates = sa.Table(
    "aggregates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("name", sa.String(255), nullable=False, unique=True),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
)

aggregate_hosts = sa.Table(
    "aggregate_hosts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("aggregate_id", sa.Integer, sa.ForeignKey("aggregates.id"), nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.UniqueConstraint("aggregate_id", "host", name="uniq_aggregate_hosts0aggregate_id0host"),
    sa.Index("aggregate_hosts_host_idx", "host"),
)

aggregate_metadata = sa.Table(
    "aggregate_metadata",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("aggregate_id", sa.Integer, sa.ForeignKey("aggregates.id"), nullable=False),
    sa.Column("key", sa.String(255), nullable=False),
    sa.Column("value", sa.String(255), nullable=False),
    sa.UniqueConstraint("aggregate_id", "key", name="uniq_aggregate_metadata0aggregate_id0key"),
)

# Server groups (Nova's instance groups): a policy over where their member
# instances may run. One policy per group as from API 2.64; ``rules`` holds
# ``max_server_per_host`` for anti-affinity. Deleting a group removes its
# rows (members included); the instances stay.
instance_groups = sa.Table(
    "instance_groups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("project_id", sa.String(255), nullable=False),
    sa.Column("user_id", sa.String(255), nullable=False),
    sa.Column("policy", sa.String(255), nullable=False),
    sa.Column("rules", sa.JSON, nullable=False, default=dict),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
    sa.Index("instance_groups_project_id_idx", "project_id"),
)

instance_group_members = sa.Table(
    "instance_group_members",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("group_id", sa.Integer, sa.ForeignKey("instance_groups.id"), nullable=False),
    sa.Column("instance_uuid", sa.String(36), nullable=False),
    sa.Column("created_at", _TS, nullable=False),
    sa.UniqueConstraint("group_id", "instance_uuid",
                        name="uniq_instance_group_members0group_id0instance_uuid"),
    sa.Index("instance_group_members_instance_uuid_idx", "instance_uuid"),
)

# Server tags (Nova's, API 2.26): short labels a user puts on a server,
# compared byte for byte on every backend. ``resource_id`` is the
# instance's uuid; its tags go when the instance is deleted.
tags = sa.Table(
    "tags",
    metadata,
    sa.Column("resource_id", sa.String(36), primary_key=True),
    sa.Column("tag", sa.String(60).with_variant(
        mysql.VARCHAR(60, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"),
        primary_key=True),
    sa.Index("tags_tag_idx", "tag"),
)

# Key pairs (Nova's os-keypairs): per user, named uniquely per user.
key_pairs = sa.Table(
    "key_pairs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("user_id", sa.String(255), nullable=False),
    sa.Column("fingerprint", sa.String(255), nullable=False),
    sa.Column("public_key", sa.Text, nullable=False),
    sa.Column("type", sa.String(10), nullable=False, default="ssh"),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
    sa.UniqueConstraint("user_id", "name", name="uniq_key_pairs0user_id0name"),
)

# Which projects may use a private flavor (os-flavor-access).
flavor_projects = sa.Table(
    "flavor_projects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("flavor_id", sa.Integer, sa.ForeignKey("flavors.id"), nullable=False),
    sa.Column("project_id", sa.String(255), nullable=False),
    sa.Column("created_at", _TS, nullable=False),
    sa.UniqueConstraint("flavor_id", "project_id",
                        name="uniq_flavor_projects0flavor_id0project_id"),
)

# Per-project quota limits set through os-quota-sets; a project without a
# row for a resource has the ``[quota]`` default. Usage is never stored:
# it is counted from the resources themselves (Nova's counting quotas).
quotas = sa.Table(
    "quotas",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("project_id", sa.String(255), nullable=False),
    sa.Column("resource", sa.String(255), nullable=False),
    sa.Column("hard_limit", sa.Integer, nullable=False),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
    sa.UniqueConstraint("project_id", "resource", name="uniq_quotas0project_id0resource"),
)

# The limits of a named quota class; the "default" class overrides the
# [quota] defaults of every project (Nova's quota_classes).
quota_classes = sa.Table(
    "quota_classes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("class_name", sa.String(255), nullable=False),
    sa.Column("resource", sa.String(255), nullable=False),
    sa.Column("hard_limit", sa.Integer, nullable=False),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
    sa.UniqueConstraint("class_name", "resource", name="uniq_quota_classes0class_name0resource"),
)

# A user's limits within a project, each at most the project's (Nova's
# project_user_quotas).
project_user_quotas = sa.Table(
    "project_user_quotas",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("project_id", sa.String(255), nullable=False),
    sa.Column("user_id", sa.String(255), nullable=False),
    sa.Column("resource", sa.String(255), nullable=False),
    sa.Column("hard_limit", sa.Integer, nullable=False),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
    sa.UniqueConstraint("project_id", "user_id", "resource",
                        name="uniq_project_user_quotas0project_id0user_id0resource"),
)

# One row per project, locked (FOR UPDATE) by every transaction that counts
# and then adds to the project's usage, so two creates cannot both see the
# last free slot.
project_quota_locks = sa.Table(
    "project_quota_locks",
    metadata,
    sa.Column("project_id", sa.String(255), primary_key=True),
)

# Moves of a server between hosts (Nova's migrations): cold migrations and
# resizes. The API shows Nova's fields; ``old_flavor``/``new_flavor`` (the
# snapshots) and ``old_vm_state`` are what a revert or a confirm needs
# (Nova keeps them in instance_extra and system metadata).
migrations = sa.Table(
    "migrations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("instance_uuid", sa.String(36), nullable=False),
    sa.Column("source_compute", sa.String(255)),
    sa.Column("dest_compute", sa.String(255)),
    sa.Column("source_node", sa.String(255)),
    sa.Column("dest_node", sa.String(255)),
    sa.Column("dest_host", sa.String(255)),
    sa.Column("old_instance_type_id", sa.Integer),
    sa.Column("new_instance_type_id", sa.Integer),
    sa.Column("status", sa.String(255), nullable=False),
    sa.Column("migration_type", sa.String(255), nullable=False),
    sa.Column("hidden", sa.Boolean, nullable=False, default=False,
              server_default=sa.false()),
    sa.Column("project_id", sa.String(255)),
    sa.Column("user_id", sa.String(255)),
    sa.Column("old_flavor", sa.JSON),
    sa.Column("new_flavor", sa.JSON),
    sa.Column("old_vm_state", sa.String(255)),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS),
    sa.Index("migrations_instance_uuid_status_idx", "instance_uuid", "status"),
    sa.Index("migrations_updated_at_idx", "updated_at"),
)
