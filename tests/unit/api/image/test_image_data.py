"""``/image/v2/images/{id}/file``: streamed upload and download."""

import hashlib
import io
import json
import os

import webob

from minova import exception

from . import fakes

DATA = os.urandom(300 * 1024 + 17)  # bigger than the 112 KiB JSON body limit


def _fault(resp, code: int) -> str:
    assert resp.status_int == code, resp.text
    assert resp.content_type == "application/json"
    [(_, fault)] = json.loads(resp.body).items()
    assert fault["code"] == code
    return fault["message"]


def _leftovers(store) -> list[str]:
    return sorted(os.listdir(store.path)) if os.path.isdir(store.path) else []


class RecordingInput:
    """A wsgi.input that records how much each read asked for, optionally failing."""

    def __init__(self, data: bytes, fail_after: int | None = None) -> None:
        self.stream = io.BytesIO(data)
        self.reads: list[int] = []
        self.fail_after = fail_after

    def read(self, size: int = -1) -> bytes:
        self.reads.append(size)
        if self.fail_after is not None and self.stream.tell() >= self.fail_after:
            raise OSError("connection reset by peer")
        return self.stream.read(size)

    def readline(self, size: int = -1) -> bytes:
        return self.stream.readline(size)


def _put(client, image_id, wsgi_input, headers: dict, token=fakes.USER_TOKEN):
    req = webob.Request.blank(f"/image/v2/images/{image_id}/file", method="PUT")
    req.headers["X-Auth-Token"] = token
    req.headers["Content-Type"] = "application/octet-stream"
    for key, value in headers.items():
        req.headers[key] = value
    req.environ["wsgi.input"] = wsgi_input
    return req.get_response(client.app)


def test_upload_streams_hashes_and_activates(client, store):
    wsgi_input = RecordingInput(DATA)
    resp = _put(client, fakes.QUEUED_ID, wsgi_input, {"Content-Length": str(len(DATA))})
    assert resp.status_int == 204, resp.text
    # read in bounded chunks, never all at once
    assert wsgi_input.reads and max(wsgi_input.reads) <= 64 * 1024
    image = client.image_api.images[fakes.QUEUED_ID]
    assert image["status"] == "active"
    assert image["size"] == len(DATA)
    assert image["checksum"] == hashlib.md5(DATA).hexdigest()
    assert image["os_hash_algo"] == "sha512"
    assert image["os_hash_value"] == hashlib.sha512(DATA).hexdigest()
    with open(os.path.join(store.path, fakes.QUEUED_ID), "rb") as handle:
        assert handle.read() == DATA
    assert _leftovers(store) == [fakes.QUEUED_ID]
    statuses = [c[1]["values"]["status"] for c in client.image_api.mutating_calls()]
    assert statuses == ["saving", "active"]


def test_upload_chunked_body_is_decoded(client, store):
    framed = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                      for part in (DATA[:70000], DATA[70000:70001], DATA[70001:]))
    framed += b"0\r\n\r\n"
    resp = _put(client, fakes.QUEUED_ID, RecordingInput(framed),
                {"Transfer-Encoding": "chunked"})
    assert resp.status_int == 204, resp.text
    assert client.image_api.images[fakes.QUEUED_ID]["size"] == len(DATA)
    assert client.image_api.images[fakes.QUEUED_ID]["checksum"] == hashlib.md5(DATA).hexdigest()


def test_upload_malformed_chunked_body_is_400_and_requeued(client, store):
    resp = _put(client, fakes.QUEUED_ID, RecordingInput(b"zz\r\nabc"),
                {"Transfer-Encoding": "chunked"})
    _fault(resp, 400)
    assert client.image_api.images[fakes.QUEUED_ID]["status"] == "queued"
    assert _leftovers(store) == []


def test_upload_without_length_is_411(client):
    _fault(_put(client, fakes.QUEUED_ID, RecordingInput(b"abc"), {}), 411)
    assert client.image_api.mutating_calls() == []


def test_upload_to_active_image_is_409(client, store):
    message = _fault(client.put_file(fakes.OWN_PRIVATE_ID, b"abc"), 409)
    assert message == "Image status transition from active to saving is not allowed."
    assert client.image_api.mutating_calls() == []
    assert _leftovers(store) == []


def test_upload_lost_race_is_409(client, store):
    client.image_api.fail_with["update"] = exception.ImageStatusConflict(
        current="saving", new="saving")
    _fault(client.put_file(fakes.QUEUED_ID, b"abc"), 409)
    assert _leftovers(store) == []


