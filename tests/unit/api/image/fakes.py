"""The images of the image API's unit tests, for a ``FakeImageAPI`` to hold.

``FakeImageAPI`` (tests/unit/api/fakes/images.py) applies the conductor's
semantics to them: scoping by the context, ownership for writes, status
compare-and-swap; and records every call.
"""

from tests.unit.api import fakes as api_fakes
from tests.unit.api.fakes.images import make_image

PROJECT = api_fakes.PROJECT
OTHER_PROJECT = api_fakes.OTHER_PROJECT
USER_TOKEN = api_fakes.USER_TOKEN
OTHER_TOKEN = api_fakes.OTHER_TOKEN
ADMIN_TOKEN = api_fakes.ADMIN_TOKEN

PUBLIC_ID = "155d900f-4e14-4e4c-a73d-069cbf4541e6"
QUEUED_ID = "a2459075-d96c-40d5-893e-577ff92e721c"
OTHER_PRIVATE_ID = "70a599e0-31e7-49b7-b260-868f441e862b"
OWN_PRIVATE_ID = "0c8b1e63-5b6a-4d0e-9a43-5f1f2d5c7a10"
PROTECTED_ID = "b0d1f7f4-2f0b-4a55-8d4e-9f7c3a0c5e21"


def images() -> dict[str, dict]:
    """An admin's public image; the caller's project's queued, private and
    protected ones; another project's private one."""
    return {
        PUBLIC_ID: make_image(PUBLIC_ID, 0, name="cirros", owner="admin",
                              properties={"hw_disk_bus": "virtio"}),
        QUEUED_ID: make_image(QUEUED_ID, 1, name="uploading", status="queued",
                              size=None, visibility="private"),
        OTHER_PRIVATE_ID: make_image(OTHER_PRIVATE_ID, 2, name="secret",
                                     visibility="private", owner=OTHER_PROJECT),
        OWN_PRIVATE_ID: make_image(OWN_PRIVATE_ID, 3, name="mine", visibility="private"),
        PROTECTED_ID: make_image(PROTECTED_ID, 4, name="keep", protected=True),
    }
