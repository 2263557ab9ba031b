"""Policies of the image service (``/image/v2``), under Glance's rule names.

The names are Glance's, so an operator's Glance policy overrides read the
same here. Which images a project can *see* is not a policy: the conductor
scopes every read (public and community images, and the project's own).
The target of the per-image rules is ``{"project_id": <image owner>}``;
the defaults are Glance's (2023.1): a member of the owner's project
changes an image, only an admin makes one public.
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

# Which images a caller may read is the conductor's scoping, so reading
# only asks for the reader role (of whichever project), as Glance's
# defaults do once the image is visible to the project.
_READER_OR_ADMIN_OF_ANY_PROJECT = f"role:reader or {base.ADMIN}"

rules = [
    policy.DocumentedRuleDefault(
        name=ADD_IMAGE,
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Create an image (the target project is the new image's owner).",
        operations=[{"method": "POST", "path": "/image/v2/images"}],
    ),
    policy.DocumentedRuleDefault(
        name=GET_IMAGE,
        check_str=_READER_OR_ADMIN_OF_ANY_PROJECT,
        description="Show an image the caller can see.",
        operations=[{"method": "GET", "path": "/image/v2/images/{image_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=GET_IMAGES,
        check_str=_READER_OR_ADMIN_OF_ANY_PROJECT,
        description="List the images the caller can see.",
        operations=[{"method": "GET", "path": "/image/v2/images"}],
    ),
    policy.DocumentedRuleDefault(
        name=MODIFY_IMAGE,
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Update an image's attributes and properties.",
        operations=[{"method": "PATCH", "path": "/image/v2/images/{image_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=DELETE_IMAGE,
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Delete an image and its data.",
        operations=[{"method": "DELETE", "path": "/image/v2/images/{image_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=UPLOAD_IMAGE,
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Upload an image's data.",
        operations=[{"method": "PUT", "path": "/image/v2/images/{image_id}/file"}],
    ),
    policy.DocumentedRuleDefault(
        name=DOWNLOAD_IMAGE,
        check_str=_READER_OR_ADMIN_OF_ANY_PROJECT,
        description="Download the data of an image the caller can see.",
        operations=[{"method": "GET", "path": "/image/v2/images/{image_id}/file"}],
    ),
    policy.DocumentedRuleDefault(
        name=PUBLICIZE_IMAGE,
        check_str=base.ADMIN,
        description="Make an image public (visible to every project).",
        operations=[{"method": "POST", "path": "/image/v2/images"},
                    {"method": "PATCH", "path": "/image/v2/images/{image_id}"}],
    ),
    policy.DocumentedRuleDefault(
        name=COMMUNITIZE_IMAGE,
        check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description="Make an image a community image (readable by every project).",
        operations=[{"method": "POST", "path": "/image/v2/images"},
                    {"method": "PATCH", "path": "/image/v2/images/{image_id}"}],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    return rules
