"""The compute API facade the REST layer uses: turns "create this server" into RPC.

It lives in the api process. It never opens the database: a create is one
call to the conductor (record the instances) and one cast (build them).
"""

import uuid as uuidlib

from oslo_log import log as logging

from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext

LOG = logging.getLogger(__name__)


class API:
    def __init__(self, conductor_api=None) -> None:
        self.conductor_api = conductor_api or conductor_rpcapi.ConductorAPI()

    def create(self, ctxt: RequestContext, *, name: str, flavor_ref, image_ref,
               availability_zone: str | None = None, metadata: dict | None = None,
               min_count: int = 1, max_count: int = 1, key_name: str | None = None,
               access_ip_v4: str | None = None, access_ip_v6: str | None = None,
               config_drive=None, scheduler_hints: dict | None = None,
               user_data: str | None = None) -> tuple[list[dict], str]:
        """Record the instances (BUILD/scheduling) and cast their build."""
        reservation_id = "r-" + uuidlib.uuid4().hex[:8]
        base = {
            "display_name": name,
            "flavor_ref": str(flavor_ref),
            "image_ref": image_ref or None,
            "metadata": dict(metadata or {}),
            "key_name": key_name,
            "access_ip_v4": access_ip_v4,
            "access_ip_v6": access_ip_v6,
            "config_drive": "True" if config_drive in (True, "True", "true") else "",
            "reservation_id": reservation_id,
        }
        count = max(min_count, max_count)
        created = self.conductor_api.create_instances(
            ctxt, base=base, count=count,
            request_spec={"availability_zone": availability_zone,
                          "scheduler_hints": scheduler_hints or {}})
        instances = created["instances"]
        self.conductor_api.build_instances(ctxt, [i["uuid"] for i in instances],
                                           created["request_spec"])
        return instances, reservation_id

    def get(self, ctxt: RequestContext, instance_uuid: str) -> dict:
        return self.conductor_api.instance_get(ctxt, instance_uuid)

    def get_all(self, ctxt: RequestContext, *, filters: dict | None = None,
                limit: int | None = None, marker: str | None = None,
                sort_keys: list | None = None, sort_dirs: list | None = None) -> list[dict]:
        filters = dict(filters or {})
        if not ctxt.is_admin:
            filters["project_id"] = ctxt.project_id
        return self.conductor_api.instance_get_all(ctxt, filters=filters, limit=limit,
                                                   marker=marker, sort_keys=sort_keys,
                                                   sort_dirs=sort_dirs)

    def delete(self, ctxt: RequestContext, instance_uuid: str) -> None:
        self.conductor_api.delete_instance(ctxt, instance_uuid)
