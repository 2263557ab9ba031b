"""``/images``: Nova's image proxy over minova's image records.

Visibility follows Glance: a project sees public and community images and
its own; an admin sees all. Filters: ``name``, ``status`` (the API status,
e.g. ACTIVE), ``minRam``, ``minDisk``; paging with ``limit``/``marker``,
newest first as Glance lists them. ``DELETE`` deletes the image as the
image API does (Glance's ``delete_image`` policy; a protected image or a
refusal is Nova's 403 "You are not allowed to delete the image.").

Like every proxy to another service, it is gone from microversion 2.36:
a 404 that says no more than an unknown URL would (clients use the image
API, ``/image/v2``, instead).
"""

import webob.exc

from minova import exception
from minova.api import validation, wsgi
from minova.api.image import images as image_v2
from minova.api.image import store as image_store
from minova.api.openstack import pagination
from minova.api.schemas import images as schema
from minova.api.views import images as images_view
from minova.image.api import API as ImageAPI

_OPEN_VISIBILITIES = ("public", "community")
# The last microversion that serves Nova's proxy APIs.
MAX_PROXY_API_SUPPORT_VERSION = "2.35"


def _check_proxy_served(req: wsgi.Request) -> None:
    if not req.is_microversion("2.1", MAX_PROXY_API_SUPPORT_VERSION):
        raise webob.exc.HTTPNotFound()


def visible(context, image: dict) -> bool:
    """Glance's visibility: public and community images, the project's own; all for admins."""
    return (context.is_admin
            or image.get("visibility", "public") in _OPEN_VISIBILITIES
            or image.get("owner") == context.project_id)


def _int_param(req: wsgi.Request, name: str) -> int | None:
    if name not in req.params:
        return None
    try:
        return int(req.params[name])
    except ValueError:
        raise webob.exc.HTTPBadRequest(
            explanation=f"Invalid {name} filter [{req.params[name]}]") from None


class ImagesController:
    """Controller of ``/images``."""

    def __init__(self, image_api: ImageAPI,
                 store: image_store.FilesystemStore | None = None) -> None:
        self.image_api = image_api
        # The image API's store: a delete removes the bytes too, as Glance's.
        self.store = store if store is not None else image_store.FilesystemStore()

    def _get_images(self, req: wsgi.Request) -> list[dict]:
        context = req.context
        limit, marker = pagination.get_limit_and_marker(req)
        name = req.params.get("name")
        status = req.params.get("status")
        min_ram = _int_param(req, "minRam")
        min_disk = _int_param(req, "minDisk")
        # Nova's ``server`` (an id or the server's URL) and ``type`` filters:
        # a snapshot's ``instance_uuid`` and ``image_type`` properties.
        server = req.params.get("server")
        server = server.rsplit("/", 1)[-1] if server else None
        image_type = req.params.get("type")
        images = [
            image for image in self.image_api.get_all(context)
            if visible(context, image)
            and (name is None or image.get("name") == name)
            and (status is None or images_view.api_status(image) == status.upper())
            and (min_ram is None or int(image.get("min_ram") or 0) >= min_ram)
            and (min_disk is None or int(image.get("min_disk") or 0) >= min_disk)
            and (server is None
                 or (image.get("properties") or {}).get("instance_uuid") == server)
            and (image_type is None
                 or (image.get("properties") or {}).get("image_type") == image_type)
        ]
        images = pagination.sort_items(images, "created_at", "desc")
        return pagination.page(images, limit, marker, "id")

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request) -> dict:
        _check_proxy_served(req)
        return images_view.index(req, self._get_images(req))

    @validation.response_body_schema(schema.detail_response)
    def detail(self, req: wsgi.Request) -> dict:
        _check_proxy_served(req)
        return images_view.detail(req, self._get_images(req))

    def _get_visible(self, req: wsgi.Request, image_id: str) -> dict:
        context = req.context
        try:
            image = self.image_api.get(context, image_id)
        except exception.ImageNotFound:
            image = None
        if image is None or not visible(context, image):
            raise webob.exc.HTTPNotFound(explanation="Image not found.")
        return image

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, id: str) -> dict:
        _check_proxy_served(req)
        return {"image": images_view.show(req, self._get_visible(req, id))}

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, id: str) -> None:
        """Delete an image (through the image API's rules), up to 2.35."""
        _check_proxy_served(req)
        image = self._get_visible(req, id)
        try:
            image_v2.delete_image(self.image_api, self.store, req.context, image)
        except exception.ImageNotFound:
            raise webob.exc.HTTPNotFound(explanation="Image not found.") from None
        except (exception.PolicyNotAuthorized, exception.ImageProtected):
            # Glance's 403, which Nova's proxy answers in its own words.
            raise webob.exc.HTTPForbidden(
                explanation="You are not allowed to delete the image.") from None
