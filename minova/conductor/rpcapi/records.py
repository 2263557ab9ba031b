"""Instances, instance actions, services and compute nodes: the records
the api, scheduler and compute hosts read and write through the conductor."""

from minova.conductor.rpcapi.client import _Client
from minova.context import RequestContext
from minova.objects import packed_rows


class RecordsAPI(_Client):
    """Instance, action, service and compute node records."""

    # --- instances

    def instance_get(self, ctxt: RequestContext, instance_uuid: str,
                     read_deleted: bool = False) -> dict:
        """The instance as ``ctxt`` may see it; a deleted one too with ``read_deleted`` (1.3)."""
        if read_deleted:
            return self._call(ctxt, "instance_get", version="1.3", instance_uuid=instance_uuid,
                              read_deleted=True)
        return self._call(ctxt, "instance_get", instance_uuid=instance_uuid)

    def instance_get_all(self, ctxt: RequestContext, filters: dict | None = None,
                         limit: int | None = None, marker: str | None = None,
                         sort_keys: list | None = None,
                         sort_dirs: list | None = None,
                         columns: list[str] | None = None) -> list[dict]:
        """``columns``: only those (see db.instances.get_all); sent only when
        given, so a conductor that predates it still answers (with every column).
        With them, from 1.16 the answer comes packed (objects.packed_rows: half
        the bytes of a page of 1000 servers) and is unpacked here."""
        if columns is not None and self.can_send_version("1.16"):
            return packed_rows.unpack(self._call(
                ctxt, "instance_get_all", version="1.16", filters=filters or {}, limit=limit,
                marker=marker, sort_keys=sort_keys, sort_dirs=sort_dirs, columns=columns,
                packed=True))
        if columns is not None:
            return self._call(ctxt, "instance_get_all", filters=filters or {}, limit=limit,
                              marker=marker, sort_keys=sort_keys, sort_dirs=sort_dirs,
                              columns=columns)
        return self._call(ctxt, "instance_get_all", filters=filters or {}, limit=limit,
                          marker=marker, sort_keys=sort_keys, sort_dirs=sort_dirs)

    def instance_action_finish(self, ctxt: RequestContext, instance_uuid: str, event: str,
                               host: str, updates: dict, expected_task_state: list,
                               error: str | None = None,
                               traceback: str | None = None) -> None:
        """Apply the outcome of a compute action, close its event and its action."""
        return self._call(ctxt, "instance_action_finish", instance_uuid=instance_uuid, event=event,
                          host=host, updates=updates, expected_task_state=expected_task_state,
                          error=error, traceback=traceback)

    # --- compute host side

    def instance_update(self, ctxt: RequestContext, instance_uuid: str, updates: dict,
                        expected_task_state=None, expected_vm_state=None) -> dict:
        """Compare-and-swap: applies ``updates`` only if the states are as expected.

        ``expected_*`` of None means "do not check"; a list means "any of these"
        (put None in the list to accept an idle instance).
        """
        return self._call(ctxt, "instance_update", instance_uuid=instance_uuid, updates=updates,
                          expected_task_state=expected_task_state,
                          expected_vm_state=expected_vm_state)

    def instance_destroy(self, ctxt: RequestContext, instance_uuid: str, host: str) -> None:
        """The guest is gone from ``host``: free the allocation, mark the instance deleted."""
        return self._call(ctxt, "instance_destroy", instance_uuid=instance_uuid, host=host)

    def instance_get_all_by_host(self, ctxt: RequestContext, host: str) -> list[dict]:
        return self._call(ctxt, "instance_get_all_by_host", host=host)

    def action_event_start(self, ctxt: RequestContext, instance_uuid: str, event: str,
                           host: str | None = None) -> None:
        return self._call(ctxt, "action_event_start", instance_uuid=instance_uuid, event=event,
                          host=host)

    def action_event_finish(self, ctxt: RequestContext, instance_uuid: str, event: str,
                            result: str, host: str | None = None,
                            traceback: str | None = None,
                            details: str | None = None) -> None:
        return self._call(ctxt, "action_event_finish", instance_uuid=instance_uuid, event=event,
                          result=result, host=host, traceback=traceback, details=details)

    # --- services and compute nodes

    def service_register(self, ctxt: RequestContext, host: str, binary: str,
                         topic: str, timeout: float | None = None) -> dict:
        """Create or find the service record. A short ``timeout`` lets a service
        that starts before the conductor retry soon: RabbitMQ drops a message
        sent before the conductor's queue exists."""
        return self._call(ctxt, "service_register", timeout=timeout, host=host, binary=binary,
                          topic=topic)

    def service_heartbeat(self, ctxt: RequestContext, service_id: int,
                          building: list[str] | None = None) -> None:
        """``building``: a compute's builds taken and not yet reported; not sent
        to a conductor older than 1.10 (it then never re-casts to this host)."""
        if building is not None and self.client.can_send_version("1.10"):
            return self._call(ctxt, "service_heartbeat", version="1.10",
                              service_id=service_id, building=building)
        return self._call(ctxt, "service_heartbeat", service_id=service_id)

    def service_get_all(self, ctxt: RequestContext, binary: str | None = None,
                        host: str | None = None) -> list[dict]:
        return self._call(ctxt, "service_get_all", binary=binary, host=host)

    def service_update(self, ctxt: RequestContext, values: dict,
                       service_uuid: str | None = None, host: str | None = None,
                       binary: str | None = None) -> dict:
        """Set disabled/disabled_reason/forced_down on the service named by uuid or
        by host and binary; returns its service_get_all view."""
        return self._call(ctxt, "service_update", version="1.2", values=values,
                          service_uuid=service_uuid, host=host, binary=binary)

    def compute_node_update(self, ctxt: RequestContext, service_id: int, host: str,
                            nodename: str, resources: dict) -> dict:
        """Create or update this host's compute node from the driver's inventory."""
        return self._call(ctxt, "compute_node_update", service_id=service_id, host=host,
                          nodename=nodename, resources=resources)

    def compute_node_get_all(self, ctxt: RequestContext) -> list[dict]:
        return self._call(ctxt, "compute_node_get_all")

    def compute_node_get(self, ctxt: RequestContext, compute_node_id: str) -> dict:
        return self._call(ctxt, "compute_node_get", compute_node_id=compute_node_id)

    def get_host_states(self, ctxt: RequestContext,
                        since_generations: dict | None = None) -> dict:
        """Host states for the scheduler (see docs/architecture.md for the shape)."""
        return self._call(ctxt, "get_host_states", since_generations=since_generations)

    # --- instance actions

    def actions_get(self, ctxt: RequestContext, instance_uuid: str) -> list[dict]:
        return self._call(ctxt, "actions_get", instance_uuid=instance_uuid)

    def action_get_by_request_id(self, ctxt: RequestContext, instance_uuid: str,
                                 request_id: str) -> dict:
        return self._call(ctxt, "action_get_by_request_id", instance_uuid=instance_uuid,
                          request_id=request_id)
