"""The api's ComputeTaskAPI facade in a mixed-version deployment: a conductor
of this release gets the api's instance uuids (1.11) and a create it may be
sent again, one of 1.9 a single call, one older create-then-build."""

import oslo_messaging as messaging
import pytest
from oslo_config import cfg

from minova import exception
from minova.conductor import api as conductor_api
from minova.conductor import rpcapi


class RecordingClient:
    def __init__(self, newest: str) -> None:
        self.newest, self.sent = newest, []

    def can_send_version(self, version: str) -> bool:
        return tuple(map(int, version.split("."))) <= tuple(map(int, self.newest.split(".")))

    def schedule_and_build_instances(self, ctxt, base, count, request_spec,
                                     instance_uuids=None):
        self.sent.append("schedule_and_build_instances" if instance_uuids is None
                         else ("schedule_and_build_instances", instance_uuids))
        return [{"uuid": "u1", "display_name": "vm"}]

    def create_instances(self, ctxt, base, count, request_spec):
        self.sent.append("create_instances")
        return {"instances": [{"uuid": "u1", "display_name": "vm", "vm_state": "building"}],
                "request_spec": {"num_instances": 1}}

    def build_instances(self, ctxt, instance_uuids, request_spec):
        self.sent.append(("build_instances", instance_uuids, request_spec))


@pytest.mark.parametrize("newest, sent", [
    ("1.11", [("schedule_and_build_instances", ["u1"])]),
    ("1.9", ["schedule_and_build_instances"]),
    ("1.8", ["create_instances", ("build_instances", ["u1"], {"num_instances": 1})]),
])
def test_create_in_one_call_or_two_by_what_the_conductor_speaks(newest, sent):
    client = RecordingClient(newest)
    facade = conductor_api.ComputeTaskAPI(client)
    assert facade.schedule_and_build_instances(None, {}, 1, {}, instance_uuids=["u1"]) == [
        {"uuid": "u1", "display_name": "vm"}]
    assert client.sent == sent


class Unanswered(RecordingClient):
    """A conductor that does not answer the first ``silent`` creates in time."""

    def __init__(self, newest: str, silent: int,
                 error: Exception = messaging.MessagingTimeout("no reply")) -> None:
        super().__init__(newest)
        self.silent, self.error = silent, error

    def schedule_and_build_instances(self, ctxt, base, count, request_spec,
                                     instance_uuids=None):
        answer = super().schedule_and_build_instances(ctxt, base, count, request_spec,
                                                      instance_uuids)
        if len(self.sent) <= self.silent:
            raise self.error
        return answer


@pytest.mark.parametrize("error", [messaging.MessagingTimeout("no reply"),
                                   messaging.MessageDeliveryFailure("broker down"),
                                   exception.DatabaseUnavailable()])
def test_a_create_unanswered_is_sent_again_with_the_same_uuids(error):
    client = Unanswered("1.11", silent=1, error=error)
    facade = conductor_api.ComputeTaskAPI(client)
    assert facade.schedule_and_build_instances(None, {}, 1, {}, instance_uuids=["u1"])
    assert client.sent == [("schedule_and_build_instances", ["u1"])] * 2


def test_the_create_gives_up_after_create_attempts():
    cfg.CONF.set_override("create_attempts", 3, group="api")
    client = Unanswered("1.11", silent=5)
    with pytest.raises(messaging.MessagingTimeout):
        conductor_api.ComputeTaskAPI(client).schedule_and_build_instances(
            None, {}, 1, {}, instance_uuids=["u1"])
    assert len(client.sent) == 3


def test_a_conductor_of_1_9_gets_one_attempt():
    """Without the api's uuids a create sent again would be a second create."""
    client = Unanswered("1.9", silent=1)
    with pytest.raises(messaging.MessagingTimeout):
        conductor_api.ComputeTaskAPI(client).schedule_and_build_instances(
            None, {}, 1, {}, instance_uuids=["u1"])
    assert client.sent == ["schedule_and_build_instances"]


def test_the_api_bounds_its_conductor_calls():
    """A dead conductor or broker is a 503 within [api] conductor_timeout."""
    from minova.api import facades

    cfg.CONF.set_override("conductor_timeout", 4, group="api")
    built = facades.build()
    for client in (built.compute.conductor_api, built.compute.compute_task_api.rpcapi):
        assert client.timeout == 4 and client.retry is not None


def test_client_cap_is_1_18():
    """1.12: per-user quotas and quota classes; 1.13: rebuild_instance;
    1.14: server_lock, server_unlock, server_reset_state; 1.15: soft_delete_instance;
    1.16: instance_get_all(packed); 1.17: unshelve_instance, shelve_offload_finish;
    1.18: cold migration and resize."""
    assert rpcapi.ComputeTaskAPI.VERSION_CAP == rpcapi.ConductorAPI.VERSION_CAP == "1.18"
    assert rpcapi.ComputeTaskAPI().can_send_version("1.18")


def test_upgrade_level_caps_what_the_client_sends():
    assert rpcapi.ComputeTaskAPI().can_send_version("1.11")
    cfg.CONF.set_override("conductor", "1.9", group="upgrade_levels")
    capped = rpcapi.ComputeTaskAPI()
    assert capped.can_send_version("1.9") and not capped.can_send_version("1.10")
    cfg.CONF.set_override("conductor", "1.8", group="upgrade_levels")
    capped = rpcapi.ComputeTaskAPI()
    assert capped.can_send_version("1.8") and not capped.can_send_version("1.9")
