"""The image client's upload (a compute host's snapshot bytes) and delete
(record and bytes, through the image API) against a tiny local HTTP server."""

import http.server
import threading

import pytest

from minova import exception
from tests.unit.image.test_api import IMAGE_ID, _client, ctxt, dead_url  # noqa: F401


class Recorder:
    """Answers PUT and DELETE from ``plan`` (status codes; empty: 204) and
    records each request's method, path, token and body."""

    def __init__(self) -> None:
        self.plan: list[int] = []
        self.requests: list[tuple] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorder.requests.append((self.command, self.path,
                                          self.headers.get("X-Auth-Token"), body))
                status = recorder.plan.pop(0) if recorder.plan else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_PUT = do_DELETE = _answer

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/image"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def recorder():
    srv = Recorder()
    yield srv
    srv.stop()


@pytest.fixture
def snapshot(tmp_path):
    path = tmp_path / "snapshot"
    path.write_bytes(b"disk bytes" * 1000)
    return str(path)


def test_upload_puts_the_file_as_the_images_data(recorder, ctxt, snapshot):  # noqa: F811
    _client([recorder.url]).upload(ctxt, IMAGE_ID, snapshot)
    [(method, path, token, body)] = recorder.requests
    assert (method, path) == ("PUT", f"/image/v2/images/{IMAGE_ID}/file")
    assert token == "alice:demo" and body == b"disk bytes" * 1000


def test_a_server_error_is_tried_again_a_refusal_is_not(recorder, ctxt, snapshot):  # noqa: F811
    recorder.plan = [503]
    _client([recorder.url]).upload(ctxt, IMAGE_ID, snapshot)
    assert len(recorder.requests) == 2
    recorder.plan = [409]
    with pytest.raises(exception.ImageUploadFailed, match="409"):
        _client([recorder.url]).upload(ctxt, IMAGE_ID, snapshot)
    assert len(recorder.requests) == 3


def test_an_unreachable_service_fails_after_the_retries(dead_url, ctxt, snapshot):  # noqa: F811
    with pytest.raises(exception.ImageUploadFailed, match="2 attempt"):
        _client([dead_url], retries=1).upload(ctxt, IMAGE_ID, snapshot)


@pytest.mark.parametrize("status", [204, 404])
def test_delete_with_data_is_done_when_the_image_is_gone(recorder, ctxt, status):  # noqa: F811
    recorder.plan = [status]
    _client([recorder.url]).delete_with_data(ctxt, IMAGE_ID)
    assert recorder.requests[0][:2] == ("DELETE", f"/image/v2/images/{IMAGE_ID}")


def test_delete_with_data_refused_raises(recorder, ctxt):  # noqa: F811
    recorder.plan = [403]
    with pytest.raises(exception.ImageDeleteFailed, match="403"):
        _client([recorder.url]).delete_with_data(ctxt, IMAGE_ID)
