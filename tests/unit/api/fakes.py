"""In-memory stand-ins for the two objects the api is built on.

``FakeComputeAPI`` and ``FakeConductorAPI`` implement just enough of
``minova.compute.api.API`` and ``minova.conductor.rpcapi.ConductorAPI`` for
the REST layer's unit tests: canned data, Nova-like errors, and a record
of every mutating call so tests can assert a rejected request changed
nothing. The real objects are exercised by the functional tests.
"""

import copy
import datetime
import json
import uuid

import webob

from minova import exception
from minova.api import app as api_app
from minova.compute import api as compute_api

PROJECT = "demo"
OTHER_PROJECT = "other"
USER = "alice"

ADMIN_TOKEN = "admin:admin"
USER_TOKEN = f"{USER}:{PROJECT}"
OTHER_TOKEN = f"bob:{OTHER_PROJECT}"

IMAGE_ID = "155d900f-4e14-4e4c-a73d-069cbf4541e6"
QUEUED_IMAGE_ID = "a2459075-d96c-40d5-893e-577ff92e721c"
PRIVATE_IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b"


def _ts(minutes: int) -> str:
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
        "created_at": _ts(0),
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
        "launched_at": _ts(index + 1),
        "terminated_at": None,
        "created_at": _ts(index),
        "updated_at": _ts(index + 1),
        "deleted_at": None,
        "deleted": 0,
        "fault": None,
        "description": None,
        "tags": [],
    }
    instance.update(kwargs)
    return instance


