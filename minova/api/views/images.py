"""Nova's image-proxy views (``/images``), built from minova's image records.

Nova also adds an ``alternate`` link to the image in Glance; minova has no
Glance, so images have ``self`` and ``bookmark`` links only.
"""

from oslo_utils import strutils

from minova.api import wsgi
from minova.api.views import links, times

COLLECTION = "images"

_STATUS = {
    "active": "ACTIVE",
    "queued": "SAVING",
    "saving": "SAVING",
    "deleted": "DELETED",
    "pending_delete": "DELETED",
    "killed": "ERROR",
}
_PROGRESS = {"queued": 25, "saving": 50, "active": 100}


def api_status(image: dict) -> str:
    return _STATUS.get(image.get("status"), "UNKNOWN")


def basic(request: wsgi.Request, image: dict) -> dict:
    return {
        "id": image["id"],
        "name": image.get("name"),
        "links": links.resource_links(request, COLLECTION, image["id"]),
    }


def show(request: wsgi.Request, image: dict) -> dict:
    properties = image.get("properties") or {}
    image_dict = {
        "id": image["id"],
        "name": image.get("name"),
        "minRam": int(image.get("min_ram") or 0),
        "minDisk": int(image.get("min_disk") or 0),
        "metadata": properties,
        "created": times.isotime(image.get("created_at")),
        "updated": times.isotime(image.get("updated_at")),
        "status": api_status(image),
        "progress": _PROGRESS.get(image.get("status"), 0),
        "OS-EXT-IMG-SIZE:size": image.get("size"),
        "links": links.resource_links(request, COLLECTION, image["id"]),
    }
    instance_uuid = properties.get("instance_uuid")
    if instance_uuid is not None:
        image_dict["server"] = {
            "id": instance_uuid,
            "links": links.resource_links(request, "servers", instance_uuid),
        }
    auto_disk_config = properties.get("auto_disk_config")
    if auto_disk_config is not None:
        value = strutils.bool_from_string(auto_disk_config)
        image_dict["OS-DCF:diskConfig"] = "AUTO" if value else "MANUAL"
    return image_dict


def _list(request: wsgi.Request, images: list[dict], builder, collection: str) -> dict:
    body = {"images": [builder(request, image) for image in images]}
    next_links = links.collection_links(request, images, collection, id_key="id")
    if next_links:
        body["images_links"] = next_links
    return body


def index(request: wsgi.Request, images: list[dict]) -> dict:
    return _list(request, images, basic, COLLECTION)


def detail(request: wsgi.Request, images: list[dict]) -> dict:
    return _list(request, images, show, COLLECTION + "/detail")
