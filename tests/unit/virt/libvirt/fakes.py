"""Test doubles and helpers of the libvirt driver's unit tests."""

import threading
import uuid

import libvirt

from minova import exception

TEST_URI = "test:///default"
RAW_BYTES = b"minova raw image\n" + b"\0" * (1024 * 1024 - 17)  # 1 MiB


class FakeImageAPI:
    """Stand-in for the image service client (minova.image.api.API, tested elsewhere).

    ``get`` returns an image's record and ``download`` writes its known bytes
    to the destination, as the real client does after verifying checksums.
    Every call is recorded; ``before_download`` lets a test run code inside a
    download, ``fail_with`` makes downloads raise.
    """

    def __init__(self) -> None:
        self.images: dict[str, dict] = {}
        self.data: dict[str, bytes] = {}
        self.gets: list[str] = []
        self.downloads: list[tuple[str, str]] = []
        self.before_download = None
        self.fail_with: Exception | None = None
        self._lock = threading.Lock()

    def add(self, data: bytes, disk_format: str = "raw", image_id: str | None = None,
            **properties) -> dict:
        image_id = image_id or str(uuid.uuid4())
        meta = {"id": image_id, "name": f"image-{image_id[:8]}", "disk_format": disk_format,
                "container_format": "bare", "size": len(data), "checksum": None,
                "os_hash_algo": None, "os_hash_value": None, "min_disk": 0, "min_ram": 0,
                "properties": dict(properties)}
        self.images[image_id] = meta
        self.data[image_id] = data
        return dict(meta)

    def get(self, context, image_id: str) -> dict:
        with self._lock:
            self.gets.append(image_id)
        if image_id not in self.images:
            raise exception.ImageNotFound(image_id=image_id)
        return dict(self.images[image_id])

    def download(self, context, image_meta: dict, dest_path: str) -> None:
        with self._lock:
            self.downloads.append((image_meta["id"], dest_path))
        if self.before_download is not None:
            self.before_download(image_meta)
        if self.fail_with is not None:
            with open(dest_path, "wb") as f:
                f.write(b"partial")
            raise self.fail_with
        with open(dest_path, "wb") as f:
            f.write(self.data[image_meta["id"]])

    def download_count(self, image_id: str) -> int:
        return sum(1 for i, _ in self.downloads if i == image_id)


def domain(uuid_str: str) -> libvirt.virDomain:
    """The domain with this UUID, over a connection of the test's own."""
    return libvirt.open(TEST_URI).lookupByUUIDString(uuid_str)


def domain_exists(uuid_str: str) -> bool:
    conn = libvirt.open(TEST_URI)
    try:
        return uuid_str in [d.UUIDString() for d in conn.listAllDomains(0)]
    finally:
        conn.close()