class FakeComputeAPI:
    """The compute API facade over a dict of instances."""

    MUTATING = ("create", "delete", "update_instance", "update_instance_metadata",
                "delete_instance_metadata", "add_tag", "set_tags", "delete_tag", "delete_tags")
    # The vm_states Nova lets metadata and tags change in (the conductor's rule).
    MUTABLE_VM_STATES = ("active", "paused", "suspended", "stopped")

    def __init__(self, instances: list[dict] | None = None, flavor_ids=("1", "2"),
                 image_ids=(IMAGE_ID,)) -> None:
        self.instances = {inst["uuid"]: inst for inst in (instances or [])}
        self.compute_services: dict[str, dict] = {}
        self.server_groups: dict[str, list[str]] = {}
        self.flavor_ids = set(flavor_ids)
        self.image_ids = set(image_ids)
        self.calls: list[tuple[str, dict]] = []
        self.fail_with: dict[str, Exception] = {}
        self._next_id = 1000

    def _maybe_fail(self, method: str) -> None:
        if method in self.fail_with:
            raise self.fail_with[method]

    def mutating_calls(self) -> list[tuple[str, dict]]:
        return [call for call in self.calls if call[0] in self.MUTATING]

    def create(self, ctxt, *, name, flavor_ref, image_ref, availability_zone=None,
               metadata=None, min_count=1, max_count=1, key_name=None,
               access_ip_v4=None, access_ip_v6=None, config_drive=None,
               scheduler_hints=None, user_data=None, description=None, tags=None,
               trusted_certs=None, requested_host=None, requested_node=None,
               hostname=None):
        kwargs = dict(locals())
        kwargs.pop("self")
        kwargs.pop("ctxt")
        for later in ("trusted_certs", "requested_host", "requested_node", "hostname"):
            if kwargs[later] is None:  # recorded only when given (2.63, 2.74, 2.90)
                kwargs.pop(later)
        self.calls.append(("create", kwargs))
        self._maybe_fail("create")
        if flavor_ref not in self.flavor_ids:
            raise exception.FlavorNotFoundForBuild(flavor_id=flavor_ref)
        if image_ref not in self.image_ids:
            raise exception.ImageNotFoundForBuild(image_id=image_ref)
        created = []
        for _ in range(max_count):
            self._next_id += 1
            inst = make_instance(self._next_id, project_id=ctxt.project_id,
                                 display_name=name, vm_state="building",
                                 task_state="scheduling", host=None, node=None,
                                 power_state=0, metadata=metadata or {},
                                 description=description, tags=sorted(set(tags or [])),
                                 trusted_certs=trusted_certs,
                                 pinned_availability_zone=availability_zone,
                                 scheduler_hints=dict(scheduler_hints or {}),
                                 hostname=hostname)
            self.instances[inst["uuid"]] = inst
            created.append(copy.deepcopy(inst))
        return created, "r-fake0001"

    def get(self, ctxt, instance_uuid, read_deleted=False):
        self.calls.append(("get", {"instance_uuid": instance_uuid}))
        self._maybe_fail("get")
        inst = self.instances.get(instance_uuid)
        if (inst is None or (not ctxt.is_admin and inst["project_id"] != ctxt.project_id)
                or (inst["deleted"] and not read_deleted)):
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        return copy.deepcopy(inst)

    def get_server_groups(self, ctxt, instance_uuid):
        """``server_groups``: instance uuid -> the uuids of its groups (2.71)."""
        self.calls.append(("get_server_groups", {"instance_uuid": instance_uuid}))
        return list(self.server_groups.get(instance_uuid, []))

    def get_instances_host_statuses(self, ctxt, instances):
        """``compute_services``: host -> the service record the conductor would give."""
        self.calls.append(("get_instances_host_statuses",
                           {"instances": [i["uuid"] for i in instances]}))
        return {i["uuid"]: compute_api.host_status(self.compute_services.get(i.get("host")))
                for i in instances}

    def get_all(self, ctxt, *, filters, limit=None, marker=None, sort_keys=None,
                sort_dirs=None):
        self.calls.append(("get_all", {"filters": filters, "limit": limit, "marker": marker,
                                       "sort_keys": sort_keys, "sort_dirs": sort_dirs}))
        self._maybe_fail("get_all")
        found = sorted(self.instances.values(), key=lambda i: i["created_at"], reverse=True)
        if "project_id" in filters:
            found = [i for i in found if i["project_id"] == filters["project_id"]]
        if "vm_state" in filters:
            found = [i for i in found if i["vm_state"] in filters["vm_state"]]
        if "host" in filters:
            found = [i for i in found if i["host"] == filters["host"]]
        if "task_state" in filters:
            found = [i for i in found if i["task_state"] in filters["task_state"]]
        if "display_name" in filters:
            found = [i for i in found if filters["display_name"] in i["display_name"]]
        if marker is not None:
            uuids = [i["uuid"] for i in found]
            if marker not in uuids:
                raise exception.MarkerNotFound(marker=marker)
            found = found[uuids.index(marker) + 1:]
        if limit is not None:
            found = found[:limit]
        return copy.deepcopy(found)

    def delete(self, ctxt, instance_uuid):
        self.calls.append(("delete", {"instance_uuid": instance_uuid}))
        self._maybe_fail("delete")
        self.instances.pop(instance_uuid)

    # --- what a user changes on a server

    def _mutable(self, ctxt, method: str, instance_uuid: str, action: str,
                 **kwargs) -> dict:
        """Record the call; the stored instance, after the conductor's checks."""
        self.calls.append((method, dict(kwargs, instance_uuid=instance_uuid)))
        self._maybe_fail(method)
        self.get(ctxt, instance_uuid)
        inst = self.instances[instance_uuid]
        if action and inst["vm_state"] not in self.MUTABLE_VM_STATES:
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance_uuid,
                                                 attr="vm_state", state=inst["vm_state"])
        return inst

    def update_instance(self, ctxt, instance_uuid, values):
        inst = self._mutable(ctxt, "update_instance", instance_uuid, None, values=values)
        inst.update(values)
        return copy.deepcopy(inst)

    def update_instance_metadata(self, ctxt, instance_uuid, metadata, delete=False):
        inst = self._mutable(ctxt, "update_instance_metadata", instance_uuid,
                             "update metadata", metadata=metadata, delete=delete)
        merged = dict(metadata) if delete else {**inst["metadata"], **metadata}
        if len(merged) > 128:
            raise exception.MetadataLimitExceeded(allowed=128)
        inst["metadata"] = merged
        return dict(merged)

    def delete_instance_metadata(self, ctxt, instance_uuid, key):
        self.get(ctxt, instance_uuid)
        if key not in self.instances[instance_uuid]["metadata"]:
            raise exception.MetadataItemNotFound()
        inst = self._mutable(ctxt, "delete_instance_metadata", instance_uuid,
                             "delete metadata", key=key)
        del inst["metadata"][key]

    def add_tag(self, ctxt, instance_uuid, tag):
        inst = self._mutable(ctxt, "add_tag", instance_uuid, "update tag", tag=tag)
        if len(inst["tags"]) >= 50:
            raise exception.TooManyInstanceTags(limit=50)
        if tag in inst["tags"]:
            return False
        inst["tags"] = sorted(inst["tags"] + [tag])
        return True

    def set_tags(self, ctxt, instance_uuid, tags):
        inst = self._mutable(ctxt, "set_tags", instance_uuid, "update tags", tags=tags)
        inst["tags"] = sorted(set(tags))
        return list(inst["tags"])

    def delete_tag(self, ctxt, instance_uuid, tag):
        inst = self._mutable(ctxt, "delete_tag", instance_uuid, "delete tag", tag=tag)
        if tag not in inst["tags"]:
            raise exception.InstanceTagNotFound(instance_id=instance_uuid, tag=tag)
        inst["tags"].remove(tag)

    def delete_tags(self, ctxt, instance_uuid):
        inst = self._mutable(ctxt, "delete_tags", instance_uuid, "delete tags")
        inst["tags"] = []


