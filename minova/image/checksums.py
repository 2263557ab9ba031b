"""Writing image bytes while hashing them, as the store and the download both must.

md5 is Glance's ``checksum``, sha512 its ``os_hash_value``; both are computed
as the bytes go by, so an image is never held in memory or read twice.
"""

import hashlib
import os
from collections.abc import Iterable


def write_hashed(handle, chunks: Iterable[bytes]) -> tuple[int, str, str]:
    """Write ``chunks`` to ``handle`` and fsync it; returns (size, md5 hex, sha512 hex)."""
    md5 = hashlib.md5(usedforsecurity=False)
    sha512 = hashlib.sha512()
    size = 0
    for chunk in chunks:
        if not chunk:
            continue
        handle.write(chunk)
        md5.update(chunk)
        sha512.update(chunk)
        size += len(chunk)
    handle.flush()
    os.fsync(handle.fileno())
    return size, md5.hexdigest(), sha512.hexdigest()
