"""``GET /limits``: the caller's project's absolute limits and usage (Nova's shape).

``rate`` is always empty (Nova has had no rate limits since Newton). The
network limits leave at 2.36, ``maxImageMeta`` at 2.39, the personality
(injected file) limits at 2.57; from 2.75 an unknown query parameter is a
400. An admin may ask for another project's with ``tenant_id``.
"""

from minova import policy
from minova.api import validation, wsgi
from minova.api.openstack import query
from minova.api.schemas import limits as schema
from minova.compute.quota_api import QuotaAPI
from minova.policies import limits as limits_policies

FILTERED_LIMITS_2_36 = ("floating_ips", "security_groups", "security_group_rules")
FILTERED_LIMITS_2_57 = FILTERED_LIMITS_2_36 + ("injected_files", "injected_file_content_bytes")

# quota resource -> the absolute limits showing it.
LIMIT_NAMES = {
    "ram": ("maxTotalRAMSize",),
    "instances": ("maxTotalInstances",),
    "cores": ("maxTotalCores",),
    "key_pairs": ("maxTotalKeypairs",),
    "floating_ips": ("maxTotalFloatingIps",),
    "metadata_items": ("maxServerMeta", "maxImageMeta"),
    "injected_files": ("maxPersonality",),
    "injected_file_content_bytes": ("maxPersonalitySize",),
    "security_groups": ("maxSecurityGroups",),
    "security_group_rules": ("maxSecurityGroupRules",),
    "server_groups": ("maxServerGroups",),
    "server_group_members": ("maxServerGroupMembers",),
}
# the usage shown -> its quota resource.
USED_NAMES = {
    "totalRAMUsed": "ram",
    "totalCoresUsed": "cores",
    "totalInstancesUsed": "instances",
    "totalFloatingIpsUsed": "floating_ips",
    "totalSecurityGroupsUsed": "security_groups",
    "totalServerGroupsUsed": "server_groups",
}


class LimitsController:
    """Controller of ``/limits``."""

    def __init__(self, quota_api: QuotaAPI) -> None:
        self.quota_api = quota_api

    @validation.response_body_schema(schema.index_response, "2.1", "2.35")
    @validation.response_body_schema(schema.index_response_v236, "2.36", "2.38")
    @validation.response_body_schema(schema.index_response_v239, "2.39", "2.56")
    @validation.response_body_schema(schema.index_response_v257, "2.57")
    def index(self, req: wsgi.Request) -> dict:
        query.check_known(req, ("tenant_id",))
        ctxt = req.context
        policy.authorize(ctxt, limits_policies.BASE_POLICY_NAME, {})
        project_id = ctxt.project_id
        if "tenant_id" in req.GET:
            project_id = req.GET["tenant_id"]
            policy.authorize(ctxt, limits_policies.OTHER_PROJECT_LIMIT_POLICY_NAME,
                             {"project_id": project_id})
        quotas = self.quota_api.get_project_quotas(ctxt, project_id, usages=True)
        if req.is_microversion("2.57"):
            hidden = FILTERED_LIMITS_2_57
        elif req.is_microversion("2.36"):
            hidden = FILTERED_LIMITS_2_36
        else:
            hidden = ()
        with_image_meta = not req.is_microversion("2.39")
        absolute = {}
        for resource, limit in quotas["limits"].items():
            if resource in hidden or resource not in LIMIT_NAMES:
                continue
            for name in LIMIT_NAMES[resource]:
                if name != "maxImageMeta" or with_image_meta:
                    absolute[name] = limit
        for name, resource in USED_NAMES.items():
            if resource not in hidden and resource in quotas["in_use"]:
                absolute[name] = quotas["in_use"][resource]
        return {"limits": {"rate": [], "absolute": absolute}}
