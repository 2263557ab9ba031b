"""Response schemas of ``/os-networks`` (Nova's loose ones: only ``id`` and
``label`` carry values since nova-network is gone)."""

from minova.api.schemas import response_types as rt

_FIELDS = ("cidr", "netmask", "gateway", "broadcast", "dns1", "dns2", "cidr_v6",
           "gateway_v6", "netmask_v6", "created_at", "updated_at", "deleted_at",
           "deleted", "injected", "bridge", "vlan", "vpn_public_address", "vpn_public_port",
           "vpn_private_address", "dhcp_start", "project_id", "host", "bridge_interface",
           "multi_host", "priority", "rxtx_base", "mtu", "dhcp_server", "enable_dhcp",
           "share_address")

_network = rt.strict(dict({"id": {"type": "string"}, "label": {"type": "string"}},
                          **{field: {"type": "null"} for field in _FIELDS}),
                     optional=_FIELDS)

index_response = rt.strict({"networks": {"type": "array", "items": _network}})
show_response = rt.strict({"network": _network})
