"""Glance v2 shapes: the image, the image list, the versions document.

Links are Glance's: relative to the image endpoint (``/v2/images/ID``),
which clients join to the endpoint URL (``http://host/image``).
"""

import urllib.parse

from minova.api.views import times

SCHEMA_IMAGE = "/v2/schemas/image"
SCHEMA_IMAGES = "/v2/schemas/images"
IMAGES_PATH = "/v2/images"

# The newest Glance minor version whose image shape minova serves in full
# (2.7 added os_hidden and os_hash_algo/os_hash_value). Of the calls, only
# the subset documented in minova.api.image.router exists: no import (2.6),
# members, tags or deactivate calls.
CURRENT_VERSION = "v2.7"
_SUPPORTED_MINORS = range(6, -1, -1)


def image_href(image_id: str) -> str:
    return f"{IMAGES_PATH}/{image_id}"


def show(image: dict) -> dict:
    """One image: the base properties (null when unset), then the custom ones."""
    image_id = image["id"]
    view = {
        "id": image_id,
        "name": image.get("name"),
        "status": image.get("status"),
        "visibility": image.get("visibility"),
        "protected": bool(image.get("protected")),
        "os_hidden": bool(image.get("os_hidden")),
        "checksum": image.get("checksum"),
        "os_hash_algo": image.get("os_hash_algo"),
        "os_hash_value": image.get("os_hash_value"),
        "size": image.get("size"),
        "virtual_size": None,
        "min_disk": int(image.get("min_disk") or 0),
        "min_ram": int(image.get("min_ram") or 0),
        "disk_format": image.get("disk_format"),
        "container_format": image.get("container_format"),
        "owner": image.get("owner"),
        "tags": list(image.get("tags") or []),
        "created_at": times.isotime(image.get("created_at")),
        "updated_at": times.isotime(image.get("updated_at")),
        "self": image_href(image_id),
        "file": image_href(image_id) + "/file",
        "schema": SCHEMA_IMAGE,
    }
    for key, value in (image.get("properties") or {}).items():
        if key not in view:
            view[key] = value
    return view


def index(images: list[dict], params: list[tuple[str, str]], next_marker: str | None) -> dict:
    """The list: ``first`` keeps the request's query (less the marker), ``next`` adds one."""
    params = [(k, v) for k, v in params if k != "marker"]
    body = {
        "images": [show(image) for image in images],
        "first": IMAGES_PATH,
        "schema": SCHEMA_IMAGES,
    }
    if params:
        body["first"] = IMAGES_PATH + "?" + urllib.parse.urlencode(params)
    if next_marker is not None:
        body["next"] = IMAGES_PATH + "?" + urllib.parse.urlencode(
            params + [("marker", next_marker)])
    return body


def versions(base_url: str) -> dict:
    """``GET /image``: every v2 minor version, all served at ``{base}/v2/``."""
    href = base_url.rstrip("/") + "/v2/"
    entries = [{"id": CURRENT_VERSION, "status": "CURRENT",
                "links": [{"rel": "self", "href": href}]}]
    for minor in _SUPPORTED_MINORS:
        entries.append({"id": f"v2.{minor}", "status": "SUPPORTED",
                        "links": [{"rel": "self", "href": href}]})
    return {"versions": entries}
