"""The filesystem store: streamed writes with hashes, atomic replace, chunked reads."""

import hashlib
import os

import pytest

from minova import exception
from minova.api.image import store as image_store

IMAGE_ID = "155d900f-4e14-4e4c-a73d-069cbf4541e6"


@pytest.fixture
def store(tmp_path):
    return image_store.FilesystemStore(str(tmp_path / "images"))


def _chunks(data: bytes, size: int, seen: list | None = None):
    for start in range(0, len(data), size):
        chunk = data[start:start + size]
        if seen is not None:
            seen.append(len(chunk))
        yield chunk


def test_add_streams_and_hashes(store):
    data = os.urandom(200_001)
    seen = []
    size, md5_hex, sha512_hex = store.add(IMAGE_ID, _chunks(data, 4096, seen))
    assert size == len(data)
    assert md5_hex == hashlib.md5(data).hexdigest()
    assert sha512_hex == hashlib.sha512(data).hexdigest()
    assert len(seen) == 49  # consumed chunk by chunk from a generator
    with open(os.path.join(store.path, IMAGE_ID), "rb") as handle:
        assert handle.read() == data
    assert os.listdir(store.path) == [IMAGE_ID]


def test_add_empty(store):
    assert store.add(IMAGE_ID, iter([b"", b""])) == (
        0, hashlib.md5(b"").hexdigest(), hashlib.sha512(b"").hexdigest())


def test_failed_add_leaves_nothing_and_keeps_the_old_bytes(store):
    store.add(IMAGE_ID, [b"old"])

    def broken():
        yield b"new data"
        raise OSError("client went away")

    with pytest.raises(OSError):
        store.add(IMAGE_ID, broken())
    assert os.listdir(store.path) == [IMAGE_ID]
    assert b"".join(store.get(IMAGE_ID)) == b"old"


def test_get_yields_chunks_and_closes(store):
    data = os.urandom(10_000)
    store.add(IMAGE_ID, [data])
    image_file = store.get(IMAGE_ID, chunk_size=4096)
    assert image_file.size == len(data)
    chunks = list(image_file)
    assert [len(c) for c in chunks] == [4096, 4096, 1808]
    assert b"".join(chunks) == data
    assert image_file._handle.closed


def test_get_close_without_reading(store):
    store.add(IMAGE_ID, [b"abc"])
    image_file = store.get(IMAGE_ID)
    image_file.close()
    assert image_file._handle.closed


def test_get_missing(store):
    with pytest.raises(exception.ImageDataNotFound):
        store.get(IMAGE_ID)


def test_delete(store):
    store.add(IMAGE_ID, [b"abc"])
    assert store.exists(IMAGE_ID)
    assert store.delete(IMAGE_ID) is True
    assert not store.exists(IMAGE_ID)
    assert store.delete(IMAGE_ID) is False


@pytest.mark.parametrize("bad", ["../etc/passwd", "/etc/passwd", "", "x" * 36,
                                 "{155d900f-4e14-4e4c-a73d-069cbf4541e6}", None])
def test_ids_are_never_paths(store, bad):
    for call in (lambda: store.add(bad, [b"x"]), lambda: store.get(bad),
                 lambda: store.delete(bad)):
        with pytest.raises(exception.Invalid):
            call()
    assert not os.path.exists(store.path) or os.listdir(store.path) == []


def test_default_path_is_the_option(tmp_path):
    from oslo_config import cfg

    cfg.CONF.set_override("store_path", str(tmp_path / "s"), group="image")
    assert image_store.FilesystemStore().path == str(tmp_path / "s")