def test_upload_needs_octet_stream(client):
    _fault(client.put_file(fakes.QUEUED_ID, b"abc", content_type="application/json"), 415)
    _fault(client.put_file(fakes.QUEUED_ID, b"abc", content_type=None), 415)
    assert client.image_api.mutating_calls() == []


def test_upload_needs_formats(client, image_api):
    image_api.images[fakes.QUEUED_ID]["disk_format"] = None
    assert "disk_format" in _fault(client.put_file(fakes.QUEUED_ID, b"abc"), 400)
    assert image_api.mutating_calls() == []


def test_upload_to_other_projects_images(client):
    _fault(client.put_file(fakes.OTHER_PRIVATE_ID, b"abc"), 404)
    client.image_api.images[fakes.PUBLIC_ID]["status"] = "queued"
    _fault(client.put_file(fakes.PUBLIC_ID, b"abc"), 403)
    assert client.image_api.mutating_calls() == []


def test_client_going_away_requeues_and_leaves_nothing(client, store):
    resp = _put(client, fakes.QUEUED_ID, RecordingInput(DATA, fail_after=128 * 1024),
                {"Content-Length": str(len(DATA))})
    assert resp.status_int == 500
    assert client.image_api.images[fakes.QUEUED_ID]["status"] == "queued"
    assert _leftovers(store) == []


def test_short_body_is_400_and_requeued(client, store):
    resp = _put(client, fakes.QUEUED_ID, RecordingInput(b"abc"), {"Content-Length": "10"})
    assert "ended after 3 of 10 bytes" in _fault(resp, 400)
    assert client.image_api.images[fakes.QUEUED_ID]["status"] == "queued"
    assert _leftovers(store) == []


def test_image_deleted_during_upload_is_410_and_bytes_removed(client, image_api, store):
    original = image_api.update

    def delete_then_update(ctxt, image_id, values, **kwargs):
        if values.get("status") == "active":
            image_api.images.pop(image_id)
        return original(ctxt, image_id, values, **kwargs)

    image_api.update = delete_then_update
    _fault(client.put_file(fakes.QUEUED_ID, b"abc"), 410)
    assert _leftovers(store) == []


def test_download(client, store):
    assert client.put_file(fakes.QUEUED_ID, DATA).status_int == 204
    resp = client.get(f"/image/v2/images/{fakes.QUEUED_ID}/file")
    assert resp.status_int == 200
    assert resp.content_type == "application/octet-stream"
    assert resp.body == DATA
    assert resp.headers["Content-MD5"] == hashlib.md5(DATA).hexdigest()
    assert resp.headers["Content-Length"] == str(len(DATA))
    head = client.request("HEAD", f"/image/v2/images/{fakes.QUEUED_ID}/file")
    assert head.status_int == 200 and head.body == b""


def test_download_is_streamed(client, store):
    assert client.put_file(fakes.QUEUED_ID, DATA).status_int == 204
    req = webob.Request.blank(f"/image/v2/images/{fakes.QUEUED_ID}/file")
    req.headers["X-Auth-Token"] = fakes.USER_TOKEN
    status, headers, app_iter = req.call_application(client.app)
    chunks = list(app_iter)
    assert status.startswith("200")
    assert len(chunks) > 1 and max(len(c) for c in chunks) <= 64 * 1024
    assert b"".join(chunks) == DATA


def test_download_other_users_public_image(client, store):
    store.add(fakes.PUBLIC_ID, [b"abc"])
    resp = client.get(f"/image/v2/images/{fakes.PUBLIC_ID}/file", token=fakes.OTHER_TOKEN)
    assert resp.status_int == 200 and resp.body == b"abc"


def test_download_without_data_is_204(client):
    resp = client.get(f"/image/v2/images/{fakes.QUEUED_ID}/file")
    assert resp.status_int == 204 and resp.body == b""


def test_download_record_only_image_is_204(client, image_api):
    image_api.images[fakes.OWN_PRIVATE_ID]["size"] = 0
    assert client.get(f"/image/v2/images/{fakes.OWN_PRIVATE_ID}/file").status_int == 204


def test_download_active_image_with_lost_bytes_is_404(client):
    _fault(client.get(f"/image/v2/images/{fakes.OWN_PRIVATE_ID}/file"), 404)


def test_download_other_projects_private_image_is_404(client, store):
    store.add(fakes.OTHER_PRIVATE_ID, [b"secret"])
    _fault(client.get(f"/image/v2/images/{fakes.OTHER_PRIVATE_ID}/file"), 404)
