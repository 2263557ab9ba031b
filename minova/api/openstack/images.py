"""``/images``: Nova's read-only image proxy over minova's image records.

Visibility follows Glance: a project sees public and community images and
its own; an admin sees all. Filters: ``name``, ``status`` (the API status,
e.g. ACTIVE), ``minRam``, ``minDisk``; paging with ``limit``/``marker``,
newest first as Glance lists them.

Like every proxy to another service, it is gone from microversion 2.36:
a 404 that says no more than an unknown URL would (clients use the image
API, ``/image/v2``, instead).
"""

import webob.exc

from minova import exception
from minova.api import validation, wsgi
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


def _visible(context, image: dict) -> bool:
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
    """Controller of ``/images`` (reads only)."""

    def __init__(self, image_api: ImageAPI) -> None:
        self.image_api = image_api

    def _get_images(self, req: wsgi.Request) -> list[dict]:
        context = req.context
        limit, marker = pagination.get_limit_and_marker(req)
        name = req.params.get("name")
        status = req.params.get("status")
        min_ram = _int_param(req, "minRam")
        min_disk = _int_param(req, "minDisk")
        images = [
            image for image in self.image_api.get_all(context)
            if _visible(context, image)
            and (name is None or image.get("name") == name)
            and (status is None or images_view.api_status(image) == status.upper())
            and (min_ram is None or int(image.get("min_ram") or 0) >= min_ram)
            and (min_disk is None or int(image.get("min_disk") or 0) >= min_disk)
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

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, id: str) -> dict:
        _check_proxy_served(req)
        context = req.context
        try:
            image = self.image_api.get(context, id)
        except exception.ImageNotFound:
            image = None
        if image is None or not _visible(context, image):
            raise webob.exc.HTTPNotFound(explanation="Image not found.")
        return {"image": images_view.show(req, image)}
