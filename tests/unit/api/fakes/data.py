"""The data the fakes start from: projects, tokens, flavors, instances."""

import datetime
import uuid

PROJECT = "demo"
OTHER_PROJECT = "other"
USER = "alice"

ADMIN_TOKEN = "admin:admin"
USER_TOKEN = f"{USER}:{PROJECT}"
OTHER_TOKEN = f"bob:{OTHER_PROJECT}"

IMAGE_ID = "155d900f-4e14-4e4c-a73d-069cbf4541e6"
QUEUED_IMAGE_ID = "a2459075-d96c-40d5-893e-577ff92e721c"
PRIVATE_IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b"


def ts(minutes: int) -> str:
    """A timestamp ``minutes`` after the fakes' epoch, as the conductor sends them."""
    at = datetime.datetime(2026, 11, 21, 5, 30, 49, 123456) + datetime.timedelta(minutes=minutes)
    return at.isoformat()


def make_flavor(flavorid: str, name: str, memory_mb: int = 512, vcpus: int = 1,
                root_gb: int = 1, **kwargs) -> dict:
    flavor = {
        "id": int(flavorid) if flavorid.isdigit() else 100,
        "flavorid": flavorid,
        "name": name,
        "memory_mb": memory_mb,
        "vcpus": vcpus,
        "root_gb": root_gb,
        "ephemeral_gb": 0,
        "swap": 0,
        "rxtx_factor": 1.0,
        "is_public": True,
        "disabled": False,
        "description": None,
        "extra_specs": {},
        "created_at": ts(0),
        "updated_at": None,
    }
    flavor.update(kwargs)
    return flavor


def make_instance(index: int, project_id: str = PROJECT, **kwargs) -> dict:
    instance = {
        "id": index,
        "uuid": str(uuid.UUID(int=index)),
        "display_name": f"server-{index}",
        "project_id": project_id,
        "user_id": USER,
        "image_ref": IMAGE_ID,
        "flavor": {"flavorid": "1", "name": "m1.tiny", "vcpus": 1, "memory_mb": 512,
                   "root_gb": 1, "ephemeral_gb": 0, "swap": 0, "rxtx_factor": 1.0,
                   "extra_specs": {}},
        "vcpus": 1,
        "memory_mb": 512,
        "root_gb": 1,
        "ephemeral_gb": 0,
        "host": "compute1",
        "node": "compute1.example.org",
        "availability_zone": "nova",
        "vm_state": "active",
        "task_state": None,
        "power_state": 1,
        "metadata": {"role": "web"},
        "key_name": None,
        "access_ip_v4": None,
        "access_ip_v6": None,
        "config_drive": "",
        "reservation_id": "r-abcdefgh",
        "launch_index": 0,
        "progress": 0,
        "launched_at": ts(index + 1),
        "terminated_at": None,
        "created_at": ts(index),
        "updated_at": ts(index + 1),
        "deleted_at": None,
        "deleted": 0,
        "fault": None,
        "description": None,
        "tags": [],
    }
    instance.update(kwargs)
    return instance
