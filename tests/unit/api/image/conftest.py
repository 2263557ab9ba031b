"""A client of the whole api app whose image facade is the in-memory fake."""

import json

import pytest
import webob

from minova.api import app as api_app
from minova.api.image import store as image_store
from tests.unit.api import fakes as api_fakes

from . import fakes


class ImageClient:
    def __init__(self, image_api, store) -> None:
        self.image_api = image_api
        self.store = store
        self.app = api_app.make_app(api_fakes.make_facades(image_api=image_api),
                                    image_store=store)

    def request(self, method: str, path: str, body=None, token: str | None = fakes.USER_TOKEN,
                content_type: str | None = "application/json", raw: bytes | None = None,
                headers: dict | None = None) -> webob.Response:
        req = webob.Request.blank(path, method=method)
        if token is not None:
            req.headers["X-Auth-Token"] = token
        if raw is not None:
            req.body = raw
        elif body is not None:
            req.body = json.dumps(body).encode()
        if content_type is not None and (raw is not None or body is not None):
            req.content_type = content_type
        for key, value in (headers or {}).items():
            req.headers[key] = value
        return req.get_response(self.app)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, ops, **kw):
        kw.setdefault("content_type", "application/openstack-images-v2.1-json-patch")
        return self.request("PATCH", path, body=ops, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def put_file(self, image_id, data: bytes, **kw):
        kw.setdefault("content_type", "application/octet-stream")
        return self.request("PUT", f"/image/v2/images/{image_id}/file", raw=data, **kw)


@pytest.fixture
def store(tmp_path):
    return image_store.FilesystemStore(str(tmp_path / "images"))


@pytest.fixture
def image_api():
    return api_fakes.FakeImageAPI(fakes.images())


@pytest.fixture
def client(image_api, store):
    return ImageClient(image_api, store)
