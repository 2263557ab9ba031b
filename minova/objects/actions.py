"""Names of instance actions and of the events services record under them.

Event names follow Nova's (``compute__do_build_and_run_instance`` ...), so
``os-instance-actions`` reads the same as on a Nova cloud.
"""

CREATE = "create"
DELETE = "delete"

EVENT_SCHEDULE = "conductor_schedule_and_build_instances"
EVENT_BUILD = "compute__do_build_and_run_instance"
EVENT_TERMINATE = "compute_terminate_instance"
EVENT_LOCAL_DELETE = "conductor_local_delete_instance"

SUCCESS = "Success"
ERROR = "Error"

STOP = "stop"
START = "start"
REBOOT = "reboot"
PAUSE = "pause"
UNPAUSE = "unpause"
SUSPEND = "suspend"
RESUME = "resume"
REBUILD = "rebuild"

EVENT_STOP = "compute_stop_instance"
EVENT_START = "compute_start_instance"
EVENT_REBOOT = "compute_reboot_instance"
EVENT_PAUSE = "compute_pause_instance"
EVENT_UNPAUSE = "compute_unpause_instance"
EVENT_SUSPEND = "compute_suspend_instance"
EVENT_RESUME = "compute_resume_instance"
# The conductor's part of a rebuild (Nova's name: its method is rebuild_server
# there): checking a new image against the host, then the cast.
EVENT_REBUILD_CHECK = "conductor_rebuild_server"
EVENT_REBUILD = "compute_rebuild_instance"
EVENT_POWER_SYNC = "compute_sync_power_state"

# Deferred delete ([DEFAULT] reclaim_instance_interval > 0): a soft delete
# is recorded as "delete", as in Nova; restore has its own action.
RESTORE = "restore"

# API 2.17: an NMI into the guest; no task_state, as in Nova.
TRIGGER_CRASH_DUMP = "trigger_crash_dump"
EVENT_TRIGGER_CRASH_DUMP = "compute_trigger_crash_dump"
EVENT_SOFT_DELETE = "compute_soft_delete_instance"
EVENT_RESTORE = "compute_restore_instance"

# Recorded by the api in Nova (no compute host takes part): the action and,
# for lock and unlock, one ``api_*`` event; os-resetState has no event.
LOCK = "lock"
UNLOCK = "unlock"
RESET_STATE = "resetState"
EVENT_API_LOCK = "api_lock"
EVENT_API_UNLOCK = "api_unlock"

# Rescue: the guest boots from a rescue image, its own disk attached second.
RESCUE = "rescue"
UNRESCUE = "unrescue"
EVENT_RESCUE = "compute_rescue_instance"
EVENT_UNRESCUE = "compute_unrescue_instance"

# createImage and shelving, Nova's action and event names.
CREATE_IMAGE = "createImage"
SHELVE = "shelve"
SHELVE_OFFLOAD = "shelveOffload"
UNSHELVE = "unshelve"
EVENT_SNAPSHOT = "compute_snapshot_instance"
EVENT_SHELVE = "compute_shelve_instance"
EVENT_SHELVE_OFFLOAD = "compute_shelve_offload_instance"
EVENT_UNSHELVE = "compute_unshelve_instance"
# The conductor's scheduling of an offloaded server's unshelve (Nova's name).
EVENT_UNSHELVE_SCHEDULE = "schedule_instances"

# Cold migration and resize (Nova's action and event names).
MIGRATE = "migrate"
RESIZE = "resize"
CONFIRM_RESIZE = "confirmResize"
REVERT_RESIZE = "revertResize"
EVENT_MIGRATE_SERVER = "conductor_migrate_server"
EVENT_PREP_RESIZE = "compute_prep_resize"
EVENT_RESIZE_INSTANCE = "compute_resize_instance"
EVENT_FINISH_RESIZE = "compute_finish_resize"
EVENT_CONFIRM_RESIZE = "compute_confirm_resize"
EVENT_REVERT_RESIZE = "compute_revert_resize"
EVENT_FINISH_REVERT_RESIZE = "compute_finish_revert_resize"
