"""Schema of ``POST /servers`` (Nova v2.1's ``base_create``).

Differences from Nova, on purpose: no ``block_device_mapping`` or
``personality`` (minova has no volumes and no file injection, so those
are refused as unknown properties rather than silently ignored), and of
``block_device_mapping_v2`` only the one mapping that means "the root
disk from the image on local storage", which the openstack CLI sends with
every ``server create --image``.
Networks are validated as Nova does at each microversion (``"auto"`` /
``"none"`` from 2.37 on, device tags 2.32-2.36 and from 2.42), then
ignored: minova has no networking yet.
"""

import copy

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt

_network = {
    "type": "object",
    "properties": {
        "fixed_ip": parameter_types.ip_address,
        "port": {"oneOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]},
        "uuid": {"type": "string"},
    },
    "additionalProperties": False,
}

# Nova's bdm v2 entry for an image-backed local root disk, and nothing
# else: any volume, swap or ephemeral mapping fails validation (400).
_image_root_disk = {
    "type": "object",
    "properties": {
        "uuid": {"type": "string", "format": "uuid"},
        "boot_index": {"enum": [0, "0"]},
        "source_type": {"type": "string", "enum": ["image"]},
        "destination_type": {"type": "string", "enum": ["local"]},
        "delete_on_termination": parameter_types.boolean,
    },
    "required": ["uuid", "boot_index", "source_type", "destination_type"],
    "additionalProperties": False,
}

_hints = {
    "type": "object",
    "properties": {
        "group": {"type": "string", "format": "uuid"},
        "different_host": {
            "oneOf": [
                {"type": "string", "format": "uuid"},
                {"type": "array", "items": {"type": "string", "format": "uuid"}},
            ],
        },
        "same_host": {
            "type": ["string", "array"],
            "items": {"type": "string", "format": "uuid"},
        },
        "query": {"type": ["string", "object"]},
    },
    "additionalProperties": True,
}

create = {
    "type": "object",
    "properties": {
        "server": {
            "type": "object",
            "properties": {
                "name": parameter_types.name,
                "imageRef": parameter_types.image_id_or_empty_string,
                "flavorRef": parameter_types.flavor_ref,
                "adminPass": parameter_types.admin_password,
                "metadata": parameter_types.metadata,
                "networks": {"type": "array", "items": _network},
                "OS-DCF:diskConfig": parameter_types.disk_config,
                "accessIPv4": parameter_types.accessIPv4,
                "accessIPv6": parameter_types.accessIPv6,
                "availability_zone": parameter_types.name,
                "config_drive": parameter_types.boolean,
                "key_name": parameter_types.name,
                "min_count": parameter_types.positive_integer,
                "max_count": parameter_types.positive_integer,
                "return_reservation_id": parameter_types.boolean,
                "security_groups": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"name": parameter_types.name},
                        "additionalProperties": False,
                    },
                },
                "user_data": {"type": "string", "format": "base64", "maxLength": 65535},
                "block_device_mapping_v2": {
                    "type": "array", "items": _image_root_disk, "minItems": 1, "maxItems": 1},
            },
            "required": ["name", "flavorRef"],
            "additionalProperties": False,
        },
        "os:scheduler_hints": _hints,
        "OS-SCH-HNT:scheduler_hints": _hints,
    },
    "required": ["server"],
    "additionalProperties": False,
}

# 2.19: a description.
create_v219 = copy.deepcopy(create)
create_v219["properties"]["server"]["properties"]["description"] = parameter_types.description


def _with_networks(schema: dict, networks: dict) -> dict:
    result = copy.deepcopy(schema)
    result["properties"]["server"]["properties"]["networks"] = networks
    return result


def _tagged(network: dict) -> dict:
    result = copy.deepcopy(network)
    result["properties"]["tag"] = parameter_types.tag
    return result


# 2.32: a network may carry a device ``tag`` (Nova's 2.32 also tags block
# devices, untagged again at 2.33; minova has none, so 2.32-2.36 are one).
create_v232 = _with_networks(create_v219, {"type": "array", "items": _tagged(_network)})

# 2.37: ``networks`` is required: a list whose ``uuid`` must be a uuid, or
# "auto" / "none". As in Nova, a bug drops the network ``tag`` here...
_network_v237 = copy.deepcopy(_network)
_network_v237["properties"]["uuid"] = {"type": "string", "format": "uuid"}
_AUTO_OR_NONE = {"type": "string", "enum": ["none", "auto"]}
create_v237 = _with_networks(create_v232, {"oneOf": [
    {"type": "array", "items": _network_v237}, _AUTO_OR_NONE]})
create_v237["properties"]["server"]["required"].append("networks")

