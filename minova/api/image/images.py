"""``/v2/images[/{image_id}]``: create, list, show, update (JSON patch), delete.

Status codes and checks follow Glance's v2 API: 201 on create, 403 for
read-only or reserved attributes and protected deletes, 409 for a replace
or remove of a property the image does not have, 415 for a PATCH that is
not ``application/openstack-images-v2.1-json-patch``. Error bodies are
Nova's JSON faults (``minova.api.faults``), not Glance's HTML.
"""

import csv

import webob.exc
from oslo_log import log as logging

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.image import schemas, views
from minova.api.image import store as image_store
from minova.image.api import API as ImageAPI
from minova.policies import images as image_policies

LOG = logging.getLogger(__name__)

# Glance's limit_param_default and api_limit_max.
DEFAULT_LIMIT = 25
MAX_LIMIT = 1000

# Query parameters with a meaning of their own; any other one filters on
# the custom property of that name, as in Glance.
_EQUALITY_FILTERS = ("name", "status", "visibility", "owner", "disk_format",
                     "container_format", "id")
_IN_FILTERS = ("name", "status", "disk_format", "container_format", "id")
_PAGING = ("limit", "marker", "sort_key", "sort_dir", "sort")
_UNSUPPORTED_FILTERS = ("tag", "member_status", "size_min", "size_max", "created_at",
                        "updated_at")

_BASE_PATCHABLE = ("name", "visibility", "protected", "os_hidden", "disk_format",
                   "container_format", "min_disk", "min_ram", "tags")
# Glance lets these change only before data is uploaded.
_QUEUED_ONLY = ("disk_format", "container_format")

_validator = validation.SchemaValidator(schemas.image)
_patch_validator = validation.SchemaValidator(schemas.patch)


def _forbidden(message: str) -> webob.exc.HTTPForbidden:
    return webob.exc.HTTPForbidden(explanation=message)


def _check_attribute(key: str) -> None:
    """403 for what users may not set: read-only and reserved attributes."""
    if key in schemas.READ_ONLY:
        raise _forbidden(f"Attribute '{key}' is read-only.")
    if key.startswith(schemas.RESERVED_PREFIX):
        raise _forbidden(f"Attribute '{key}' is reserved.")
    if len(key) > schemas.MAX_PROPERTY_KEY:
        raise webob.exc.HTTPBadRequest(
            explanation=f"Property names are limited to {schemas.MAX_PROPERTY_KEY} "
                        "characters.")


def _check_property_quota(properties: dict) -> None:
    if len(properties) > schemas.MAX_PROPERTIES:
        raise webob.exc.HTTPRequestEntityTooLarge(
            explanation=f"Maximum number of image properties ({schemas.MAX_PROPERTIES}) "
                        "exceeded.")


def _authorize_visibility(context, visibility: str | None, owner: str | None) -> None:
    target = {"project_id": owner}
    if visibility == "public":
        policy.authorize(context, image_policies.PUBLICIZE_IMAGE, target)
    elif visibility == "community":
        policy.authorize(context, image_policies.COMMUNITIZE_IMAGE, target)


def _split(image: dict) -> tuple[dict, dict]:
    """A Glance-shaped dict as (base attributes, custom properties)."""
    base = {k: v for k, v in image.items() if k in schemas.WRITABLE}
    custom = {k: v for k, v in image.items() if k not in schemas.WRITABLE}
    return base, custom


def _decode_pointer(path: str) -> str:
    """``/name`` -> ``name`` (JSON pointer escapes: ``~1`` is ``/``, ``~0`` is ``~``)."""
    return path[1:].replace("~1", "/").replace("~0", "~")


def _in_values(value: str) -> list[str]:
    """``in:a,"b, c"`` -> ``["a", "b, c"]`` (Glance's ``in`` operator)."""
    return next(csv.reader([value[3:]], skipinitialspace=True))


