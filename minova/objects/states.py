"""Instance state machine constants, as Nova defines them.

``vm_state`` is the stable state, ``task_state`` the action in flight (None
when idle) and ``power_state`` what the hypervisor last reported. The REST
API shows one ``status`` derived from the first two (``status_from_state``).
"""

# vm_state
ACTIVE = "active"
BUILDING = "building"
STOPPED = "stopped"
PAUSED = "paused"
SUSPENDED = "suspended"
ERROR = "error"
DELETED = "deleted"
# Deleted with [DEFAULT] reclaim_instance_interval > 0: the guest is powered
# off and kept until the compute host reclaims it, or restore brings it back.
SOFT_DELETED = "soft-delete"
# Booted from a rescue image, its own root disk attached second (rescue).
RESCUED = "rescued"
# Shelved: the guest is off and a snapshot of it kept; offloaded, it holds
# no host (and no claim) until it is unshelved.
SHELVED = "shelved"
SHELVED_OFFLOADED = "shelved_offloaded"
# A cold migration or resize finished, waiting for confirmResize/revertResize.
RESIZED = "resized"

# task_state
SCHEDULING = "scheduling"
SPAWNING = "spawning"
DELETING = "deleting"
POWERING_OFF = "powering-off"
POWERING_ON = "powering-on"
REBOOTING = "rebooting"
REBOOTING_HARD = "rebooting_hard"
PAUSING = "pausing"
UNPAUSING = "unpausing"
SUSPENDING = "suspending"
RESUMING = "resuming"
REBUILDING = "rebuilding"
REBUILD_SPAWNING = "rebuild_spawning"
SOFT_DELETING = "soft-deleting"
RESTORING = "restoring"
RESCUING = "rescuing"
UNRESCUING = "unrescuing"
# createImage: set by the api, then by the compute host as the snapshot goes.
IMAGE_SNAPSHOT_PENDING = "image_snapshot_pending"
IMAGE_SNAPSHOT = "image_snapshot"
IMAGE_PENDING_UPLOAD = "image_pending_upload"
IMAGE_UPLOADING = "image_uploading"
# shelve, shelveOffload, unshelve.
SHELVING = "shelving"
SHELVING_IMAGE_PENDING_UPLOAD = "shelving_image_pending_upload"
SHELVING_IMAGE_UPLOADING = "shelving_image_uploading"
SHELVING_OFFLOADING = "shelving_offloading"
UNSHELVING = "unshelving"
# A cold migration or resize (Nova's names and order).
RESIZE_PREP = "resize_prep"
RESIZE_MIGRATING = "resize_migrating"
RESIZE_MIGRATED = "resize_migrated"
RESIZE_FINISH = "resize_finish"
RESIZE_REVERTING = "resize_reverting"
RESIZE_CONFIRMING = "resize_confirming"
_RESIZING = {RESIZE_PREP: "RESIZE", RESIZE_MIGRATING: "RESIZE", RESIZE_MIGRATED: "RESIZE",
             RESIZE_FINISH: "RESIZE"}

# power_state (integers, as Nova and its API report them)
NOSTATE = 0
RUNNING = 1
POWER_PAUSED = 3
SHUTDOWN = 4
CRASHED = 6
POWER_SUSPENDED = 7

POWER_STATE_NAMES = {
    NOSTATE: "pending",
    RUNNING: "running",
    POWER_PAUSED: "paused",
    SHUTDOWN: "shutdown",
    CRASHED: "crashed",
    POWER_SUSPENDED: "suspended",
}

_STATE_MAP = {
    ACTIVE: {
        "default": "ACTIVE",
        REBOOTING: "REBOOT",
        REBOOTING_HARD: "HARD_REBOOT",
        REBUILDING: "REBUILD",
        REBUILD_SPAWNING: "REBUILD",
        **_RESIZING,
    },
    BUILDING: {"default": "BUILD"},
    STOPPED: {"default": "SHUTOFF", REBUILDING: "REBUILD", REBUILD_SPAWNING: "REBUILD",
              **_RESIZING},
    RESIZED: {"default": "VERIFY_RESIZE", RESIZE_REVERTING: "REVERT_RESIZE"},
    PAUSED: {"default": "PAUSED"},
    SUSPENDED: {"default": "SUSPENDED"},
    ERROR: {"default": "ERROR", REBUILDING: "REBUILD", REBUILD_SPAWNING: "REBUILD"},
    DELETED: {"default": "DELETED"},
    SOFT_DELETED: {"default": "SOFT_DELETED"},
    RESCUED: {"default": "RESCUE"},
    SHELVED: {"default": "SHELVED"},
    SHELVED_OFFLOADED: {"default": "SHELVED_OFFLOADED"},
}


def status_from_state(vm_state: str, task_state: str | None = None) -> str:
    """Nova's API ``status`` for a (vm_state, task_state) pair."""
    task_map = _STATE_MAP.get(vm_state, {"default": "UNKNOWN"})
    return task_map.get(task_state, task_map["default"])


def states_from_status(status: str) -> list[tuple[str, str | None]]:
    """The (vm_state, task_state-or-'default') pairs one API status stands for."""
    status = status.upper()
    pairs = []
    for vm_state, task_map in _STATE_MAP.items():
        for task_state, shown in task_map.items():
            if shown == status:
                pairs.append((vm_state, task_state))
    return pairs
