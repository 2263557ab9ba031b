"""A deployment as the openstack CLI and openstacksdk see it: a clouds.yaml.

``started(auth, tmp_path)`` brings up one multi-process deployment, with
a real Keystone for ``auth == "keystone"``, and writes a clouds.yaml with
two clouds, ``admin`` (an administrator) and ``demo`` (a member of project
demo). For noauth2 the file is etc/clouds.yaml itself with the
deployment's port in place of 8774, so the file the README points users
at is the one under test; for keystone it is a password cloud on the
Keystone fixture's users, with minova's endpoints given as overrides
(Keystone's catalog has no compute or image entry).
"""

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from tests.functional.deployment import Deployment
from tests.functional.keystone_fixture import PASSWORD, Keystone

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED = os.path.join(ROOT, "etc", "clouds.yaml")
DEFAULT_ENDPOINT = "127.0.0.1:8774"


@dataclass
class Clouds:
    auth: str
    deployment: Deployment
    config_file: str
    keystone: Keystone | None = None
    names: dict = field(default_factory=dict)  # role ("admin"/"demo") -> cloud name

    def project_id(self, role: str) -> str:
        """The id of the project ``role``'s cloud acts in."""
        if self.keystone is None:
            return "admin" if role == "admin" else "demo"
        return self.keystone.project_ids["admin" if role == "admin" else "demo"]

    def compute_version(self) -> tuple[int, int]:
        """The newest microversion the api offers: the one the clients negotiate."""
        status, body, _ = self.deployment.api.get("/v2.1")
        assert status == 200, body
        major, minor = body["version"]["version"].split(".")
        return int(major), int(minor)

    def user_id(self, role: str) -> str:
        if self.keystone is None:
            return "admin" if role == "admin" else "demo"
        return self.keystone.user_ids["admin" if role == "admin" else "alice"]


def _with_port(value, port: int):
    if isinstance(value, dict):
        return {key: _with_port(item, port) for key, item in value.items()}
    if isinstance(value, str):
        return value.replace(DEFAULT_ENDPOINT, f"127.0.0.1:{port}")
    return value


def noauth_clouds(port: int) -> dict:
    """etc/clouds.yaml for an api on ``port``."""
    with open(SHIPPED) as handle:
        shipped = yaml.safe_load(handle)
    return _with_port(shipped, port)


def keystone_clouds(keystone: Keystone, port: int) -> dict:
    def cloud(user: str, project: str) -> dict:
        return {
            "auth_type": "password",
            "auth": {"auth_url": keystone.url, "username": user, "password": PASSWORD,
                     "project_name": project, "user_domain_name": "Default",
                     "project_domain_name": "Default"},
            "compute_endpoint_override": f"http://127.0.0.1:{port}/v2.1",
            "image_endpoint_override": f"http://127.0.0.1:{port}/image",
        }
    return {"clouds": {"keystone-admin": cloud("admin", "admin"),
                       "keystone-demo": cloud("alice", "demo")}}


@contextlib.contextmanager
def started(auth: str, tmp_path) -> Iterator[Clouds]:
    """A running deployment (and Keystone) with its clouds.yaml; all stopped after,
    Keystone too when stopping the deployment fails."""
    keystone = None
    # Nova's default quotas, which Deployment lifts for tests that boot many.
    conf = {"quota": {"instances": 10, "cores": 20, "ram": 51200, "server_groups": 10,
                      "server_group_members": 10}}
    with contextlib.ExitStack() as stack:
        if auth == "keystone":
            os.makedirs(tmp_path / "keystone")
            keystone = stack.enter_context(Keystone(tmp_path / "keystone"))
            deployment = Deployment(
                tmp_path, computes=("compute1",),
                conf={**conf, "api": {"auth_strategy": "keystone"},
                      "keystone_authtoken": keystone.authtoken_options()},
                api_token=keystone.token("admin"))
        else:
            deployment = Deployment(tmp_path, computes=("compute1",), conf=conf)
        stack.callback(deployment.cleanup)
        stack.callback(deployment.stop)
        deployment.start()
        if keystone is None:
            config = noauth_clouds(deployment.port)
            names = {"admin": "minova-admin", "demo": "minova-demo"}
        else:
            config = keystone_clouds(keystone, deployment.port)
            names = {"admin": "keystone-admin", "demo": "keystone-demo"}
        config_file = str(tmp_path / "clouds.yaml")
        with open(config_file, "w") as handle:
            yaml.safe_dump(config, handle)
        yield Clouds(auth, deployment, config_file, keystone, names)
