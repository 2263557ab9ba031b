"""The answer of ``GET /limits`` (Nova's), per version range."""

from minova.api.schemas import response_types as rt

_ABSOLUTE_V21 = ("maxTotalRAMSize", "maxTotalInstances", "maxTotalCores", "maxTotalKeypairs",
                 "maxTotalFloatingIps", "maxServerMeta", "maxImageMeta", "maxPersonality",
                 "maxPersonalitySize", "maxSecurityGroups", "maxSecurityGroupRules",
                 "maxServerGroups", "maxServerGroupMembers", "totalRAMUsed", "totalCoresUsed",
                 "totalInstancesUsed", "totalFloatingIpsUsed", "totalSecurityGroupsUsed",
                 "totalServerGroupsUsed")
# 2.36: no network limits; 2.39: no maxImageMeta; 2.57: no personality limits.
_ABSOLUTE_V236 = tuple(n for n in _ABSOLUTE_V21 if "FloatingIps" not in n
                       and "SecurityGroup" not in n)
_ABSOLUTE_V239 = tuple(n for n in _ABSOLUTE_V236 if n != "maxImageMeta")
_ABSOLUTE_V257 = tuple(n for n in _ABSOLUTE_V239 if "Personality" not in n)


def _index(names: tuple[str, ...]) -> dict:
    absolute = rt.strict({name: {"type": "integer", "minimum": -1} for name in names})
    return rt.strict({"limits": rt.strict({"rate": {"type": "array", "maxItems": 0},
                                           "absolute": absolute})})


index_response = _index(_ABSOLUTE_V21)
index_response_v236 = _index(_ABSOLUTE_V236)
index_response_v239 = _index(_ABSOLUTE_V239)
index_response_v257 = _index(_ABSOLUTE_V257)
