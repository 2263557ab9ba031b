"""The compute host's side of rescue and unrescue (Nova's ``rescue_instance``
and ``unrescue_instance``), mixed into ``ComputeManager``.

A rescue powers the guest off and has the driver boot it from a rescue
image, the guest's own disk attached second so the rescue system can
repair it; unrescue boots the original guest again. The api already moved
the instance to ``rescuing`` / ``unrescuing`` and recorded the action; each
ends in one ``instance_action_finish`` (retried): RESCUED or ACTIVE, or,
as in Nova, ERROR with the driver's failure as the fault. A rescue image
that cannot be read only clears the task (the guest was not touched), with
the cause as the fault.
"""

import traceback

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from minova import exception
from minova.objects import actions, states

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def _describe(exc: Exception) -> str:
    if isinstance(exc, exception.MinovaException):
        return exc.format_message()
    return f"{type(exc).__name__}: {exc}"


class RescueMixin:
    """``rescue_instance`` / ``unrescue_instance`` (compute RPC 1.7) for
    ``ComputeManager``, whose ``_locks``, ``report``, ``driver``,
    ``conductor_api`` and ``_power_state`` they use."""

    def _rescue_image(self, ctxt, instance: dict, rescue_image_ref: str | None) -> dict:
        """Nova's ``_get_rescue_image``: the image asked for, else the
        server's own (minova keeps no ``image_base_image_ref``)."""
        return self.conductor_api.image_get(ctxt, rescue_image_ref or instance["image_ref"])

    def _still(self, ctxt, uuid: str, task_state: str) -> bool:
        """Is the instance still in ``task_state``? A cast taken after this
        host's restart set it to ERROR (or after a delete) is skipped."""
        try:
            current = self.conductor_api.instance_get(ctxt, uuid)
        except exception.InstanceNotFound:
            current = None
        if current is None or current["task_state"] != task_state:
            LOG.info("Not running the %s of %s: it is no longer %s", task_state, uuid,
                     task_state)
            return False
        return True

    def rescue_instance(self, ctxt, instance: dict, rescue_password: str | None = None,
                        rescue_image_ref: str | None = None,
                        clean_shutdown: bool = True) -> None:
        uuid = instance["uuid"]
        event = actions.EVENT_RESCUE
        with self._locks(uuid):
            if not self._still(ctxt, uuid, states.RESCUING):
                return
            self.conductor_api.action_event_start(ctxt, uuid, event, self.host)
            try:
                image_meta = self._rescue_image(ctxt, instance, rescue_image_ref)
            except Exception as exc:  # gone since the api checked it, or unreadable
                LOG.warning("Rescue image of instance %s cannot be read: %s", uuid,
                            _describe(exc))
                self.report.instance_action_finish(
                    ctxt, uuid, event, self.host,
                    {"task_state": None, "power_state": self._power_state(instance)},
                    expected_task_state=[states.RESCUING], error=_describe(exc),
                    traceback=traceback.format_exc())
                return
            try:
                timeout = CONF.shutdown_timeout if clean_shutdown else 0
                self.driver.power_off(ctxt, instance, timeout)
                self.driver.rescue(ctxt, instance, image_meta, rescue_password)
            except Exception as exc:  # the driver's failure, whatever it is
                LOG.exception("Rescue of instance %s failed", uuid)
                reason = exception.InstanceNotRescuable(
                    instance_id=uuid, reason=f"Driver Error: {_describe(exc)}")
                self.report.instance_action_finish(
                    ctxt, uuid, event, self.host,
                    {"vm_state": states.ERROR, "task_state": None,
                     "power_state": self._power_state(instance)},
                    expected_task_state=[states.RESCUING], error=reason.format_message(),
                    traceback=traceback.format_exc())
                return
            self.report.instance_action_finish(
                ctxt, uuid, event, self.host,
                {"vm_state": states.RESCUED, "task_state": None,
                 "power_state": self._power_state(instance),
                 "launched_at": timeutils.utcnow().isoformat()},
                expected_task_state=[states.RESCUING])
            LOG.info("Rescued instance %s from image %s", uuid, image_meta.get("id"))

    def unrescue_instance(self, ctxt, instance: dict) -> None:
        uuid = instance["uuid"]
        event = actions.EVENT_UNRESCUE
        with self._locks(uuid):
            if not self._still(ctxt, uuid, states.UNRESCUING):
                return
            self.conductor_api.action_event_start(ctxt, uuid, event, self.host)
            try:
                self.driver.unrescue(ctxt, instance)
            except Exception as exc:  # the driver's failure, whatever it is
                LOG.exception("Unrescue of instance %s failed", uuid)
                self.report.instance_action_finish(
                    ctxt, uuid, event, self.host,
                    {"vm_state": states.ERROR, "task_state": None,
                     "power_state": self._power_state(instance)},
                    expected_task_state=[states.UNRESCUING], error=_describe(exc),
                    traceback=traceback.format_exc())
                return
            self.report.instance_action_finish(
                ctxt, uuid, event, self.host,
                {"vm_state": states.ACTIVE, "task_state": None,
                 "power_state": self._power_state(instance)},
                expected_task_state=[states.UNRESCUING])
            LOG.info("Unrescued instance %s", uuid)
