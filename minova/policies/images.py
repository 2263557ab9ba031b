"""Policies of the image service (``/image/v2``), under Glance's rule names.

The names are Glance's, so an operator's Glance policy overrides read the
same here. Which images a project can *see* is not a policy: the conductor
scopes every read (public and community images, and the project's own).
The target of the per-image rules is ``{"project_id": <image owner>}``.
"""

from oslo_policy import policy

from minova.policies import base

ADD_IMAGE = "add_image"
GET_IMAGE = "get_image"
GET_IMAGES = "get_images"
MODIFY_IMAGE = "modify_image"
DELETE_IMAGE = "delete_image"
UPLOAD_IMAGE = "upload_image"
DOWNLOAD_IMAGE = "download_image"
PUBLICIZE_IMAGE = "publicize_image"
COMMUNITIZE_IMAGE = "communitize_image"

_ANY = ""

rules = [
    policy.DocumentedRuleDefault(
        name=ADD_IMAGE,
        check_str=base.RULE_ADMIN_OR_OWNER,
        description="Create an image (the target project is the new image's owner).",
        operations=[{"method": "POST", "path": "/image/v2/images"}],
    ),
    policy.DocumentedRuleDefault(
        name=GET_IMAGE,
        check_str=_ANY,
        description="Show an image the caller can see.",
        operations=[{"method": "GET", "path": "/image/v2/images/{image_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=GET_IMAGES,
        check_str=_ANY,
        description="List the images the caller can see.",
        operations=[{"method": "GET", "path": "/image/v2/images"}],
    ),
    policy.DocumentedRuleDefault(
        name=MODIFY_IMAGE,
        check_str=base.RULE_ADMIN_OR_OWNER,
        description="Update an image's attributes and properties.",
        operations=[{"method": "PATCH", "path": "/image/v2/images/{image_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=DELETE_IMAGE,
        check_str=base.RULE_ADMIN_OR_OWNER,
        description="Delete an image and its data.",
        operations=[{"method": "DELETE", "path": "/image/v2/images/{image_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=UPLOAD_IMAGE,
        check_str=base.RULE_ADMIN_OR_OWNER,
        description="Upload an image's data.",
        operations=[{"method": "PUT", "path": "/image/v2/images/{image_id}/file"}],
    ),
    policy.DocumentedRuleDefault(
        name=DOWNLOAD_IMAGE,
        check_str=_ANY,
        description="Download the data of an image the caller can see.",
        operations=[{"method": "GET", "path": "/image/v2/images/{image_id}/file"}],
    ),
    policy.DocumentedRuleDefault(
        name=PUBLICIZE_IMAGE,
        check_str=base.RULE_ADMIN_API,
        description="Make an image public (visible to every project).",
        operations=[{"method": "POST", "path": "/image/v2/images"},
                    {"method": "PATCH", "path": "/image/v2/images/{image_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=COMMUNITIZE_IMAGE,
        check_str=base.RULE_ADMIN_OR_OWNER,
        description="Make an image a community image (readable by every project).",
        operations=[{"method": "POST", "path": "/image/v2/images"},
                    {"method": "PATCH", "path": "/image/v2/images/{image_id}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
