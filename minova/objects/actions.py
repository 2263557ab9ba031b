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

EVENT_STOP = "compute_stop_instance"
EVENT_START = "compute_start_instance"
EVENT_REBOOT = "compute_reboot_instance"
EVENT_PAUSE = "compute_pause_instance"
EVENT_UNPAUSE = "compute_unpause_instance"
EVENT_SUSPEND = "compute_suspend_instance"
EVENT_RESUME = "compute_resume_instance"
EVENT_POWER_SYNC = "compute_sync_power_state"
