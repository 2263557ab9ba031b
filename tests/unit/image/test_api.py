"""The compute-side image client against a tiny local HTTP server."""

import hashlib
import http.server
import os
import socket
import threading

import pytest

from minova import context as minova_context
from minova import exception
from minova.image import api as image_api

IMAGE_ID = "155d900f-4e14-4e4c-a73d-069cbf4541e6"
DATA = os.urandom(200_000 + 3)


def _meta(data: bytes = DATA, **kwargs) -> dict:
    meta = {"id": IMAGE_ID, "size": len(data), "checksum": hashlib.md5(data).hexdigest(),
            "os_hash_algo": "sha512", "os_hash_value": hashlib.sha512(data).hexdigest()}
    meta.update(kwargs)
    return meta


class ImageServer:
    """Serves ``/image/v2/images/<id>/file``; each request pops the next planned answer.

    An answer is ``(status, body)`` or ``("truncate", body)`` (announce the
    full length, send half, close). When the plan is empty, 200 with DATA.
    """

    def __init__(self) -> None:
        self.plan: list[tuple] = []
        self.requests: list[dict] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append({"path": self.path, "headers": dict(self.headers)})
                status, body = server.plan.pop(0) if server.plan else (200, DATA)
                if status == "truncate":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[:len(body) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/image"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = ImageServer()
    yield srv
    srv.stop()


@pytest.fixture
def dead_url():
    """A URL nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/image"


@pytest.fixture
def ctxt():
    return minova_context.RequestContext(user_id="alice", project_id="demo",
                                         request_id="req-" + "1" * 8 + "-1111-1111-1111-"
                                         + "1" * 12)


def _client(servers, retries=2) -> image_api.API:
    return image_api.API(api_servers=servers, num_retries=retries, timeout=5)


def test_download_good_checksum(server, ctxt, tmp_path):
    dest = str(tmp_path / "disk")
    _client([server.url]).download(ctxt, _meta(), dest)
    with open(dest, "rb") as handle:
        assert handle.read() == DATA
    assert os.listdir(tmp_path) == ["disk"]
    [request] = server.requests
    assert request["path"] == f"/image/v2/images/{IMAGE_ID}/file"
    assert request["headers"]["X-Auth-Token"] == "alice:demo"
    assert request["headers"]["X-OpenStack-Request-ID"] == ctxt.request_id


def test_download_sends_a_keystone_token_when_there_is_one(server, ctxt, tmp_path):
    ctxt.auth_token = "gAAAAABkeystone"
    _client([server.url]).download(ctxt, _meta(), str(tmp_path / "disk"))
    assert server.requests[0]["headers"]["X-Auth-Token"] == "gAAAAABkeystone"


@pytest.mark.parametrize("meta", [
    _meta(os_hash_value="0" * 128),
    _meta(checksum="0" * 32),
    _meta(size=len(DATA) + 1),
    _meta(os_hash_value=hashlib.sha512(b"x").hexdigest(), checksum=None),
])
def test_download_bad_checksum_raises_and_leaves_no_file(server, ctxt, tmp_path, meta):
    dest = str(tmp_path / "disk")
    with pytest.raises(exception.ImageChecksumMismatch) as info:
        _client([server.url]).download(ctxt, meta, dest)
    assert info.value.kwargs["image_id"] == IMAGE_ID
    assert os.listdir(tmp_path) == []
    assert len(server.requests) == 1  # corrupt data is not fetched again


def test_download_without_checksums_is_accepted(server, ctxt, tmp_path):
    dest = str(tmp_path / "disk")
    _client([server.url]).download(ctxt, {"id": IMAGE_ID}, dest)
    assert os.path.getsize(dest) == len(DATA)


def test_server_down_retries_then_fails(dead_url, ctxt, tmp_path):
    dest = str(tmp_path / "disk")
    with pytest.raises(exception.ImageDownloadFailed) as info:
        _client([dead_url], retries=2).download(ctxt, _meta(), dest)
    message = info.value.format_message()
    assert message.startswith(f"Download of image {IMAGE_ID} failed: 3 attempt(s) failed")
    assert message.count(dead_url) == 3
    assert os.listdir(tmp_path) == []


def test_server_errors_are_retried(server, ctxt, tmp_path):
    server.plan = [(503, b"busy"), ("truncate", DATA)]
    dest = str(tmp_path / "disk")
    _client([server.url], retries=2).download(ctxt, _meta(), dest)
    assert len(server.requests) == 3
    with open(dest, "rb") as handle:
        assert handle.read() == DATA


def test_retries_run_out(server, ctxt, tmp_path):
    server.plan = [(500, b"x")] * 5
    with pytest.raises(exception.ImageDownloadFailed):
        _client([server.url], retries=1).download(ctxt, _meta(), str(tmp_path / "disk"))
    assert len(server.requests) == 2
    assert os.listdir(tmp_path) == []


def test_next_server_is_tried(dead_url, server, ctxt, tmp_path):
    dest = str(tmp_path / "disk")
    _client([dead_url, server.url], retries=1).download(ctxt, _meta(), dest)
    assert os.path.getsize(dest) == len(DATA)
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [204, 401, 403, 404])
def test_hopeless_answers_are_not_retried(server, ctxt, tmp_path, status):
    server.plan = [(status, b"")]
    with pytest.raises(exception.ImageDownloadFailed):
        _client([server.url], retries=3).download(ctxt, _meta(), str(tmp_path / "disk"))
    assert len(server.requests) == 1
    assert os.listdir(tmp_path) == []


def test_defaults_come_from_glance_options(ctxt):
    from oslo_config import cfg

    cfg.CONF.set_override("api_servers", ["http://a/image", "http://b/image"], group="glance")
    cfg.CONF.set_override("num_retries", 5, group="glance")
    client = image_api.API(conductor_api=object())
    assert client.api_servers == ["http://a/image", "http://b/image"]
    assert client.num_retries == 5


@pytest.mark.parametrize("listen,url", [
    ("127.0.0.1", "http://127.0.0.1:18774/image"),
    ("0.0.0.0", "http://127.0.0.1:18774/image"),  # noqa: S104 (a listen address)
    ("::", "http://[::1]:18774/image"),
    ("192.0.2.7", "http://192.0.2.7:18774/image"),
])
def test_unset_api_servers_follow_the_api_listen_options(listen, url):
    # Not a fixed 127.0.0.1:8774: an api moved to another port must still
    # be where a compute of the same config downloads from.
    from oslo_config import cfg

    cfg.CONF.set_override("osapi_compute_listen", listen)
    cfg.CONF.set_override("osapi_compute_listen_port", 18774)
    assert cfg.CONF.glance.api_servers is None
    assert image_api.API(conductor_api=object()).api_servers == [url]
    cfg.CONF.set_override("api_servers", ["http://api.example:8774/image"], group="glance")
    assert image_api.API(conductor_api=object()).api_servers == [
        "http://api.example:8774/image"]


def test_get_reads_the_record_through_the_conductor(ctxt):
    class Conductor:
        def image_get(self, context, image_id):
            return {"id": image_id, "asked_by": context.project_id}

    assert image_api.API(conductor_api=Conductor()).get(ctxt, IMAGE_ID) == {
        "id": IMAGE_ID, "asked_by": "demo"}
