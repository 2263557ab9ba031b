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
