"""``GET /``, ``GET /v2.1``, ``GET /v2`` and ``GET /v2.1/openapi.json``: what this endpoint
speaks, asked before logging in.

Clients (the SDK's version discovery) read these without a token, so they
sit in front of the auth middleware.
"""

import functools

import webob.dec

from minova.api import wsgi
from minova.api.openapi import document as openapi_document
from minova.api.views import versions as versions_view


@webob.dec.wsgify(RequestClass=wsgi.Request)
def root_versions(req: wsgi.Request):
    """``GET /``: the list of major versions (200, as Nova answers)."""
    return wsgi.serialize(versions_view.build_versions(req.application_url), 200)


@webob.dec.wsgify(RequestClass=wsgi.Request)
def version_v21(req: wsgi.Request):
    """``GET /v2.1``: the v2.1 version document."""
    return wsgi.serialize(versions_view.build_version(req.application_url), 200)


@webob.dec.wsgify(RequestClass=wsgi.Request)
def version_v2(req: wsgi.Request):
    """``GET /v2``: the v2.0 version document of the legacy v2 endpoint."""
    return wsgi.serialize(versions_view.build_version(
        req.application_url, versions_view.LEGACY_VERSION_ID), 200)


@functools.cache
def _openapi() -> dict:
    """Built once per process: the routes and schemas do not change while it runs."""
    return openapi_document.build()


@webob.dec.wsgify(RequestClass=wsgi.Request)
def openapi(req: wsgi.Request):
    """``GET /v2.1/openapi.json``: the OpenAPI document of the API at its maximum
    microversion, its server this very endpoint."""
    return wsgi.serialize(dict(_openapi(), servers=[{"url": req.application_url}]), 200)
