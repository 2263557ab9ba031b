"""Body size limit: refused up front by Content-Length, or while reading."""

import io

import pytest
import webob
import webob.exc

from minova.api.middleware import sizelimit


def _echo(environ, start_response):
    req = webob.Request(environ)
    return webob.Response(body=req.body)(environ, start_response)


def test_small_body_passes():
    app = sizelimit.RequestBodySizeLimiter(_echo, max_size=10)
    resp = webob.Request.blank("/", method="POST", body=b"0123456789").get_response(app)
    assert resp.body == b"0123456789"


def test_content_length_over_limit_is_refused():
    app = sizelimit.RequestBodySizeLimiter(_echo, max_size=10)
    req = webob.Request.blank("/", method="POST", body=b"x" * 11)
    with pytest.raises(webob.exc.HTTPRequestEntityTooLarge):
        req.get_response(app)


def test_limiting_reader():
    reader = sizelimit.LimitingReader(io.BytesIO(b"x" * 11), 10)
    assert reader.read(10) == b"x" * 10
    with pytest.raises(webob.exc.HTTPRequestEntityTooLarge):
        reader.read(10)


def test_limiting_reader_iteration():
    reader = sizelimit.LimitingReader([b"12345", b"67890", b"1"], 10)
    with pytest.raises(webob.exc.HTTPRequestEntityTooLarge):
        list(reader)


def test_default_is_oslo_middlewares():
    assert sizelimit.MAX_REQUEST_BODY_SIZE == 114688
