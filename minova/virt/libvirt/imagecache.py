"""The per-host image cache: each image's bytes downloaded once, shared by its instances.

Base images live in ``instances_path/<image_cache_subdirectory_name>/``
under the SHA-1 of the image id (a fixed-length name that is safe on any
filesystem, whatever the id looks like). Instances never write to a base:
each one gets a qcow2 overlay on top of it.

Many builds of one image may start at once, in threads of one compute
service or in several processes sharing the directory. The first takes an
exclusive ``flock`` on ``<base>.lock`` and downloads to a temporary name in
the same directory, renamed into place only once the image client has
verified the checksum; the others wait for the lock, then find the file. A
crash mid-download leaves only a temporary file, never a truncated base.
"""

import contextlib
import errno
import fcntl
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Iterator

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

# Between attempts at a lock another process holds (its download is running).
_LOCK_POLL_SECONDS = 0.05


class ImageCache:
    """Fetches images into ``base_dir`` through ``image_api`` (the image service client)."""

    def __init__(self, image_api, base_dir: str) -> None:
        self.image_api = image_api
        self.base_dir = base_dir
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def path_for(self, image_id: str) -> str:
        """Where the image's bytes are (or will be) cached."""
        name = hashlib.sha1(image_id.encode(), usedforsecurity=False).hexdigest()
        return os.path.join(self.base_dir, name)

    def fetch(self, context, image_meta: dict) -> str:
        """The cached copy of ``image_meta``'s image, downloading it if this host lacks it.

        Raises what ``image_api.download`` raises (ImageDownloadFailed,
        ImageChecksumMismatch); nothing is left in the cache then.
        """
        image_id = image_meta["id"]
        target = self.path_for(image_id)
        if os.path.exists(target):
            return target
        os.makedirs(self.base_dir, exist_ok=True)
        with self._thread_lock(target), _file_lock(target + ".lock"):
            if os.path.exists(target):
                LOG.debug("Image %s was cached by a concurrent build", image_id)
                return target
            fd, tmp = tempfile.mkstemp(dir=self.base_dir,
                                       prefix=os.path.basename(target) + ".", suffix=".part")
            os.close(fd)
            try:
                LOG.info("Downloading image %s to the image cache", image_id)
                started = time.monotonic()
                self.image_api.download(context, image_meta, tmp)
                # Guests run as another user on most hosts; bases are read-only to them.
                os.chmod(tmp, 0o644)
                os.rename(tmp, target)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                raise
            LOG.info("Cached image %s in %.2f seconds", image_id, time.monotonic() - started)
        return target

    @contextlib.contextmanager
    def _thread_lock(self, target: str) -> Iterator[None]:
        """Serialise this process's threads first, so only one of them polls the file lock."""
        with self._locks_guard:
            lock = self._locks.setdefault(target, threading.Lock())
        with lock:
            yield


@contextlib.contextmanager
def _file_lock(path: str) -> Iterator[None]:
    """An exclusive ``flock`` on ``path``, held by this process until the block ends.

    Non-blocking attempts with a short pause between them: a blocking
    ``flock`` would stall every green thread of an eventlet-mode service
    while another process downloads.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if not waited:
                    LOG.debug("Waiting for another process to release %s", path)
                    waited = True
                time.sleep(_LOCK_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
