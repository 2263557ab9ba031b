"""The image client of compute hosts and of the api (``nova.image.glance`` in Nova).

One class for both sides, as in Nova: both talk to the one image service,
whose records are behind the conductor and whose bytes the api serves.
Compute hosts use ``get`` and ``download``; the api's image controllers use
the record calls (``minova.api.facades`` builds it as ``images``).

* ``get`` reads an image record through the conductor (RPC), like every
  other read a compute host makes; visibility is the context's. The api's
  image controllers (``/image/v2`` and Nova's ``/v2.1/images`` proxy) also
  list, create, update and delete records through it: the conductor
  enforces visibility and ownership, the controllers Glance's rules on
  what a request may change.
* ``download`` fetches the bytes over HTTP from the image API the api
  service serves (``GET {server}/v2/images/{id}/file``, ``[glance]
  api_servers``), streaming them to ``dest_path + ".part"`` while hashing,
  verifies them against the record's ``os_hash_value`` (sha512) and
  ``checksum`` (md5), and only then renames the file to ``dest_path``. A
  half-downloaded or corrupt image is never left where a driver would boot
  it.

Failures: a connection error, a 5xx or a truncated body is retried on the
next server, ``[glance] num_retries`` extra times in all, then
``ImageDownloadFailed``; an answer that cannot get better by retrying (401,
403, 404, no data) fails at once; wrong bytes are ``ImageChecksumMismatch``.
"""

import http.client
import os
import urllib.parse

from oslo_config import cfg
from oslo_log import log as logging

import minova.conf  # noqa: F401  (registers [glance])
from minova import exception, http_server
from minova.image import checksums

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
# Seconds a connect, or a wait for the next bytes, may take.
DEFAULT_TIMEOUT = 60


class _Retryable(Exception):
    """This attempt failed in a way another attempt (or server) may not."""


class _Fatal(Exception):
    """This download cannot succeed by trying again."""