# ...and 2.42 brings it back.
create_v242 = _with_networks(create_v237, {"oneOf": [
    {"type": "array", "items": _tagged(_network_v237)}, _AUTO_OR_NONE]})

# 2.52: tags, given to every server of the request.
create_v252 = copy.deepcopy(create_v242)
create_v252["properties"]["server"]["properties"]["tags"] = parameter_types.tags

# 2.57 drops ``personality``, which minova never accepted: 2.52's schema
# stands until 2.63 adds the ids of the certificates that may sign the image
# (stored and shown; minova verifies no image signatures, as Nova with
# ``[glance] verify_glance_signatures`` off, its default).
create_v263 = copy.deepcopy(create_v252)
create_v263["properties"]["server"]["properties"]["trusted_image_certificates"] = {
    "type": ["array", "null"], "minItems": 1, "maxItems": 50, "uniqueItems": True,
    "items": {"type": "string", "minLength": 1},
}

# 2.74: admins may name the host and/or node to build on (the filters still run).
create_v274 = copy.deepcopy(create_v263)
create_v274["properties"]["server"]["properties"].update(
    host=parameter_types.fqdn, hypervisor_hostname=parameter_types.fqdn)

# 2.90: the guest's hostname (one label), for a single server only; 2.94:
# a fully qualified name (Nova's fqdn).
create_v290 = copy.deepcopy(create_v274)
create_v290["properties"]["server"]["properties"]["hostname"] = parameter_types.hostname
create_v294 = copy.deepcopy(create_v290)
create_v294["properties"]["server"]["properties"]["hostname"] = parameter_types.fqdn

# PUT /servers/{id} (Nova's base_update): what a user may change in place.
# OS-DCF:diskConfig is accepted and ignored, as at create.
update = {
    "type": "object",
    "properties": {
        "server": {
            "type": "object",
            "properties": {
                "name": parameter_types.name,
                "OS-DCF:diskConfig": parameter_types.disk_config,
                "accessIPv4": parameter_types.accessIPv4,
                "accessIPv6": parameter_types.accessIPv6,
            },
            "additionalProperties": False,
        },
    },
    "required": ["server"],
    "additionalProperties": False,
}

update_v219 = copy.deepcopy(update)
update_v219["properties"]["server"]["properties"]["description"] = parameter_types.description

# 2.90 / 2.94: the hostname changes as at create.
update_v290 = copy.deepcopy(update_v219)
update_v290["properties"]["server"]["properties"]["hostname"] = parameter_types.hostname
update_v294 = copy.deepcopy(update_v290)
update_v294["properties"]["server"]["properties"]["hostname"] = parameter_types.fqdn


# --- responses

_security_groups = {
    "type": "array",
    "items": rt.strict({"name": {"type": "string"}}),
}

# From 2.98 the image carries its properties as the server kept them at
# create (Nova's schema: its metadata keys, string values of up to 255).
_image_properties = {
    "type": "object",
    "patternProperties": {"^[a-zA-Z0-9_:. ]{1,255}$": {"type": ["string", "null"],
                                                       "maxLength": 255}},
    "additionalProperties": False,
}

_image_ref = {"oneOf": [
    {"type": "string", "maxLength": 0},  # a server booted from a volume (none in minova)
    rt.strict({"id": {"type": "string"}, "links": rt.links,
               "properties": _image_properties}, optional=("properties",)),
]}

# A link to the flavor before 2.47, the server's copy of it from 2.47 on
# (extra_specs for those who may read them).
_flavor = rt.obj({
    "id": {"type": "string"},
    "links": rt.links,
    "vcpus": {"type": "integer"},
    "ram": {"type": "integer"},
    "disk": {"type": "integer"},
    "ephemeral": {"type": "integer"},
    "swap": {"type": "integer"},
    "original_name": {"type": "string"},
    "extra_specs": rt.string_map,
})

_fault = rt.strict({
    "code": {"type": "integer"},
    "created": rt.timestamp_or_null,
    "message": {"type": "string"},
    "details": {"type": "string"},
}, optional=("details",))

_server_basic = rt.strict({"id": rt.uuid, "name": {"type": "string"}, "links": rt.links})

# Present depending on the microversion, the state or the caller's rights.
_OPTIONAL = (
    "fault", "progress", "OS-EXT-SRV-ATTR:host", "OS-EXT-SRV-ATTR:instance_name",
    "OS-EXT-SRV-ATTR:hypervisor_hostname", "OS-EXT-SRV-ATTR:reservation_id",
    "OS-EXT-SRV-ATTR:launch_index", "OS-EXT-SRV-ATTR:hostname", "OS-EXT-SRV-ATTR:kernel_id",
    "OS-EXT-SRV-ATTR:ramdisk_id", "OS-EXT-SRV-ATTR:root_device_name",
    "OS-EXT-SRV-ATTR:user_data", "host_status", "locked", "description", "tags",
    "trusted_image_certificates", "server_groups", "locked_reason",
    "pinned_availability_zone", "scheduler_hints",
)

