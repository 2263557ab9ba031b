"""The compute host's reports to the conductor, retried across broker and database outages.

Each report is a call whose conductor handler is idempotent (keyed by the
instance and the state it is expected in), so sending it again after a
lost answer is safe; ``minova.retry`` does the retrying. How long each is
worth retrying follows from what is lost if it is dropped:

* a build's outcome (``build_finished``, ``build_failed``): until it is
  delivered, or the service stops. It is the only record that a guest
  runs, or that its host must be given back; dropping it turns a running
  guest into an ERROR "timed out", or leaves the build in BUILD. A late
  delivery is harmless: the conductor answers it for what the instance
  has become (see ``ComputeManager._build_finished_too_late``).
  ``build_failed`` is sent as a call here: a cast lost with a broker
  restart would never be noticed.
* an action's result, a destroyed guest: ``[DEFAULT]
  conductor_call_retry_timeout`` (minutes: longer than a RabbitMQ restart
  or a database failover), then given up with an error in the log.
* the inventory report: until the next one is due (it would only repeat it).

The heartbeat, which every service sends, is retried the same way by
``minova.service``.
"""

import threading

from oslo_config import cfg
from oslo_log import log as logging

from minova import retry

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


class ConductorCalls:
    """The retried calls; ``stopping`` is set when the service stops, which ends
    every retry at once (the report is then lost, as with a kill)."""

    def __init__(self, conductor_api, compute_task_api,
                 stopping: threading.Event | None = None, **retry_options) -> None:
        self._conductor = retry.bounded_client(conductor_api)
        self._tasks = retry.bounded_client(compute_task_api)
        self.stopping = stopping or threading.Event()
        # clock / wait / backoff, for tests
        self._retry_options = retry_options

    def _retried(self, what: str, give_up_after: float | None, func, *args, **kwargs):
        try:
            return retry.call(lambda: func(*args, **kwargs), what=what,
                              give_up_after=give_up_after, stop=self.stopping,
                              **self._retry_options)
        except Exception as exc:
            if not (self.stopping.is_set() and retry.is_transient(exc)):
                raise
            # Given up because the service stops: the report is left, as a
            # kill would leave it (the restarted compute reports a build
            # whose guest runs; build recovery casts the others again). Not
            # raised into the RPC server, which would log it as a failure.
            LOG.warning("%s left unreported: the service is stopping", what)
            return None

    # --- a build's outcome: until delivered

    def build_finished(self, ctxt, instance_uuid: str, host: str, power_state: int,
                       root_device_name: str | None, failed_builds_reset: bool) -> None:
        self._retried(f"build_finished of {instance_uuid}", None, self._tasks.build_finished,
                      ctxt, instance_uuid, host, power_state,
                      root_device_name=root_device_name,
                      failed_builds_reset=failed_builds_reset)

    def build_failed(self, ctxt, instance_uuid: str, host: str, node: str | None, reason: str,
                     details: str | None, request_spec: dict, alternates: list,
                     reschedule: bool) -> None:
        self._retried(f"build_failed of {instance_uuid}", None, self._tasks.build_failed,
                      ctxt, instance_uuid, host, node, reason=reason, details=details,
                      request_spec=request_spec, alternates=alternates,
                      reschedule=reschedule, wait_for_receipt=True)

    # --- progress: for conductor_call_retry_timeout

    def instance_action_finish(self, ctxt, instance_uuid: str, event: str, host: str,
                               updates: dict, expected_task_state: list,
                               error: str | None = None, traceback: str | None = None) -> None:
        self._retried(f"{event} result of {instance_uuid}", CONF.conductor_call_retry_timeout,
                      self._conductor.instance_action_finish, ctxt, instance_uuid, event, host,
                      updates, expected_task_state, error=error, traceback=traceback)

    def instance_destroy(self, ctxt, instance_uuid: str, host: str) -> None:
        self._retried(f"instance_destroy of {instance_uuid}", CONF.conductor_call_retry_timeout,
                      self._conductor.instance_destroy, ctxt, instance_uuid, host)

    def shelve_offload_finish(self, ctxt, instance_uuid: str, host: str, event: str | None,
                              expected_task_state: list, error: str | None = None,
                              traceback: str | None = None) -> None:
        """The guest of a shelved server is gone from ``host``: SHELVED_OFFLOADED,
        the claim freed (idempotent, so it is retried like the others)."""
        self._retried(f"offload of {instance_uuid}", CONF.conductor_call_retry_timeout,
                      self._tasks.shelve_offload_finish, ctxt, instance_uuid, host, event,
                      expected_task_state, error=error, traceback=traceback)

    # --- the inventory: until the next report

    def compute_node_update(self, ctxt, service_id: int, host: str, nodename: str,
                            resources: dict) -> dict:
        return self._retried(f"inventory report of {nodename}", CONF.update_resources_interval,
                             self._conductor.compute_node_update, ctxt, service_id, host,
                             nodename, resources)
