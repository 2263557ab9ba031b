"""A filesystem store for image bytes, on the api host.

It sits with the image API (``minova.api.image``) because that is what
uses it, with ``minova-manage image import`` on the same host; compute
hosts never open it, they download over HTTP (``minova.image.api``).

One file per image, named by the image id, under ``[image] store_path``.
Bytes are streamed: ``add`` takes an iterable of chunks and never holds
more than one chunk in memory, hashing as it writes (md5 for Glance's
``checksum``, sha512 for ``os_hash_value``). It writes to a temporary file
in the same directory, fsyncs it and renames it into place, so a reader
never sees a half-written image and a crash leaves at most a ``.part``
file behind.
"""

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator

from oslo_config import cfg
from oslo_log import log as logging

import minova.conf  # noqa: F401  (registers [image] store_path)
from minova import exception
from minova.image import checksums

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
HASH_ALGO = "sha512"

# Image ids become file names: only canonical UUIDs, never a path.
_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                 r"[0-9a-fA-F]{12}$")


class ImageFile:
    """An open image's chunks; closing it (as WSGI servers do) closes the file."""

    def __init__(self, handle, size: int, chunk_size: int = CHUNK_SIZE) -> None:
        self._handle = handle
        self.size = size
        self.chunk_size = chunk_size

    def __iter__(self) -> Iterator[bytes]:
        try:
            while True:
                chunk = self._handle.read(self.chunk_size)
                if not chunk:
                    return
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        self._handle.close()


class FilesystemStore:
    """``add`` / ``get`` / ``delete`` image bytes under one directory."""

    def __init__(self, path: str | None = None) -> None:
        self._path = path

    @property
    def path(self) -> str:
        return self._path or CONF.image.store_path

    def _file(self, image_id: str) -> str:
        if not isinstance(image_id, str) or not _ID.match(image_id):
            raise exception.Invalid(reason=f"invalid image id {image_id!r}")
        return os.path.join(self.path, image_id)

    def add(self, image_id: str, chunks: Iterable[bytes]) -> tuple[int, str, str]:
        """Store the bytes of ``chunks``; returns ``(size, md5 hex, sha512 hex)``.

        Replaces what was stored for the image before. If reading the chunks
        fails (the client went away, a size limit), nothing is left behind
        and the error propagates.
        """
        target = self._file(image_id)
        os.makedirs(self.path, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=f".{image_id}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                size, md5_hex, sha512_hex = checksums.write_hashed(handle, chunks)
            os.rename(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._fsync_dir()
        LOG.info("Stored %d bytes of image %s", size, image_id)
        return size, md5_hex, sha512_hex

    def _fsync_dir(self) -> None:
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def get(self, image_id: str, chunk_size: int = CHUNK_SIZE) -> ImageFile:
        """The image's bytes as an iterable of chunks; ``ImageDataNotFound`` if none.

        The file is opened here, so a missing one is an error before any
        byte is sent.
        """
        try:
            handle = open(self._file(image_id), "rb")  # ImageFile closes it
        except FileNotFoundError:
            raise exception.ImageDataNotFound(image_id=image_id) from None
        return ImageFile(handle, os.fstat(handle.fileno()).st_size, chunk_size)

    def exists(self, image_id: str) -> bool:
        return os.path.exists(self._file(image_id))

    def delete(self, image_id: str) -> bool:
        """Remove the image's bytes; False when there were none."""
        try:
            os.unlink(self._file(image_id))
        except FileNotFoundError:
            return False
        LOG.info("Deleted the data of image %s", image_id)
        return True
