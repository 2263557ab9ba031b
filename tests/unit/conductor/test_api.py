"""The api's ComputeTaskAPI facade: one round trip to a conductor of this
release, create-then-build to one that predates RPC 1.9."""

import pytest

from minova.conductor import api as conductor_api
from minova.conductor import rpcapi


class RecordingClient:
    def __init__(self, newest: str) -> None:
        self.newest, self.sent = newest, []

    def can_send_version(self, version: str) -> bool:
        return tuple(map(int, version.split("."))) <= tuple(map(int, self.newest.split(".")))

    def schedule_and_build_instances(self, ctxt, base, count, request_spec):
        self.sent.append("schedule_and_build_instances")
        return [{"uuid": "u1", "display_name": "vm"}]

    def create_instances(self, ctxt, base, count, request_spec):
        self.sent.append("create_instances")
        return {"instances": [{"uuid": "u1", "display_name": "vm", "vm_state": "building"}],
                "request_spec": {"num_instances": 1}}

    def build_instances(self, ctxt, instance_uuids, request_spec):
        self.sent.append(("build_instances", instance_uuids, request_spec))


@pytest.mark.parametrize("newest, sent", [
    ("1.9", ["schedule_and_build_instances"]),
    ("1.8", ["create_instances", ("build_instances", ["u1"], {"num_instances": 1})]),
])
def test_create_in_one_call_or_two_by_what_the_conductor_speaks(newest, sent):
    client = RecordingClient(newest)
    facade = conductor_api.ComputeTaskAPI(client)
    assert facade.schedule_and_build_instances(None, {}, 1, {}) == [
        {"uuid": "u1", "display_name": "vm"}]
    assert client.sent == sent


def test_upgrade_level_caps_what_the_client_sends():
    from oslo_config import cfg

    assert rpcapi.ComputeTaskAPI().can_send_version("1.9")
    cfg.CONF.set_override("conductor", "1.8", group="upgrade_levels")
    capped = rpcapi.ComputeTaskAPI()
    assert capped.can_send_version("1.8") and not capped.can_send_version("1.9")