class FakeConductorAPI:
    """The conductor methods the api uses, over canned flavors, images, hosts, actions."""

    MUTATING = ("flavor_create", "flavor_update", "flavor_delete", "flavor_extra_specs_update",
                "flavor_extra_specs_delete")

    def __init__(self) -> None:
        self.flavors = {
            "1": make_flavor("1", "m1.tiny", 512, 1, 1),
            "2": make_flavor("2", "m1.small", 2048, 1, 20, swap=512),
            "3": make_flavor("3", "m1.secret", 4096, 2, 40, is_public=False),
            "4": make_flavor("4", "m1.old", 1024, 1, 10, disabled=True),
        }
        self.images = {
            IMAGE_ID: {
                "id": IMAGE_ID, "name": "cirros", "status": "active",
                "visibility": "public", "owner": "admin", "disk_format": "qcow2",
                "container_format": "bare", "size": 12345678, "min_disk": 1,
                "min_ram": 64, "checksum": None, "os_hash_algo": None,
                "os_hash_value": None, "protected": False,
                "properties": {"architecture": "x86_64", "auto_disk_config": "True"},
                "created_at": _ts(0), "updated_at": _ts(1),
            },
            QUEUED_IMAGE_ID: {
                "id": QUEUED_IMAGE_ID, "name": "uploading", "status": "queued",
                "visibility": "public", "owner": "admin", "size": None, "min_disk": 0,
                "min_ram": 0, "properties": {}, "created_at": _ts(2), "updated_at": None,
            },
            PRIVATE_IMAGE_ID: {
                "id": PRIVATE_IMAGE_ID, "name": "secret", "status": "active",
                "visibility": "private", "owner": OTHER_PROJECT, "size": 1, "min_disk": 0,
                "min_ram": 0, "properties": {}, "created_at": _ts(3), "updated_at": None,
            },
        }
        self.services = [
            {"id": 1, "uuid": str(uuid.UUID(int=101)), "host": "controller",
             "binary": "minova-conductor", "topic": "conductor", "report_count": 5,
             "disabled": False, "disabled_reason": None, "forced_down": False,
             "last_seen_up": _ts(5), "created_at": _ts(0), "updated_at": _ts(5),
             "state": "up", "zone": "internal"},
            {"id": 2, "uuid": str(uuid.UUID(int=102)), "host": "compute1",
             "binary": "minova-compute", "topic": "compute", "report_count": 5,
             "disabled": True, "disabled_reason": "maintenance", "forced_down": False,
             "last_seen_up": None, "created_at": _ts(0), "updated_at": _ts(4),
             "state": "down", "zone": "nova"},
        ]
        self.compute_nodes = [
            {"id": 1, "uuid": str(uuid.UUID(int=201)), "service_id": 2, "host": "compute1",
             "hypervisor_hostname": "compute1.example.org", "hypervisor_type": "fake",
             "hypervisor_version": 1000, "cpu_info": '{"arch": "x86_64"}',
             "host_ip": "192.0.2.10", "availability_zone": "nova", "vcpus": 8,
             "memory_mb": 16384, "local_gb": 100, "cpu_allocation_ratio": 16.0,
             "ram_allocation_ratio": 1.5, "disk_allocation_ratio": 1.0,
             "reserved_host_memory_mb": 512, "reserved_host_disk_mb": 0,
             "reserved_host_cpus": 0, "vcpus_used": 2, "memory_mb_used": 1024,
             "local_gb_used": 2, "running_vms": 2, "generation": 7,
             "created_at": _ts(0), "updated_at": _ts(4),
             "service": {"id": 2, "uuid": str(uuid.UUID(int=102)), "host": "compute1",
                         "disabled": True, "disabled_reason": "maintenance",
                         "forced_down": False, "state": "down"}},
        ]
        self.actions: dict[str, list[dict]] = {}
        self.host_instances: dict[str, list[dict]] = {}
        self.calls: list[tuple[str, dict]] = []
        self.fail_with: dict[str, Exception] = {}

    def _call(self, method: str, **kwargs) -> None:
        self.calls.append((method, kwargs))
        if method in self.fail_with:
            raise self.fail_with[method]

    def mutating_calls(self) -> list[tuple[str, dict]]:
        return [call for call in self.calls if call[0] in self.MUTATING]

    def add_action(self, instance_uuid: str, request_id: str, project_id: str = PROJECT,
                   events: list[dict] | None = None) -> dict:
        action = {
            "id": len(self.calls) + 1, "action": "create", "instance_uuid": instance_uuid,
            "request_id": request_id, "user_id": USER, "project_id": project_id,
            "start_time": _ts(0), "finish_time": _ts(1), "message": None,
            "updated_at": _ts(1), "events": events or [],
        }
        self.actions.setdefault(instance_uuid, []).append(action)
        return action

    # --- flavors

    def flavor_get_all(self, ctxt):
        self._call("flavor_get_all")
        return copy.deepcopy(list(self.flavors.values()))

    def flavor_get(self, ctxt, flavorid):
        self._call("flavor_get", flavorid=flavorid)
        if flavorid not in self.flavors:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        return copy.deepcopy(self.flavors[flavorid])

    def flavor_create(self, ctxt, values):
        self._call("flavor_create", values=values)
        if values["flavorid"] in self.flavors:
            raise exception.FlavorExists(key="flavorid", value=values["flavorid"])
        if any(f["name"] == values["name"] for f in self.flavors.values()):
            raise exception.FlavorExists(key="name", value=values["name"])
        flavor = make_flavor(values["flavorid"], values["name"], **{
            k: v for k, v in values.items() if k not in ("flavorid", "name")})
        self.flavors[values["flavorid"]] = flavor
        return copy.deepcopy(flavor)

    def flavor_update(self, ctxt, flavorid, values):
        self._call("flavor_update", flavorid=flavorid, values=values)
        if flavorid not in self.flavors:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        self.flavors[flavorid].update(values)
        return copy.deepcopy(self.flavors[flavorid])

    def flavor_delete(self, ctxt, flavorid):
        self._call("flavor_delete", flavorid=flavorid)
        if flavorid not in self.flavors:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        del self.flavors[flavorid]

    # --- images

    def image_get_all(self, ctxt):
        self._call("image_get_all")
        return copy.deepcopy(list(self.images.values()))

    def image_get(self, ctxt, image_id):
        self._call("image_get", image_id=image_id)
        if image_id not in self.images:
            raise exception.ImageNotFound(image_id=image_id)
        return copy.deepcopy(self.images[image_id])

    def flavor_extra_specs_update(self, ctxt, flavorid, specs):
        self._call("flavor_extra_specs_update", flavorid=flavorid, specs=specs)
        if flavorid not in self.flavors:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        self.flavors[flavorid]["extra_specs"].update(specs)
        return copy.deepcopy(self.flavors[flavorid]["extra_specs"])

    def flavor_extra_specs_delete(self, ctxt, flavorid, key):
        self._call("flavor_extra_specs_delete", flavorid=flavorid, key=key)
        if flavorid not in self.flavors:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        if key not in self.flavors[flavorid]["extra_specs"]:
            raise exception.FlavorExtraSpecsNotFound(flavor_id=flavorid, extra_specs_key=key)
        del self.flavors[flavorid]["extra_specs"][key]

    # --- services and compute nodes

    def service_get_all(self, ctxt, binary=None, host=None):
        self._call("service_get_all", binary=binary, host=host)
        return copy.deepcopy([
            s for s in self.services
            if (binary is None or s["binary"] == binary) and (host is None or s["host"] == host)
        ])

    def service_update(self, ctxt, values, service_uuid=None, host=None, binary=None):
        self._call("service_update", values=values, service_uuid=service_uuid, host=host,
                   binary=binary)
        for service in self.services:
            if (service["uuid"] == service_uuid if service_uuid is not None
                    else (service["host"], service["binary"]) == (host, binary)):
                service.update(values)
                return copy.deepcopy(service)
        if service_uuid is not None:
            raise exception.ServiceNotFound(service_id=service_uuid)
        raise exception.HostBinaryNotFound(host=host, binary=binary)

    def compute_node_get_all(self, ctxt):
        self._call("compute_node_get_all")
        return copy.deepcopy(self.compute_nodes)

    def compute_node_get(self, ctxt, compute_node_id):
        self._call("compute_node_get", compute_node_id=compute_node_id)
        for node in self.compute_nodes:
            if compute_node_id in (node["id"], node["uuid"]):
                return copy.deepcopy(node)
        raise exception.HypervisorNotFound(hypervisor_id=compute_node_id)

    def instance_get_all_by_host(self, ctxt, host):
        """``host_instances``: host -> the instances the conductor would list there."""
        self._call("instance_get_all_by_host", host=host)
        return copy.deepcopy(self.host_instances.get(host, []))

    # --- instance actions

    def actions_get(self, ctxt, instance_uuid):
        self._call("actions_get", instance_uuid=instance_uuid)
        return copy.deepcopy(self.actions.get(instance_uuid, []))

    def action_get_by_request_id(self, ctxt, instance_uuid, request_id):
        self._call("action_get_by_request_id", instance_uuid=instance_uuid,
                   request_id=request_id)
        for action in self.actions.get(instance_uuid, []):
            if action["request_id"] == request_id:
                return copy.deepcopy(action)
        raise exception.InstanceActionNotFound(request_id=request_id,
                                               instance_uuid=instance_uuid)


