"""Fakes of the api's facades, and a client of the whole app over them.

``FakeComputeAPI``, ``FakeHostAPI``, ``FakeFlavorAPI`` and ``FakeImageAPI``
implement the facades the REST layer's unit tests drive (test_fakes.py
holds them to the real classes' signatures): canned data, Nova-like
errors, and a record of every call so tests can assert a rejected request
changed nothing. The facades whose behaviour is the conductor's run for
real over ``EndpointConductor``. Everything over the bus is exercised by
the functional tests.
"""

import json

import webob

from minova.api import app as api_app
from minova.api import facades as api_facades
from minova.compute.aggregate_api import AggregateAPI
from minova.compute.keypair_api import KeypairAPI
from minova.compute.migration_api import MigrationAPI
from minova.compute.quota_api import QuotaAPI
from minova.compute.server_group_api import ServerGroupAPI

from .compute import FakeComputeAPI
from .conductor import EndpointConductor
from .data import (
    ADMIN_TOKEN,
    IMAGE_ID,
    OTHER_PROJECT,
    OTHER_TOKEN,
    PRIVATE_IMAGE_ID,
    PROJECT,
    QUEUED_IMAGE_ID,
    USER,
    USER_TOKEN,
    make_flavor,
    make_instance,
)
from .flavors import FakeFlavorAPI
from .hosts import FakeHostAPI
from .images import FakeImageAPI

__all__ = [
    "ADMIN_TOKEN", "IMAGE_ID", "OTHER_PROJECT", "OTHER_TOKEN", "PRIVATE_IMAGE_ID", "PROJECT",
    "QUEUED_IMAGE_ID", "USER", "USER_TOKEN", "Client", "EndpointConductor", "FakeComputeAPI",
    "FakeFlavorAPI", "FakeHostAPI", "FakeImageAPI", "make_facades", "make_flavor",
    "make_instance", "microversion",
]


def make_facades(compute_api=None, conductor_api=None, host_api=None, flavor_api=None,
                 image_api=None) -> api_facades.Facades:
    """The facades an app is built on: the fakes given (fresh ones for the others),
    and the real conductor-backed facades over ``conductor_api`` (an
    EndpointConductor; one serving nothing when not given)."""
    conductor_api = conductor_api or EndpointConductor()
    return api_facades.Facades(
        compute=compute_api or FakeComputeAPI(),
        hosts=host_api or FakeHostAPI(),
        aggregates=AggregateAPI(conductor_api),
        keypairs=KeypairAPI(conductor_api),
        flavors=flavor_api or FakeFlavorAPI(),
        quotas=QuotaAPI(conductor_api),
        server_groups=ServerGroupAPI(conductor_api),
        images=image_api or FakeImageAPI(),
        migrations=MigrationAPI(conductor_api),
    )


class Client:
    """Sends webob requests through a fresh ``make_app`` over the facades.

    Each fake is the one given or a fresh one, kept as an attribute
    (``compute_api``, ``host_api``, ``flavor_api``, ``image_api``) for
    tests to arrange and inspect; ``conductor_api`` is the EndpointConductor
    under the real facades.
    """

    def __init__(self, compute_api: FakeComputeAPI | None = None,
                 conductor_api: EndpointConductor | None = None, *,
                 host_api: FakeHostAPI | None = None, flavor_api: FakeFlavorAPI | None = None,
                 image_api: FakeImageAPI | None = None) -> None:
        self.compute_api = compute_api or FakeComputeAPI()
        self.conductor_api = conductor_api or EndpointConductor()
        self.host_api = host_api or FakeHostAPI()
        self.flavor_api = flavor_api or FakeFlavorAPI()
        self.image_api = image_api or FakeImageAPI()
        self.facades = make_facades(self.compute_api, self.conductor_api, self.host_api,
                                    self.flavor_api, self.image_api)
        self.app = api_app.make_app(self.facades)

    def request(self, method: str, path: str, body=None, token: str | None = USER_TOKEN,
                headers: dict | None = None, raw: bytes | None = None,
                content_type: str | None = "application/json") -> webob.Response:
        req = webob.Request.blank(path, method=method)
        if token is not None:
            req.headers["X-Auth-Token"] = token
        if raw is not None:
            req.body = raw
        elif body is not None:
            req.body = json.dumps(body).encode("utf-8")
        if content_type is not None and (raw is not None or body is not None):
            req.content_type = content_type
        for key, value in (headers or {}).items():
            req.headers[key] = value
        return req.get_response(self.app)

    def get(self, path: str, **kwargs) -> webob.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body=None, **kwargs) -> webob.Response:
        return self.request("POST", path, body=body, **kwargs)

    def delete(self, path: str, **kwargs) -> webob.Response:
        return self.request("DELETE", path, **kwargs)


def microversion(version: str | None) -> dict | None:
    """The headers asking for compute API ``version`` (None: no header, so 2.1)."""
    return {"OpenStack-API-Version": f"compute {version}"} if version else None