_server_properties = {
    "id": rt.uuid,
    "name": {"type": "string"},
    "status": {"type": "string"},
    "tenant_id": {"type": "string"},
    "user_id": {"type": "string"},
    "metadata": rt.string_map,
    "hostId": {"type": "string"},
    "image": _image_ref,
    "flavor": _flavor,
    "created": rt.timestamp,
    "updated": rt.timestamp_or_null,
    "addresses": {"type": "object"},
    "accessIPv4": {"type": "string"},
    "accessIPv6": {"type": "string"},
    "links": rt.links,
    "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
    "OS-EXT-AZ:availability_zone": {"type": "string"},
    "config_drive": {"type": "string"},
    "key_name": rt.string_or_null,
    "OS-SRV-USG:launched_at": rt.timestamp_or_null,
    "OS-SRV-USG:terminated_at": rt.timestamp_or_null,
    "security_groups": _security_groups,
    "OS-EXT-STS:task_state": rt.string_or_null,
    "OS-EXT-STS:vm_state": rt.string_or_null,
    "OS-EXT-STS:power_state": {"type": ["integer", "null"]},
    "os-extended-volumes:volumes_attached": {"type": "array", "maxItems": 0},
    "fault": _fault,
    "progress": {"type": "integer", "minimum": 0, "maximum": 100},
    "OS-EXT-SRV-ATTR:host": rt.string_or_null,
    "OS-EXT-SRV-ATTR:instance_name": {"type": "string"},
    "OS-EXT-SRV-ATTR:hypervisor_hostname": rt.string_or_null,
    "OS-EXT-SRV-ATTR:reservation_id": rt.string_or_null,
    "OS-EXT-SRV-ATTR:launch_index": {"type": "integer"},
    "OS-EXT-SRV-ATTR:hostname": {"type": "string"},
    "OS-EXT-SRV-ATTR:kernel_id": {"type": "string"},
    "OS-EXT-SRV-ATTR:ramdisk_id": {"type": "string"},
    "OS-EXT-SRV-ATTR:root_device_name": rt.string_or_null,
    "OS-EXT-SRV-ATTR:user_data": rt.string_or_null,
    "host_status": {"type": "string", "enum": ["UP", "DOWN", "MAINTENANCE", "UNKNOWN", ""]},
    "locked": {"type": "boolean"},
    "description": rt.string_or_null,
    "tags": {"type": "array", "items": {"type": "string"}},
    "trusted_image_certificates": {  # from 2.63
        "type": ["array", "null"], "items": {"type": "string"}},
    "server_groups": {"type": "array", "items": rt.uuid, "maxItems": 1},  # 2.71
    "locked_reason": rt.string_or_null,  # 2.73
    "pinned_availability_zone": rt.string_or_null,  # 2.96
    "scheduler_hints": {"type": "object"},  # 2.100
}

_server = rt.strict(_server_properties, optional=_OPTIONAL)

# Before 2.75 the answer to an update leaves these out.
_NOT_IN_UPDATE = (
    "OS-EXT-AZ:availability_zone", "config_drive", "key_name", "OS-SRV-USG:launched_at",
    "OS-SRV-USG:terminated_at", "security_groups", "OS-EXT-STS:task_state",
    "OS-EXT-STS:vm_state", "OS-EXT-STS:power_state", "os-extended-volumes:volumes_attached",
)
_updated_server = rt.strict(
    {key: value for key, value in _server_properties.items() if key not in _NOT_IN_UPDATE},
    optional=_OPTIONAL)

index_response = rt.strict(
    {"servers": {"type": "array", "items": _server_basic},
     "servers_links": rt.collection_links},
    optional=("servers_links",))

detail_response = rt.strict(
    {"servers": {"type": "array", "items": _server},
     "servers_links": rt.collection_links},
    optional=("servers_links",))

show_response = rt.strict({"server": _server})

update_response = rt.strict({"server": _updated_server})

# From 2.75 the update answers the full view.
update_response_v275 = show_response

create_response = {"oneOf": [
    rt.strict({"server": rt.strict({
        "id": rt.uuid,
        "links": rt.links,
        "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
        "security_groups": _security_groups,
        "adminPass": {"type": "string"},
    })}),
    # with return_reservation_id
    rt.strict({"reservation_id": {"type": "string"}}),
]}