class ImagesController:
    """The image records (``/v2/images``)."""

    def __init__(self, image_api: ImageAPI, store: image_store.FilesystemStore) -> None:
        self.image_api = image_api
        self.store = store

    # --- reads

    def _get(self, context, image_id: str) -> dict:
        return self.image_api.get(context, image_id)

    def show(self, req: wsgi.Request, image_id: str) -> dict:
        context = req.context
        policy.authorize(context, image_policies.GET_IMAGE, {"project_id": context.project_id})
        return views.show(self._get(context, image_id))

    @staticmethod
    def _limit(req: wsgi.Request) -> int:
        if "limit" not in req.GET:
            return DEFAULT_LIMIT
        try:
            limit = int(req.GET["limit"])
        except ValueError:
            raise webob.exc.HTTPBadRequest(explanation="limit param must be an integer") from None
        if limit < 0:
            raise webob.exc.HTTPBadRequest(explanation="limit param must be positive")
        return min(limit, MAX_LIMIT)

    @staticmethod
    def _check_sort(req: wsgi.Request) -> None:
        """Only Glance's default order (newest first) is served."""
        keys = req.GET.getall("sort_key")
        dirs = req.GET.getall("sort_dir")
        sort = req.GET.get("sort")
        if (any(k != "created_at" for k in keys) or any(d != "desc" for d in dirs)
                or sort not in (None, "created_at", "created_at:desc")):
            raise webob.exc.HTTPBadRequest(
                explanation="Only the default sort order (created_at:desc) is supported.")

    @staticmethod
    def _filters(req: wsgi.Request) -> dict:
        filters: dict = {"properties": {}}
        for key, value in req.GET.items():
            if key in _PAGING:
                continue
            if key in _UNSUPPORTED_FILTERS:
                raise webob.exc.HTTPBadRequest(
                    explanation=f"The {key} filter is not supported.")
            if key in _EQUALITY_FILTERS:
                if key in filters:
                    raise webob.exc.HTTPBadRequest(
                        explanation=f"The {key} filter may be given only once.")
                if value.startswith("in:") and key in _IN_FILTERS:
                    filters[key] = _in_values(value)
                else:
                    filters[key] = value
            elif key in ("protected", "os_hidden"):
                if key == "os_hidden":
                    # Glance lowercases this one (openstacksdk sends "True"),
                    # not ``protected``.
                    value = value.lower()
                if value not in ("true", "false"):
                    raise webob.exc.HTTPBadRequest(
                        explanation=f"Invalid value '{value}' for {key} filter. "
                                    "Valid values are 'true' or 'false'.")
                filters[key] = value == "true"
            else:
                if (len(key) > schemas.MAX_PROPERTY_KEY
                        or not all(c.isalnum() or c in "_-.:" for c in key)):
                    raise webob.exc.HTTPBadRequest(
                        explanation=f"Invalid filter {key!r}.")
                filters["properties"][key] = value
        visibility = filters.get("visibility")
        if visibility == "all":
            del filters["visibility"]
        elif visibility is not None and visibility not in schemas.VISIBILITIES:
            raise webob.exc.HTTPBadRequest(
                explanation=f"Invalid visibility value: {visibility}")
        statuses = filters.get("status")
        for status in statuses if isinstance(statuses, list) else [statuses]:
            if status is not None and status not in schemas.STATUSES:
                raise webob.exc.HTTPBadRequest(explanation=f"Invalid status value: {status}")
        # Hidden images are listed only when asked for (Glance 2.7).
        filters.setdefault("os_hidden", False)
        return filters

    def index(self, req: wsgi.Request) -> dict:
        context = req.context
        policy.authorize(context, image_policies.GET_IMAGES,
                         {"project_id": context.project_id})
        self._check_sort(req)
        limit = self._limit(req)
        filters = self._filters(req)
        images = self.image_api.get_all(context, filters=filters, limit=limit,
                                         marker=req.GET.get("marker"))
        next_marker = images[-1]["id"] if images and len(images) == limit else None
        return views.index(images, list(req.GET.items()), next_marker)

    # --- writes

    @wsgi.response(201)
    def create(self, req: wsgi.Request, body) -> wsgi.ResponseObject:
        context = req.context
        if not isinstance(body, dict):
            raise webob.exc.HTTPBadRequest(explanation="Body expected in request.")
        for key in body:
            _check_attribute(key)
        _validator.validate(body)
        base, custom = _split(body)
        _check_property_quota(custom)
        owner = base.pop("owner", None) or context.project_id
        policy.authorize(context, image_policies.ADD_IMAGE, {"project_id": owner})
        if owner != context.project_id and not context.is_admin:
            raise _forbidden(f"You are not permitted to create images owned by '{owner}'.")
        _authorize_visibility(context, base.get("visibility"), owner)
        values = dict(base, owner=owner, properties=custom)
        image = self.image_api.create(context, values)
        view = views.show(image)
        location = req.application_url + views.image_href(image["id"])
        return wsgi.ResponseObject(view, headers={"Location": location})

    def update(self, req: wsgi.Request, image_id: str, body) -> dict:
        """Apply a JSON patch: add/replace/remove of base attributes and properties."""
        context = req.context
        if not isinstance(body, list):
            raise webob.exc.HTTPBadRequest(
                explanation="Request body must be a JSON array of operation objects.")
        _patch_validator.validate(body)
        image = self._get(context, image_id)
        policy.authorize(context, image_policies.MODIFY_IMAGE,
                         {"project_id": image.get("owner")})
        state = {key: image.get(key) for key in _BASE_PATCHABLE}
        state.update(image.get("properties") or {})
        removed = set()
        for change in body:
            op = change["op"]
            key = _decode_pointer(change["path"])
            if key == "owner" or key == "id":
                raise _forbidden(f"Attribute '{key}' is read-only.")
            _check_attribute(key)
            if op in ("add", "replace") and "value" not in change:
                raise webob.exc.HTTPBadRequest(
                    explanation=f"Operation '{op}' needs a value.")
            if key in _BASE_PATCHABLE:
                if op == "remove":
                    raise _forbidden(f"Property {key} may not be removed.")
                if key in _QUEUED_ONLY and image["status"] != "queued" and \
                        change["value"] != image.get(key):
                    raise _forbidden(f"Attribute {key} can be only replaced for a queued "
                                     "image.")
                state[key] = change["value"]
            elif op == "add":
                state[key] = change["value"]
                removed.discard(key)
            elif key not in state:
                raise webob.exc.HTTPConflict(explanation=f"Property {key} does not exist.")
            elif op == "replace":
                state[key] = change["value"]
            else:
                del state[key]
                removed.add(key)
        _validator.validate(state)
        base, custom = _split(state)
        _check_property_quota(custom)
        values = {k: v for k, v in base.items() if v != image.get(k)}
        if "visibility" in values:
            _authorize_visibility(context, values["visibility"], image.get("owner"))
        old_custom = image.get("properties") or {}
        properties = {k: v for k, v in custom.items() if old_custom.get(k) != v}
        remove = sorted(k for k in removed if k in old_custom and k not in custom)
        if not (values or properties or remove):
            return views.show(image)
        updated = self.image_api.update(context, image_id, values, properties=properties,
                                        remove_properties=remove)
        return views.show(updated)

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, image_id: str) -> None:
        context = req.context
        delete_image(self.image_api, self.store, context, self._get(context, image_id))
        return None


def delete_image(image_api: ImageAPI, store: image_store.FilesystemStore, context,
                 image: dict) -> None:
    """Delete a visible image's record, then its bytes, as Glance does: the
    ``delete_image`` policy against the owner (PolicyNotAuthorized) and a
    protected image (ImageProtected) refuse it. Also what Nova's image proxy
    (``DELETE /v2.1/images/{id}``, before 2.36) does through Glance."""
    policy.authorize(context, image_policies.DELETE_IMAGE, {"project_id": image.get("owner")})
    if image.get("protected"):
        raise exception.ImageProtected(image_id=image["id"])
    image_api.delete(context, image["id"])
    try:
        store.delete(image["id"])
    except Exception:  # the record is gone: the bytes are an orphan to clean up
        LOG.exception("Could not delete the data of deleted image %s", image["id"])
