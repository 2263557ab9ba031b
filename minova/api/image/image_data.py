"""``/v2/images/{image_id}/file``: upload (PUT) and download (GET) image bytes.

Upload is Glance's single-step data upload: only a ``queued`` image takes
data (409 otherwise). The status moves queued -> saving -> active by
compare-and-swap through the conductor, so two concurrent uploads cannot
both win; the body streams to the store in chunks (never whole in
memory) while md5 (``checksum``) and sha512 (``os_hash_value``) are
computed. A failed upload puts the image back to ``queued``, as Glance
does, and leaves no bytes behind.

Download streams the stored file with ``Content-MD5`` set to the hex
checksum (Glance sends the hex digest, not RFC 1864's base64), 204 when
the image has no data.
"""

import webob
import webob.exc
from oslo_log import log as logging

from minova import exception, policy
from minova.api import wsgi
from minova.api.image import store as image_store
from minova.api.image import wsgi as image_wsgi
from minova.image.api import API as ImageAPI
from minova.policies import images as image_policies

LOG = logging.getLogger(__name__)


class ImageDataController:
    """The bytes of an image (``/v2/images/{image_id}/file``)."""

    def __init__(self, image_api: ImageAPI, store: image_store.FilesystemStore) -> None:
        self.image_api = image_api
        self.store = store

    @wsgi.response(204)
    def upload(self, req: wsgi.Request, image_id: str) -> None:
        context = req.context
        image = self.image_api.get(context, image_id)
        policy.authorize(context, image_policies.UPLOAD_IMAGE,
                         {"project_id": image.get("owner")})
        if image["status"] != "queued":
            raise exception.ImageStatusConflict(current=image["status"], new="saving")
        if not image.get("disk_format") or not image.get("container_format"):
            raise webob.exc.HTTPBadRequest(
                explanation="Properties disk_format, container_format must be set prior to "
                            "saving data.")
        chunks = image_wsgi.body_chunks(req)
        self.image_api.update(context, image_id, {"status": "saving"},
                              expected_status="queued")
        try:
            size, md5_hex, sha512_hex = self.store.add(image_id, chunks)
        except BaseException:
            LOG.warning("Upload of image %s failed; it is queued again", image_id)
            self._restore(context, image_id)
            raise
        try:
            self.image_api.update(
                context, image_id,
                {"status": "active", "size": size, "checksum": md5_hex,
                 "os_hash_algo": image_store.HASH_ALGO, "os_hash_value": sha512_hex},
                expected_status="saving")
        except exception.ImageNotFound:
            self.store.delete(image_id)
            raise webob.exc.HTTPGone(
                explanation=f"Image {image_id} could not be found after upload. The image "
                            "may have been deleted during the upload.") from None
        except BaseException:
            self.store.delete(image_id)
            self._restore(context, image_id)
            raise
        return None

    def _restore(self, context, image_id: str) -> None:
        """saving -> queued after a failed upload (best effort: the image may be gone)."""
        try:
            self.image_api.update(context, image_id, {"status": "queued"},
                                  expected_status="saving")
        except Exception as exc:  # the upload's own error is what matters
            LOG.warning("Could not put image %s back to queued: %s", image_id, exc)

    def download(self, req: wsgi.Request, image_id: str) -> webob.Response:
        context = req.context
        image = self.image_api.get(context, image_id)
        policy.authorize(context, image_policies.DOWNLOAD_IMAGE,
                         {"project_id": image.get("owner")})
        if image["status"] != "active":
            return webob.Response(status=204, content_type=None)
        try:
            data = self.store.get(image_id)
        except exception.ImageDataNotFound:
            if not image.get("size"):
                # a record without bytes (the all-in-one's stand-in image)
                return webob.Response(status=204, content_type=None)
            raise
        resp = webob.Response(status=200, content_type=image_wsgi.OCTET_STREAM)
        resp.app_iter = data
        resp.content_length = data.size
        if image.get("checksum"):
            resp.headers["Content-MD5"] = image["checksum"]
        return resp
