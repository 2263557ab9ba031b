"""JSON schemas of the image API (Glance's image schema, the parts minova serves).

The same schema validates a create body and the image that a PATCH would
produce, as Glance does. Custom properties (``kernel_id``, ``hw_*``, ...)
are top-level keys whose values must be strings.
"""

import copy

DISK_FORMATS = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso",
                "ploop"]
CONTAINER_FORMATS = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]
VISIBILITIES = ["public", "community", "shared", "private"]
STATUSES = ["queued", "saving", "active", "killed", "deleted", "pending_delete",
            "deactivated", "uploading", "importing"]

UUID_PATTERN = ("^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-"
                "([0-9a-fA-F]){12}$")
MAX_INT = 2 ** 31 - 1

# Properties the image service sets; a request that sets any of them is 403.
READ_ONLY = ("status", "size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value",
             "created_at", "updated_at", "self", "file", "schema", "direct_url",
             "locations", "stores")
# Glance keeps this namespace for itself (minova keeps tags and os_hidden there).
RESERVED_PREFIX = "os_glance"

MAX_PROPERTY_KEY = 255
MAX_PROPERTY_VALUE = 65535
# Glance's image_property_quota and image_tag_quota defaults.
MAX_PROPERTIES = 128
MAX_TAGS = 128

# What a user may set (on create, and with PATCH unless noted in the controller).
WRITABLE = {
    "id": {"type": "string", "pattern": UUID_PATTERN,
           "description": "An identifier for the image"},
    "name": {"type": ["null", "string"], "maxLength": 255,
             "description": "Descriptive name for the image"},
    "visibility": {"type": "string", "enum": VISIBILITIES,
                   "description": "Scope of image accessibility"},
    "protected": {"type": "boolean",
                  "description": "If true, image will not be deletable."},
    "os_hidden": {"type": "boolean",
                  "description": "If true, image will not appear in default image list "
                                 "response."},
    "disk_format": {"type": ["null", "string"], "enum": [None] + DISK_FORMATS,
                    "description": "Format of the disk"},
    "container_format": {"type": ["null", "string"], "enum": [None] + CONTAINER_FORMATS,
                         "description": "Format of the container"},
    "min_disk": {"type": "integer", "minimum": 0, "maximum": MAX_INT,
                 "description": "Amount of disk space (in GB) required to boot image."},
    "min_ram": {"type": "integer", "minimum": 0, "maximum": MAX_INT,
                "description": "Amount of ram (in MB) required to boot image."},
    "tags": {"type": "array", "maxItems": MAX_TAGS,
             "items": {"type": "string", "maxLength": 255},
             "description": "List of strings related to the image"},
    "owner": {"type": ["null", "string"], "maxLength": 255,
              "description": "Owner of the image"},
}

_CUSTOM_PROPERTY = {"type": "string", "maxLength": MAX_PROPERTY_VALUE}

image = {
    "type": "object",
    "properties": WRITABLE,
    "additionalProperties": _CUSTOM_PROPERTY,
}

# A JSON patch body (application/openstack-images-v2.1-json-patch).
patch = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "op": {"type": "string", "enum": ["add", "replace", "remove"]},
            "path": {"type": "string", "pattern": "^/[^/]+$"},
            "value": {},
        },
        "required": ["op", "path"],
        "additionalProperties": False,
    },
}

_READ_ONLY_DOCS = {
    "status": {"type": "string", "enum": STATUSES, "readOnly": True,
               "description": "Status of the image"},
    "size": {"type": ["null", "integer"], "readOnly": True,
             "description": "Size of image file in bytes"},
    "virtual_size": {"type": ["null", "integer"], "readOnly": True,
                     "description": "Virtual size of image in bytes"},
    "checksum": {"type": ["null", "string"], "maxLength": 32, "readOnly": True,
                 "description": "md5 hash of image contents."},
    "os_hash_algo": {"type": ["null", "string"], "maxLength": 64, "readOnly": True,
                     "description": "Algorithm to calculate the os_hash_value"},
    "os_hash_value": {"type": ["null", "string"], "maxLength": 128, "readOnly": True,
                      "description": "Hexdigest of the image contents using the algorithm "
                                     "specified by the os_hash_algo"},
    "created_at": {"type": "string", "readOnly": True,
                   "description": "Date and time of image registration"},
    "updated_at": {"type": "string", "readOnly": True,
                   "description": "Date and time of the last image modification"},
    "self": {"type": "string", "readOnly": True,
             "description": "An image self url"},
    "file": {"type": "string", "readOnly": True,
             "description": "An image file url"},
    "schema": {"type": "string", "readOnly": True,
               "description": "An image schema url"},
}


def image_document() -> dict:
    """``GET /v2/schemas/image``: the image schema, as Glance publishes it."""
    properties = copy.deepcopy(WRITABLE)
    properties.update(copy.deepcopy(_READ_ONLY_DOCS))
    return {
        "name": "image",
        "properties": properties,
        "additionalProperties": copy.deepcopy(_CUSTOM_PROPERTY),
        "links": [
            {"rel": "self", "href": "{self}"},
            {"rel": "enclosure", "href": "{file}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }


def images_document() -> dict:
    """``GET /v2/schemas/images``: the list schema."""
    return {
        "name": "images",
        "properties": {
            "images": {"type": "array", "items": image_document()},
            "schema": {"type": "string"},
            "first": {"type": "string"},
            "next": {"type": "string"},
        },
        "links": [
            {"rel": "first", "href": "{first}"},
            {"rel": "next", "href": "{next}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }
