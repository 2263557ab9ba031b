"""The conductor's image endpoints: the image service's metadata, scoped by the caller.

Visibility is decided here, where the database is, not in the api: a
non-admin context reads public and community images and its own
project's (private or shared) ones, and changes only its own project's.
Another project's private image is answered with ``ImageNotFound``
exactly as if it did not exist; an image the caller may read but does not
own is ``ImageForbidden`` (403) to change, as in Glance.

Images follow the rule of every resource: this is the conductor's door (an
RPC endpoint, the only way the api and compute hosts reach the records),
and the queries are the db module's (``minova.db.images``).
"""

import oslo_messaging as messaging
from oslo_log import log as logging

from minova import exception
from minova.db import images as db_images

LOG = logging.getLogger(__name__)

# Attributes only the image service itself sets (from the uploaded bytes).
_DATA_ATTRIBUTES = ("status", "size", "checksum", "os_hash_algo", "os_hash_value")


def visible(ctxt, image: dict) -> bool:
    return (bool(ctxt.is_admin)
            or image.get("visibility") in db_images.OPEN_VISIBILITIES
            or (image.get("owner") is not None and image.get("owner") == ctxt.project_id))


def owned(ctxt, image: dict) -> bool:
    return bool(ctxt.is_admin) or (image.get("owner") is not None
                                   and image.get("owner") == ctxt.project_id)


class ImageManager:
    """Endpoints on the ``conductor`` topic for image records."""

    target = messaging.Target(version="1.0")

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def _get_visible(self, ctxt, image_id: str) -> dict:
        image = db_images.image_get(image_id)
        if not visible(ctxt, image):
            raise exception.ImageNotFound(image_id=image_id)
        return image

    def _get_owned(self, ctxt, image_id: str, action: str) -> dict:
        image = self._get_visible(ctxt, image_id)
        if not owned(ctxt, image):
            raise exception.ImageForbidden(action=action, image_id=image_id)
        return image

    def image_get(self, ctxt, image_id: str) -> dict:
        return self._get_visible(ctxt, image_id)

    def image_get_all(self, ctxt, filters: dict | None = None, limit: int | None = None,
                      marker: str | None = None) -> list[dict]:
        """Images the context may see, newest first (see ``db.images.image_get_all``)."""
        project_id = None if ctxt.is_admin else ctxt.project_id
        return db_images.image_get_all(filters or {}, limit=limit, marker=marker,
                                       project_id=project_id)

    def image_create(self, ctxt, values: dict) -> dict:
        """A new ``queued`` image owned by the caller's project.

        An admin may name another owner; nobody sets the data attributes
        (status, size, hashes): they come from an upload.
        """
        values = {k: v for k, v in values.items() if k not in _DATA_ATTRIBUTES}
        if not ctxt.is_admin or values.get("owner") is None:
            values["owner"] = ctxt.project_id
        values["status"] = "queued"
        image = db_images.image_create(values)
        LOG.info("Image %s created for project %s", image["id"], image["owner"])
        return image

    def image_update(self, ctxt, image_id: str, values: dict,
                     properties: dict | None = None, remove_properties: list | None = None,
                     expected_status: str | list | None = None) -> dict:
        """Change an image the caller owns (or any, for an admin).

        ``expected_status`` makes it a compare-and-swap on the status (the
        upload uses queued -> saving -> active); a lost race is 409.
        """
        self._get_owned(ctxt, image_id, "modify")
        return db_images.image_update(image_id, values, properties=properties,
                                      remove_properties=remove_properties,
                                      expected_status=expected_status)

    def image_delete(self, ctxt, image_id: str) -> dict:
        """Delete the record of an image the caller owns; returns what it was.

        ``ImageProtected`` (403) for a protected image. The bytes are the
        api's to remove: its store is on the api host.
        """
        self._get_owned(ctxt, image_id, "delete")
        image = db_images.image_delete(image_id)
        LOG.info("Image %s deleted", image_id)
        return image
