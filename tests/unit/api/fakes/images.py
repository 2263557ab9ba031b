"""A fake of the image records of ``minova.image.api.API``, with the conductor's rules.

Reads are scoped as the conductor scopes them (public and community images,
and the caller's project's; every image for an admin), writes need
ownership, and a status change can be a compare-and-swap.
"""

import copy

from minova import exception

from .base import FakeFacade
from .data import IMAGE_ID, OTHER_PROJECT, PRIVATE_IMAGE_ID, PROJECT, QUEUED_IMAGE_ID, ts


def make_image(image_id: str, minutes: int, **kwargs) -> dict:
    """An active public image of PROJECT created ``minutes`` in; ``kwargs`` override."""
    image = {
        "id": image_id, "name": f"image-{minutes}", "status": "active",
        "visibility": "public", "owner": PROJECT, "disk_format": "qcow2",
        "container_format": "bare", "size": 3, "min_disk": 0, "min_ram": 0,
        "checksum": None, "os_hash_algo": None, "os_hash_value": None, "protected": False,
        "properties": {}, "tags": [], "os_hidden": False,
        "created_at": ts(minutes), "updated_at": ts(minutes),
    }
    image.update(kwargs)
    return image


def proxy_images() -> dict[str, dict]:
    """What ``/v2.1/images`` reads: an active public image, a queued public one and
    another project's private one."""
    return {
        IMAGE_ID: {
            "id": IMAGE_ID, "name": "cirros", "status": "active",
            "visibility": "public", "owner": "admin", "disk_format": "qcow2",
            "container_format": "bare", "size": 12345678, "min_disk": 1,
            "min_ram": 64, "checksum": None, "os_hash_algo": None,
            "os_hash_value": None, "protected": False,
            "properties": {"architecture": "x86_64", "auto_disk_config": "True"},
            "created_at": ts(0), "updated_at": ts(1),
        },
        QUEUED_IMAGE_ID: {
            "id": QUEUED_IMAGE_ID, "name": "uploading", "status": "queued",
            "visibility": "public", "owner": "admin", "size": None, "min_disk": 0,
            "min_ram": 0, "properties": {}, "created_at": ts(2), "updated_at": None,
        },
        PRIVATE_IMAGE_ID: {
            "id": PRIVATE_IMAGE_ID, "name": "secret", "status": "active",
            "visibility": "private", "owner": OTHER_PROJECT, "size": 1, "min_disk": 0,
            "min_ram": 0, "properties": {}, "created_at": ts(3), "updated_at": None,
        },
    }


class FakeImageAPI(FakeFacade):
    """Image records over a dict (``images``: id -> record)."""

    MUTATING = ("create", "update", "delete")

    def __init__(self, images: dict[str, dict] | None = None) -> None:
        super().__init__()
        self.images = proxy_images() if images is None else images
        self._clock = 10

    @staticmethod
    def _visible(context, image) -> bool:
        return (context.is_admin or image["visibility"] in ("public", "community")
                or image["owner"] == context.project_id)

    def _get(self, context, image_id) -> dict:
        image = self.images.get(image_id)
        if image is None or not self._visible(context, image):
            raise exception.ImageNotFound(image_id=image_id)
        return image

    def _owned(self, context, image_id, action) -> dict:
        image = self._get(context, image_id)
        if not (context.is_admin or image["owner"] == context.project_id):
            raise exception.ImageForbidden(action=action, image_id=image_id)
        return image

    def get(self, context, image_id):
        self._call("get", image_id=image_id)
        return copy.deepcopy(self._get(context, image_id))

    def get_all(self, context, filters=None, limit=None, marker=None):
        self._call("get_all", filters=filters, limit=limit, marker=marker)
        filters = dict(filters or {})
        found = sorted((i for i in self.images.values() if self._visible(context, i)),
                       key=lambda i: (i["created_at"], i["id"]), reverse=True)
        for key in ("id", "name", "status", "visibility", "owner", "disk_format",
                    "container_format", "protected"):
            if filters.get(key) is not None:
                wanted = filters[key] if isinstance(filters[key], list) else [filters[key]]
                found = [i for i in found if i[key] in wanted]
        if filters.get("os_hidden") is not None:
            found = [i for i in found if i["os_hidden"] == filters["os_hidden"]]
        for key, value in (filters.get("properties") or {}).items():
            found = [i for i in found if i["properties"].get(key) == value]
        if marker is not None:
            ids = [i["id"] for i in self.images.values() if self._visible(context, i)]
            if marker not in ids:
                raise exception.MarkerNotFound(marker=marker)
            last = self.images[marker]
            found = [i for i in found
                     if (i["created_at"], i["id"]) < (last["created_at"], last["id"])]
        if limit is not None:
            found = found[:limit]
        return copy.deepcopy(found)

    def create(self, context, values):
        self._call("create", values=copy.deepcopy(values))
        values = dict(values)
        self._clock += 1
        image_id = values.pop("id", None) or f"00000000-0000-4000-8000-{self._clock:012d}"
        if image_id in self.images:
            raise exception.ImageExists(image_id=image_id)
        image = make_image(image_id, self._clock, status="queued", size=None,
                           visibility="shared", name=None, disk_format=None,
                           container_format=None)
        image.update(values)
        self.images[image_id] = image
        return copy.deepcopy(image)

    def update(self, context, image_id, values, properties=None, remove_properties=None,
               expected_status=None):
        self._call("update", image_id=image_id, values=copy.deepcopy(values),
                   properties=properties, remove_properties=remove_properties,
                   expected_status=expected_status)
        image = self._owned(context, image_id, "modify")
        expected = [expected_status] if isinstance(expected_status, str) else expected_status
        if expected is not None and image["status"] not in expected:
            raise exception.ImageStatusConflict(current=image["status"],
                                                new=values.get("status"))
        image.update(values)
        for key in remove_properties or ():
            image["properties"].pop(key, None)
        image["properties"].update(properties or {})
        self._clock += 1
        image["updated_at"] = ts(self._clock)
        return copy.deepcopy(image)

    def delete(self, context, image_id):
        self._call("delete", image_id=image_id)
        image = self._owned(context, image_id, "delete")
        if image["protected"]:
            raise exception.ImageProtected(image_id=image_id)
        return self.images.pop(image_id)
