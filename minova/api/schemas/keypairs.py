"""Schemas of ``POST /os-keypairs``, Nova's per microversion.

2.2 added ``type``, 2.10 an admin's ``user_id``, and 2.92 made
``public_key`` required (no more generated keys) and let names carry
``@`` and ``.``.
"""

import copy

from minova.api.schemas import parameter_types
from minova.api.schemas import response_types as rt

# A printable name (no leading/trailing spaces) of Nova's safe characters.
keypair_name = {"allOf": [parameter_types.name, {"type": "string", "format": "keypair_name_20"}]}
keypair_name_v292 = {"allOf": [parameter_types.name,
                               {"type": "string", "format": "keypair_name_292"}]}

create = {
    "type": "object",
    "properties": {
        "keypair": {
            "type": "object",
            "properties": {
                "name": keypair_name,
                "public_key": {"type": "string"},
            },
            "required": ["name"],
            "additionalProperties": False,
        },
    },
    "required": ["keypair"],
    "additionalProperties": False,
}

create_v22 = copy.deepcopy(create)
create_v22["properties"]["keypair"]["properties"]["type"] = {
    "type": "string", "enum": ["ssh", "x509"]}

create_v210 = copy.deepcopy(create_v22)
create_v210["properties"]["keypair"]["properties"]["user_id"] = {"type": "string"}

create_v292 = copy.deepcopy(create_v210)
create_v292["properties"]["keypair"]["properties"]["name"] = keypair_name_v292
create_v292["properties"]["keypair"]["required"] = ["name", "public_key"]

# --- responses

_KEYPAIR_TYPE = {"type": "string", "enum": ["ssh", "x509"]}
_basic = {"name": {"type": "string"}, "public_key": {"type": "string"},
          "fingerprint": {"type": "string"}, "type": _KEYPAIR_TYPE}  # type from 2.2

create_response = rt.strict({"keypair": rt.strict(
    {**_basic, "user_id": {"type": "string"}, "private_key": {"type": "string"}},
    optional=("type", "private_key"))})

show_response = rt.strict({"keypair": rt.strict(
    {**_basic, "user_id": {"type": "string"}, "id": {"type": "integer"},
     "created_at": rt.timestamp, "updated_at": rt.timestamp_or_null,
     "deleted": {"type": "boolean"}, "deleted_at": {"type": "null"}},
    optional=("type",))})

index_response = rt.strict({
    "keypairs": {"type": "array",
                 "items": rt.strict({"keypair": rt.strict(_basic, optional=("type",))})},
    "keypairs_links": rt.collection_links,  # from 2.35
}, optional=("keypairs_links",))
