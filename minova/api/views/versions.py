"""Nova's version documents, as served by ``GET /`` and ``GET /v2.1``."""

import copy

from minova.api import api_version_request as api_version
from minova.api.views import links

VERSION_ID = "v2.1"
LEGACY_VERSION_ID = "v2.0"
MIN_VERSION = api_version.MIN_API_VERSION
MAX_VERSION = api_version.MAX_API_VERSION

VERSIONS = {
    # /v2: the v2.1 code without microversions (minova.api.middleware.legacy_v2)
    LEGACY_VERSION_ID: {
        "id": LEGACY_VERSION_ID,
        "status": "DEPRECATED",
        "version": "",
        "min_version": "",
        "updated": "2025-07-04T12:00:00Z",
        "links": [
            {
                "rel": "describedby",
                "type": "text/html",
                "href": "http://docs.openstack.org/",
            },
        ],
        "media-types": [
            {
                "base": "application/json",
                "type": "application/vnd.openstack.compute+json;version=2",
            },
        ],
    },
    VERSION_ID: {
        "id": VERSION_ID,
        "status": "CURRENT",
        "version": MAX_VERSION,
        "min_version": MIN_VERSION,
        "updated": "2013-07-23T11:33:21Z",
        "links": [
            {
                "rel": "describedby",
                "type": "text/html",
                "href": "http://docs.openstack.org/",
            },
        ],
        "media-types": [
            {
                "base": "application/json",
                "type": "application/vnd.openstack.compute+json;version=2.1",
            },
        ],
    },
}


def _path(version_id: str) -> str:
    """Where a version is served: ``v2.1``, and ``v2`` for v2.0 (as Nova's links)."""
    return "v2.1" if version_id.startswith("v2.1") else "v2"


def build_versions(base_url: str) -> dict:
    """``{"versions": [...]}``: every major version, each with its self link."""
    versions = []
    for version_id in sorted(VERSIONS):
        version = VERSIONS[version_id]
        versions.append({
            "id": version["id"],
            "status": version["status"],
            "version": version["version"],
            "min_version": version["min_version"],
            "updated": version["updated"],
            "links": [{"rel": "self", "href": links.url_join(base_url, _path(version["id"]), "")}],
        })
    return {"versions": versions}


def build_version(base_url: str, version_id: str = VERSION_ID) -> dict:
    """``{"version": {...}}`` for one major version, self link first."""
    version = copy.deepcopy(VERSIONS[version_id])
    version["links"].insert(0, {"rel": "self", "href": base_url.rstrip("/") + "/"})
    return {"version": version}