class Client:
    """Sends webob requests through a fresh ``make_app`` over the fakes."""

    def __init__(self, compute_api: FakeComputeAPI | None = None,
                 conductor_api: FakeConductorAPI | None = None) -> None:
        self.compute_api = compute_api or FakeComputeAPI()
        self.conductor_api = conductor_api or FakeConductorAPI()
        self.app = api_app.make_app(self.compute_api, self.conductor_api)

    def request(self, method: str, path: str, body=None, token: str | None = USER_TOKEN,
                headers: dict | None = None, raw: bytes | None = None,
                content_type: str | None = "application/json") -> webob.Response:
        req = webob.Request.blank(path, method=method)
        if token is not None:
            req.headers["X-Auth-Token"] = token
        if raw is not None:
            req.body = raw
        elif body is not None:
            req.body = json.dumps(body).encode("utf-8")
        if content_type is not None and (raw is not None or body is not None):
            req.content_type = content_type
        for key, value in (headers or {}).items():
            req.headers[key] = value
        return req.get_response(self.app)

    def get(self, path: str, **kwargs) -> webob.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body=None, **kwargs) -> webob.Response:
        return self.request("POST", path, body=body, **kwargs)

    def delete(self, path: str, **kwargs) -> webob.Response:
        return self.request("DELETE", path, **kwargs)


def microversion(version: str | None) -> dict | None:
    """The headers asking for compute API ``version`` (None: no header, so 2.1)."""
    return {"OpenStack-API-Version": f"compute {version}"} if version else None


class EndpointConductor(FakeConductorAPI):
    """FakeConductorAPI plus the methods of a real conductor endpoint.

    Methods named with one of ``prefixes`` are ``manager``'s, called
    directly (no bus), so errors, scoping and stored values are the real
    ones (over the ``sqlite_db`` fixture); each call is recorded in ``calls``.
    """

    def __init__(self, manager, *prefixes: str) -> None:
        super().__init__()
        self.manager = manager
        self.prefixes = prefixes

    def __getattr__(self, name):
        if not name.startswith(self.__dict__.get("prefixes", ())):
            raise AttributeError(name)
        method = getattr(self.manager, name)

        def call(ctxt, *args, **kwargs):
            self.calls.append((name, kwargs))
            return method(ctxt, *args, **kwargs)
        return call
