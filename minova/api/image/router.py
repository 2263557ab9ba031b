"""The image API's WSGI app, mounted by ``minova.api.urlmap`` at ``/image``.

::

    GET    /image                          versions (300, as Glance's GET /; no auth)
    GET    /image/versions                 versions (200; no auth)
      auth middleware
    GET    /image/v2/images                list (filters, limit/marker, newest first)
    POST   /image/v2/images                create (201, status queued)
    GET    /image/v2/images/{id}           show
    PATCH  /image/v2/images/{id}           update (openstack-images-v2.1-json-patch)
    DELETE /image/v2/images/{id}           delete record and bytes (204)
    PUT    /image/v2/images/{id}/file      upload (204; streamed, no body size limit)
    GET    /image/v2/images/{id}/file      download (200, streamed; 204 without data)
    GET    /image/v2/schemas/image[s]      the JSON schemas

Every JSON request body is capped by the same size limit as ``/v2.1``;
only the image data upload is not.
"""

from collections.abc import Callable

import webob.dec
import webob.exc

from minova.api import router, wsgi
from minova.api.image import image_data, images, schemas, views
from minova.api.image import store as image_store
from minova.api.image import wsgi as image_wsgi
from minova.api.middleware import auth, sizelimit
from minova.image.api import API as ImageAPI


class ImageRouter(router.Router):
    """Like the v2.1 router (404/405 answers) without the ``/{project_id}`` routes."""

    def connect(self, path: str, method: str, resource: Callable, action: str) -> None:
        methods = [method, "HEAD"] if method == "GET" else [method]
        self.map.connect(path, controller=resource, action=action,
                         conditions={"method": methods})


class SchemasController:
    def image(self, req: wsgi.Request) -> dict:
        return schemas.image_document()

    def images(self, req: wsgi.Request) -> dict:
        return schemas.images_document()


@webob.dec.wsgify(RequestClass=wsgi.Request)
def _versions(req: wsgi.Request):
    # Glance answers GET / with 300 Multiple Choices and GET /versions with 200.
    code = 200 if req.path_info.rstrip("/") == "/versions" else 300
    return wsgi.serialize(views.versions(req.application_url), code)


def build_router(image_api: ImageAPI, store: image_store.FilesystemStore) -> ImageRouter:
    limited = sizelimit.RequestBodySizeLimiter
    images_res = limited(image_wsgi.ImageResource(
        images.ImagesController(image_api, store)))
    data_res = image_wsgi.ImageResource(image_data.ImageDataController(image_api, store))
    schemas_res = limited(image_wsgi.ImageResource(SchemasController()))
    table = [
        ("/v2/images", "GET", images_res, "index"),
        ("/v2/images", "POST", images_res, "create"),
        ("/v2/images/{image_id}", "GET", images_res, "show"),
        ("/v2/images/{image_id}", "PATCH", images_res, "update"),
        ("/v2/images/{image_id}", "DELETE", images_res, "delete"),
        ("/v2/images/{image_id}/file", "PUT", data_res, "upload"),
        ("/v2/images/{image_id}/file", "GET", data_res, "download"),
        ("/v2/schemas/image", "GET", schemas_res, "image"),
        ("/v2/schemas/images", "GET", schemas_res, "images"),
    ]
    image_router = ImageRouter()
    for path, method, resource, action in table:
        image_router.connect(path, method, resource, action)
    return image_router


class ImageApp:
    """``/image``: the versions document in front of auth, the v2 API behind it."""

    def __init__(self, image_api: ImageAPI, store=None) -> None:
        self.store = store if store is not None else image_store.FilesystemStore()
        self.api = auth.wrap_with_auth(build_router(image_api, self.store))

    def __call__(self, environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO", "") or "/"
        if path.rstrip("/") in ("", "/versions"):
            if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
                # raised, not returned, for the fault wrapper to render
                raise webob.exc.HTTPMethodNotAllowed(
                    explanation="The method specified is not allowed for this resource.",
                    headers=[("Allow", "GET, HEAD")])
            return _versions(environ, start_response)
        return self.api(environ, start_response)


def build_app(image_api: ImageAPI, store=None) -> ImageApp:
    return ImageApp(image_api, store)
