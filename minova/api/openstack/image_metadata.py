"""``/images/{image_id}/metadata``: Nova's image-metadata proxy, up to 2.38.

An image's metadata is its custom properties in the image API. Reads see
what the caller may see (404 otherwise); writes go through the image API's
rules (Glance's ``modify_image`` policy, the owner's images only: 403),
and a property set larger than the project's ``metadata_items`` quota is
Nova's 403 "Image metadata limit exceeded". Keys the image API keeps as
attributes (``name``, ``min_ram``, ...) or reserves are not metadata: 403,
as Glance refuses them as properties.
"""

import webob.exc

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.image import schemas as image_schemas
from minova.api.openstack.images import visible
from minova.api.schemas import image_metadata as schema
from minova.compute.quota_api import QuotaAPI
from minova.image.api import API as ImageAPI
from minova.policies import images as image_policies

MAX_VERSION = "2.38"


def _check_served(req: wsgi.Request) -> None:
    if not req.is_microversion("2.1", MAX_VERSION):
        raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")


class ImageMetadataController:
    """Controller of ``/images/{image_id}/metadata``."""

    def __init__(self, image_api: ImageAPI, quota_api: QuotaAPI) -> None:
        self.image_api = image_api
        self.quota_api = quota_api

    def _get_image(self, req: wsgi.Request, image_id: str) -> dict:
        _check_served(req)
        try:
            image = self.image_api.get(req.context, image_id)
        except exception.ImageNotFound:
            image = None
        if image is None or not visible(req.context, image):
            raise webob.exc.HTTPNotFound(explanation="Image not found.")
        return image

    def _write(self, req: wsgi.Request, image: dict, properties: dict) -> None:
        """Make ``properties`` the image's whole metadata."""
        context = req.context
        for key in properties:
            if (key in image_schemas.WRITABLE or key in image_schemas.READ_ONLY
                    or key.startswith(image_schemas.RESERVED_PREFIX)):
                raise webob.exc.HTTPForbidden(
                    explanation=f"Attribute '{key}' is reserved.")
        limit = self.quota_api.get_project_quotas(
            context, context.project_id)["limits"].get("metadata_items", -1)
        if 0 <= limit < len(properties):
            raise webob.exc.HTTPForbidden(explanation="Image metadata limit exceeded")
        try:
            policy.authorize(context, image_policies.MODIFY_IMAGE,
                             {"project_id": image.get("owner")})
            old = image.get("properties") or {}
            changed = {k: v for k, v in properties.items() if old.get(k) != v}
            removed = sorted(k for k in old if k not in properties)
            if changed or removed:
                self.image_api.update(context, image["id"], {}, properties=changed,
                                      remove_properties=removed)
        except exception.ImageNotFound:
            raise webob.exc.HTTPNotFound(explanation="Image not found.") from None
        except exception.NotAuthorized:
            raise webob.exc.HTTPForbidden(
                explanation="You are not authorized to modify this image.") from None

    @validation.response_body_schema(schema.metadata_response, "2.1", MAX_VERSION)
    def index(self, req: wsgi.Request, image_id: str) -> dict:
        return {"metadata": self._get_image(req, image_id).get("properties") or {}}

    @validation.response_body_schema(schema.meta_response, "2.1", MAX_VERSION)
    def show(self, req: wsgi.Request, image_id: str, id: str) -> dict:
        metadata = self._get_image(req, image_id).get("properties") or {}
        if id not in metadata:
            raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
        return {"meta": {id: metadata[id]}}

    @validation.schema(schema.create, "2.1", MAX_VERSION)
    @validation.response_body_schema(schema.metadata_response, "2.1", MAX_VERSION)
    def create(self, req: wsgi.Request, image_id: str, body: dict) -> dict:
        """Merge the given keys into the image's metadata."""
        image = self._get_image(req, image_id)
        properties = dict(image.get("properties") or {}, **body["metadata"])
        self._write(req, image, properties)
        return {"metadata": properties}

    @validation.schema(schema.update_all, "2.1", MAX_VERSION)
    @validation.response_body_schema(schema.metadata_response, "2.1", MAX_VERSION)
    def update_all(self, req: wsgi.Request, image_id: str, body: dict) -> dict:
        """Replace the image's metadata."""
        image = self._get_image(req, image_id)
        self._write(req, image, body["metadata"])
        return {"metadata": body["metadata"]}

    @validation.schema(schema.update, "2.1", MAX_VERSION)
    @validation.response_body_schema(schema.meta_response, "2.1", MAX_VERSION)
    def update(self, req: wsgi.Request, image_id: str, id: str, body: dict) -> dict:
        """Set one key (the body names exactly the key of the URL)."""
        _check_served(req)
        meta = body["meta"]
        if id not in meta:
            raise webob.exc.HTTPBadRequest(explanation="Request body and URI mismatch")
        image = self._get_image(req, image_id)
        self._write(req, image, dict(image.get("properties") or {}, **meta))
        return {"meta": meta}

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, image_id: str, id: str) -> None:
        image = self._get_image(req, image_id)
        properties = dict(image.get("properties") or {})
        if id not in properties:
            raise webob.exc.HTTPNotFound(explanation="Invalid metadata key")
        del properties[id]
        self._write(req, image, properties)
