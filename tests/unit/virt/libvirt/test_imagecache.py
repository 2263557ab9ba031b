"""The image cache: one download per image per host, whatever runs at once."""

import concurrent.futures
import hashlib
import multiprocessing
import os
import threading
import time
import types

import pytest

from minova import exception
from minova.virt.libvirt import imagecache
from tests.unit.virt.libvirt.fakes import RAW_BYTES, FakeImageAPI


@pytest.fixture
def cache(tmp_path, image_api):
    return imagecache.ImageCache(image_api, str(tmp_path / "_base"))


def test_path_is_sha1_of_image_id(cache, tmp_path):
    expected = hashlib.sha1(b"../../etc/passwd").hexdigest()
    assert cache.path_for("../../etc/passwd") == str(tmp_path / "_base" / expected)


def test_fetch_downloads_once_then_reuses(cache, image_api):
    meta = image_api.add(RAW_BYTES)
    first = cache.fetch(None, meta)
    second = cache.fetch(None, meta)
    assert first == second == cache.path_for(meta["id"])
    assert open(first, "rb").read() == RAW_BYTES
    assert image_api.download_count(meta["id"]) == 1
    # Downloaded under a temporary name in the same directory, then renamed.
    tmp_name = image_api.downloads[0][1]
    assert tmp_name != first and os.path.dirname(tmp_name) == os.path.dirname(first)
    assert not os.path.exists(tmp_name)
    assert sorted(os.listdir(os.path.dirname(first))) == sorted(
        [os.path.basename(first), os.path.basename(first) + ".lock"])


def test_concurrent_fetches_in_threads_download_once(cache, image_api):
    meta = image_api.add(RAW_BYTES)
    threads = 8
    entered = threading.Condition()
    count = {"n": 0}

    def hold_until_everyone_asked(_meta):
        # The download stays in progress until every thread has called fetch.
        with entered:
            assert entered.wait_for(lambda: count["n"] == threads, timeout=10)

    image_api.before_download = hold_until_everyone_asked

    def fetch():
        with entered:
            count["n"] += 1
            entered.notify_all()
        return cache.fetch(None, meta)

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        paths = list(pool.map(lambda _: fetch(), range(threads)))
    assert set(paths) == {cache.path_for(meta["id"])}
    assert image_api.download_count(meta["id"]) == 1
    assert open(paths[0], "rb").read() == RAW_BYTES


def _fetch_in_child(base_dir: str, meta: dict, record: str, waiting, changed,
                    nprocs: int) -> None:
    """A separate process fetching the same image; appends a line per download it makes.

    A process that finds the lock taken counts itself as waiting; the one
    downloading holds on until all the others are waiting for it.
    """
    api = FakeImageAPI()
    api.images[meta["id"]] = meta
    api.data[meta["id"]] = RAW_BYTES
    counted = []

    def waiting_sleep(seconds):
        if not counted:
            counted.append(True)
            with changed:
                waiting.value += 1
                changed.notify_all()
        time.sleep(seconds)

    imagecache.time = types.SimpleNamespace(sleep=waiting_sleep, monotonic=time.monotonic)

    def hold_until_the_others_wait(_meta):
        with open(record, "a") as f:
            f.write(f"{os.getpid()}\n")
        with changed:
            changed.wait_for(lambda: waiting.value >= nprocs - 1, timeout=20)

    api.before_download = hold_until_the_others_wait
    path = imagecache.ImageCache(api, base_dir).fetch(None, meta)
    assert open(path, "rb").read() == RAW_BYTES


def test_concurrent_fetches_in_processes_download_once(tmp_path, image_api):
    meta = image_api.add(RAW_BYTES)
    base_dir = str(tmp_path / "_base")
    record = str(tmp_path / "downloads.txt")
    ctx = multiprocessing.get_context("fork")
    waiting = ctx.Value("i", 0, lock=False)
    changed = ctx.Condition()
    procs = [ctx.Process(target=_fetch_in_child,
                         args=(base_dir, meta, record, waiting, changed, 4))
             for _ in range(4)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert len(open(record).read().splitlines()) == 1
    assert waiting.value == 3  # the other three really waited for the lock


def test_failed_download_leaves_nothing_and_is_retried(cache, image_api):
    meta = image_api.add(RAW_BYTES)
    image_api.fail_with = exception.ImageChecksumMismatch(image_id=meta["id"], reason="md5")
    with pytest.raises(exception.ImageChecksumMismatch):
        cache.fetch(None, meta)
    assert not os.path.exists(cache.path_for(meta["id"]))
    leftovers = [n for n in os.listdir(cache.base_dir) if not n.endswith(".lock")]
    assert leftovers == []
    image_api.fail_with = None
    assert open(cache.fetch(None, meta), "rb").read() == RAW_BYTES
    assert image_api.download_count(meta["id"]) == 2


def test_different_images_get_different_files(cache, image_api):
    a = image_api.add(b"a" * 512)
    b = image_api.add(b"b" * 512)
    assert open(cache.fetch(None, a), "rb").read() == b"a" * 512
    assert open(cache.fetch(None, b), "rb").read() == b"b" * 512
    assert cache.path_for(a["id"]) != cache.path_for(b["id"])