def _auth_token(context) -> str:
    """The token to send: the context's keystone token, else noauth2's user:project."""
    token = getattr(context, "auth_token", None)
    if token:
        return token
    user_id = getattr(context, "user_id", None)
    project_id = getattr(context, "project_id", None)
    if user_id is None and getattr(context, "is_admin", False):
        return "admin:admin"
    return f"{user_id}:{project_id}" if project_id else str(user_id)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class API:
    """Image records (via the conductor) and image bytes (via HTTP)."""

    def __init__(self, conductor_api=None, api_servers: list[str] | None = None,
                 num_retries: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._conductor_api = conductor_api
        self._api_servers = api_servers
        self._num_retries = num_retries
        self.timeout = timeout

    @property
    def conductor_api(self):
        if self._conductor_api is None:
            from minova.conductor import rpcapi as conductor_rpcapi

            self._conductor_api = conductor_rpcapi.ConductorAPI()
        return self._conductor_api

    @property
    def api_servers(self) -> list[str]:
        servers = self._api_servers if self._api_servers is not None else CONF.glance.api_servers
        if servers is None:  # unset: the api of this host's own config
            servers = [http_server.local_url(CONF.osapi_compute_listen,
                                             CONF.osapi_compute_listen_port) + "/image"]
        if not servers:
            raise exception.ConfigurationError(reason="[glance] api_servers is empty")
        return list(servers)

    @property
    def num_retries(self) -> int:
        return self._num_retries if self._num_retries is not None else CONF.glance.num_retries

    # --- records

    def get(self, context, image_id: str) -> dict:
        """The image record (``ImageNotFound`` if ``context`` may not see it)."""
        return self.conductor_api.image_get(context, image_id)

    def get_all(self, context, filters: dict | None = None, limit: int | None = None,
                marker: str | None = None) -> list[dict]:
        """The records ``context`` may see, newest first, after ``marker``
        (MarkerNotFound); ``filters`` as ``minova.db.images.image_get_all`` takes them."""
        return self.conductor_api.image_get_all(context, filters=filters, limit=limit,
                                                marker=marker)

    def create(self, context, values: dict) -> dict:
        """A new ``queued`` record (ImageExists when ``values`` names a taken id)."""
        return self.conductor_api.image_create(context, values)

    def update(self, context, image_id: str, values: dict, properties: dict | None = None,
               remove_properties: list | None = None,
               expected_status: str | list | None = None) -> dict:
        """Change columns and custom properties of a record ``context`` owns
        (ImageForbidden); with ``expected_status`` only if the status is still one
        of those (ImageStatusConflict), so two uploads cannot both win."""
        return self.conductor_api.image_update(context, image_id, values,
                                               properties=properties,
                                               remove_properties=remove_properties,
                                               expected_status=expected_status)

    def delete(self, context, image_id: str) -> dict:
        """Delete a record ``context`` owns (ImageProtected if protected); the deleted
        record. The caller removes the bytes."""
        return self.conductor_api.image_delete(context, image_id)

    # --- bytes

    def upload(self, context, image_id: str, path: str) -> None:
        """Send the file at ``path`` as the bytes of the ``queued`` image
        ``image_id`` (Glance's ``PUT /v2/images/{id}/file``): the image
        service hashes and stores them and makes the image ``active``.

        How a compute host hands a snapshot over: the api host's store is
        the only place bytes are kept. A connection that fails is tried on
        the next server (``[glance] num_retries``); the service puts a
        failed upload back to ``queued``, so another attempt may follow.
        An answer that trying again cannot change (4xx) is
        ``ImageUploadFailed`` at once.
        """
        servers = self.api_servers
        attempts = self.num_retries + 1
        errors = []
        for attempt in range(attempts):
            server = servers[attempt % len(servers)]
            try:
                self._put(context, server, image_id, path)
            except _Retryable as exc:
                errors.append(f"{server}: {exc}")
                LOG.warning("Upload of image %s to %s failed (attempt %d of %d): %s",
                            image_id, server, attempt + 1, attempts, exc)
                continue
            except _Fatal as exc:
                raise exception.ImageUploadFailed(image_id=image_id,
                                                  reason=f"{server}: {exc}") from None
            LOG.info("Uploaded %d bytes of image %s to %s", os.path.getsize(path), image_id,
                     server)
            return
        raise exception.ImageUploadFailed(
            image_id=image_id, reason=f"{attempts} attempt(s) failed: " + "; ".join(errors))

    def delete_with_data(self, context, image_id: str) -> None:
        """Delete the image, bytes and record (``DELETE /v2/images/{id}``), as a
        compute host removes a shelved server's snapshot: the bytes are on
        the api host, so the record's door alone would leave them behind.
        An image already gone is fine; any other failure raises
        ``ImageDeleteFailed``."""
        errors = []
        for server in self.api_servers:
            conn, prefix = self._connection(server)
            try:
                conn.request("DELETE", f"{prefix}/v2/images/{_quoted(image_id)}",
                             headers=self._headers(context))
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{server}: {type(exc).__name__}: {exc}")
                continue
            finally:
                conn.close()
            if resp.status in (204, 404):
                return
            raise exception.ImageDeleteFailed(
                image_id=image_id, reason=f"{server}: HTTP {resp.status} {resp.reason}")
        raise exception.ImageDeleteFailed(image_id=image_id, reason="; ".join(errors))

    @staticmethod
    def _headers(context) -> dict:
        headers = {"X-Auth-Token": _auth_token(context), "User-Agent": "minova-compute"}
        global_id = getattr(context, "global_id", None)
        if global_id:
            headers["X-OpenStack-Request-ID"] = global_id
        return headers

    def _put(self, context, server: str, image_id: str, path: str) -> None:
        conn, prefix = self._connection(server)
        headers = dict(self._headers(context), **{
            "Content-Type": "application/octet-stream",
            "Content-Length": str(os.path.getsize(path))})
        try:
            with open(path, "rb") as body:
                try:
                    conn.request("PUT", f"{prefix}/v2/images/{_quoted(image_id)}/file",
                                 body=body, headers=headers)
                    resp = conn.getresponse()
                    detail = resp.read(512)
                except (OSError, http.client.HTTPException) as exc:
                    raise _Retryable(f"{type(exc).__name__}: {exc}") from None
            if resp.status in (200, 201, 204):
                return
            message = f"HTTP {resp.status} {resp.reason}: {detail.decode(errors='replace')}"
            if resp.status >= 500:
                raise _Retryable(message)
            raise _Fatal(message)
        finally:
            conn.close()

    def download(self, context, image_meta: dict, dest_path: str) -> None:
        """Fetch the image's bytes to ``dest_path``, verified; see the module docstring."""
        image_id = image_meta["id"]
        part_path = dest_path + ".part"
        servers = self.api_servers
        attempts = self.num_retries + 1
        errors = []
        for attempt in range(attempts):
            server = servers[attempt % len(servers)]
            try:
                size, md5_hex, sha512_hex = self._fetch(context, server, image_id, part_path)
            except _Retryable as exc:
                _unlink(part_path)
                errors.append(f"{server}: {exc}")
                LOG.warning("Download of image %s from %s failed (attempt %d of %d): %s",
                            image_id, server, attempt + 1, attempts, exc)
                continue
            except _Fatal as exc:
                _unlink(part_path)
                raise exception.ImageDownloadFailed(image_id=image_id,
                                                    reason=f"{server}: {exc}") from None
            except BaseException:
                _unlink(part_path)
                raise
            try:
                self._verify(image_meta, size, md5_hex, sha512_hex)
            except BaseException:
                _unlink(part_path)
                raise
            os.rename(part_path, dest_path)
            LOG.info("Downloaded image %s (%d bytes) from %s to %s", image_id, size, server,
                     dest_path)
            return
        raise exception.ImageDownloadFailed(
            image_id=image_id, reason=f"{attempts} attempt(s) failed: " + "; ".join(errors))

    def _connection(self, server: str) -> tuple[http.client.HTTPConnection, str]:
        url = urllib.parse.urlsplit(server)
        if url.scheme == "https":
            conn = http.client.HTTPSConnection(url.hostname, url.port, timeout=self.timeout)
        elif url.scheme == "http":
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=self.timeout)
        else:
            raise _Fatal(f"unsupported URL {server!r} in [glance] api_servers")
        return conn, url.path.rstrip("/")

    def _fetch(self, context, server: str, image_id: str,
               part_path: str) -> tuple[int, str, str]:
        """One GET of the image file into ``part_path``; returns size and hashes."""
        conn, prefix = self._connection(server)
        headers = {"X-Auth-Token": _auth_token(context),
                   "Accept": "application/octet-stream",
                   "User-Agent": "minova-compute"}
        global_id = getattr(context, "global_id", None)
        if global_id:
            headers["X-OpenStack-Request-ID"] = global_id
        path = f"{prefix}/v2/images/{urllib.parse.quote(image_id, safe='')}/file"
        try:
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                raise _Retryable(f"{type(exc).__name__}: {exc}") from None
            if resp.status == 204:
                raise _Fatal("the image has no data")
            if resp.status in (401, 403, 404):
                raise _Fatal(f"HTTP {resp.status} {resp.reason}")
            if resp.status != 200:
                raise _Retryable(f"HTTP {resp.status} {resp.reason}")
            expected_length = resp.getheader("Content-Length")
            # Errors of the local file (disk full, ...) are not the server's:
            # they propagate as they are, only network errors are retried.
            with open(part_path, "wb") as handle:
                size, md5_hex, sha512_hex = checksums.write_hashed(handle, _chunks_of(resp))
            if expected_length is not None and int(expected_length) != size:
                raise _Retryable(f"connection closed after {size} of {expected_length} bytes")
            return size, md5_hex, sha512_hex
        finally:
            conn.close()

    @staticmethod
    def _verify(image_meta: dict, size: int, md5_hex: str, sha512_hex: str) -> None:
        image_id = image_meta["id"]
        algo = image_meta.get("os_hash_algo")
        expected_hash = image_meta.get("os_hash_value")
        expected_md5 = image_meta.get("checksum")
        expected_size = image_meta.get("size")
        if expected_size and expected_size != size:
            raise exception.ImageChecksumMismatch(
                image_id=image_id, reason=f"got {size} bytes, the image has {expected_size}")
        if algo == "sha512" and expected_hash and expected_hash.lower() != sha512_hex:
            raise exception.ImageChecksumMismatch(
                image_id=image_id,
                reason=f"sha512 {sha512_hex} of the data, {expected_hash} expected")
        if expected_md5 and expected_md5.lower() != md5_hex:
            raise exception.ImageChecksumMismatch(
                image_id=image_id, reason=f"md5 {md5_hex} of the data, {expected_md5} expected")
        if not (expected_md5 or (algo == "sha512" and expected_hash)):
            LOG.warning("Image %s has no checksum: its %d downloaded bytes are unverified",
                        image_id, size)


def _quoted(image_id: str) -> str:
    return urllib.parse.quote(image_id, safe="")


def _chunks_of(resp):
    """The response body in chunks; a broken connection is worth another try."""
    while True:
        try:
            chunk = resp.read(CHUNK_SIZE)
        except (OSError, http.client.HTTPException) as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}") from None
        if not chunk:
            return
        yield chunk
