"""An in-memory conductor for the image API's unit tests.

``FakeImageConductor`` has the image methods of ConductorAPI with the
conductor's semantics (scoping by the context, ownership for writes,
status compare-and-swap), over a dict, and records every call.
"""

import copy
import datetime

from minova import exception
from tests.unit.api import fakes as api_fakes

PROJECT = api_fakes.PROJECT
OTHER_PROJECT = api_fakes.OTHER_PROJECT
USER_TOKEN = api_fakes.USER_TOKEN
OTHER_TOKEN = api_fakes.OTHER_TOKEN
ADMIN_TOKEN = api_fakes.ADMIN_TOKEN

PUBLIC_ID = "155d900f-4e14-4e4c-a73d-069cbf4541e6"
QUEUED_ID = "a2459075-d96c-40d5-893e-577ff92e721c"
OTHER_PRIVATE_ID = "70a599e0-31e7-49b7-b260-868f441e862b"
OWN_PRIVATE_ID = "0c8b1e63-5b6a-4d0e-9a43-5f1f2d5c7a10"
PROTECTED_ID = "b0d1f7f4-2f0b-4a55-8d4e-9f7c3a0c5e21"

_MUTATING = ("image_create", "image_update", "image_delete")


def _ts(minutes: int) -> str:
    return (datetime.datetime(2026, 11, 21, 5, 30, 49, 123456)
            + datetime.timedelta(minutes=minutes)).isoformat()


def make_image(image_id: str, minutes: int, **kwargs) -> dict:
    image = {
        "id": image_id, "name": f"image-{minutes}", "status": "active",
        "visibility": "public", "owner": PROJECT, "disk_format": "qcow2",
        "container_format": "bare", "size": 3, "min_disk": 0, "min_ram": 0,
        "checksum": None, "os_hash_algo": None, "os_hash_value": None, "protected": False,
        "properties": {}, "tags": [], "os_hidden": False,
        "created_at": _ts(minutes), "updated_at": _ts(minutes),
    }
    image.update(kwargs)
    return image


class FakeImageConductor:
    def __init__(self) -> None:
        self.images = {
            PUBLIC_ID: make_image(PUBLIC_ID, 0, name="cirros", owner="admin",
                                  properties={"hw_disk_bus": "virtio"}),
            QUEUED_ID: make_image(QUEUED_ID, 1, name="uploading", status="queued",
                                  size=None, visibility="private"),
            OTHER_PRIVATE_ID: make_image(OTHER_PRIVATE_ID, 2, name="secret",
                                         visibility="private", owner=OTHER_PROJECT),
            OWN_PRIVATE_ID: make_image(OWN_PRIVATE_ID, 3, name="mine", visibility="private"),
            PROTECTED_ID: make_image(PROTECTED_ID, 4, name="keep", protected=True),
        }
        self.calls: list[tuple[str, dict]] = []
        self.fail_with: dict[str, Exception] = {}
        self._clock = 10

    def _call(self, method: str, **kwargs) -> None:
        self.calls.append((method, kwargs))
        if method in self.fail_with:
            raise self.fail_with[method]

    def mutating_calls(self) -> list:
        return [call for call in self.calls if call[0] in _MUTATING]

    @staticmethod
    def _visible(ctxt, image) -> bool:
        return (ctxt.is_admin or image["visibility"] in ("public", "community")
                or image["owner"] == ctxt.project_id)

    def _get(self, ctxt, image_id) -> dict:
        image = self.images.get(image_id)
        if image is None or not self._visible(ctxt, image):
            raise exception.ImageNotFound(image_id=image_id)
        return image

    def _owned(self, ctxt, image_id, action) -> dict:
        image = self._get(ctxt, image_id)
        if not (ctxt.is_admin or image["owner"] == ctxt.project_id):
            raise exception.ImageForbidden(action=action, image_id=image_id)
        return image

    def image_get(self, ctxt, image_id):
        self._call("image_get", image_id=image_id)
        return copy.deepcopy(self._get(ctxt, image_id))

    def image_get_all(self, ctxt, filters=None, limit=None, marker=None):
        self._call("image_get_all", filters=filters, limit=limit, marker=marker)
        filters = dict(filters or {})
        found = sorted((i for i in self.images.values() if self._visible(ctxt, i)),
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
            ids = [i["id"] for i in self.images.values() if self._visible(ctxt, i)]
            if marker not in ids:
                raise exception.MarkerNotFound(marker=marker)
            last = self.images[marker]
            found = [i for i in found
                     if (i["created_at"], i["id"]) < (last["created_at"], last["id"])]
        if limit is not None:
            found = found[:limit]
        return copy.deepcopy(found)

    def image_create(self, ctxt, values):
        self._call("image_create", values=copy.deepcopy(values))
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

    def image_update(self, ctxt, image_id, values, properties=None, remove_properties=None,
                     expected_status=None):
        self._call("image_update", image_id=image_id, values=copy.deepcopy(values),
                   properties=properties, remove_properties=remove_properties,
                   expected_status=expected_status)
        image = self._owned(ctxt, image_id, "modify")
        expected = [expected_status] if isinstance(expected_status, str) else expected_status
        if expected is not None and image["status"] not in expected:
            raise exception.ImageStatusConflict(current=image["status"],
                                                new=values.get("status"))
        image.update(values)
        for key in remove_properties or ():
            image["properties"].pop(key, None)
        image["properties"].update(properties or {})
        self._clock += 1
        image["updated_at"] = _ts(self._clock)
        return copy.deepcopy(image)

    def image_delete(self, ctxt, image_id):
        self._call("image_delete", image_id=image_id)
        image = self._owned(ctxt, image_id, "delete")
        if image["protected"]:
            raise exception.ImageProtected(image_id=image_id)
        return self.images.pop(image_id)
