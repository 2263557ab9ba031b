"""``/flavors`` reads: list, list with details, show.

Like Nova, everyone may read flavors (no policy), but non-admins only see
enabled ones in lists, and only public ones and the private ones shared
with their project (os-flavor-access) in lists and by id; admins see those
by default and choose with ``is_public=true|false|none``.
The conductor returns every flavor; filtering, sorting and paging
happen here.
"""

import webob.exc
from oslo_utils import strutils

from minova import exception
from minova.api import validation, wsgi
from minova.api.openstack import pagination, query
from minova.api.schemas import flavors as schema
from minova.api.views import flavors as flavors_view
from minova.compute.flavor_api import FlavorAPI
from minova.objects import flavor_access

VALID_SORT_KEYS = (
    "created_at", "description", "disabled", "ephemeral_gb", "flavorid", "id",
    "is_public", "memory_mb", "name", "root_gb", "rxtx_factor", "swap",
    "updated_at", "vcpus",
)


def _parse_is_public(value: str | None) -> bool | None:
    """None -> public only (Nova's default); "none" -> all; else a strict boolean."""
    if value is None:
        return True
    if value.lower() == "none":
        return None
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise webob.exc.HTTPBadRequest(
            explanation=f"Invalid is_public filter [{value}]") from None


def _int_filter(req: wsgi.Request, param: str) -> int | None:
    if param not in req.params:
        return None
    try:
        return int(req.params[param])
    except ValueError:
        raise webob.exc.HTTPBadRequest(
            explanation=f"Invalid {param} filter [{req.params[param]}]") from None


class FlavorsController:
    """Controller of the read side of ``/flavors``."""

    def __init__(self, flavor_api: FlavorAPI) -> None:
        self.flavor_api = flavor_api

    def _get_flavors(self, req: wsgi.Request) -> list[dict]:
        context = req.context
        query.check_known(req, ("limit", "marker", "is_public", "minRam", "minDisk",
                                "sort_key", "sort_dir"))
        limit, marker = pagination.get_limit_and_marker(req)
        sort_key = req.params.get("sort_key") or "flavorid"
        sort_dir = req.params.get("sort_dir") or "asc"
        if sort_key not in VALID_SORT_KEYS:
            # Nova's InvalidSortKey
            raise webob.exc.HTTPBadRequest(explanation="Sort key supplied was not valid.")
        if sort_dir not in ("asc", "desc"):
            raise webob.exc.HTTPBadRequest(
                explanation="Unknown sort direction, must be 'desc' or 'asc'")
        if context.is_admin:
            is_public = _parse_is_public(req.params.get("is_public"))
            show_disabled = True
        else:
            is_public, show_disabled = True, False
        min_ram = _int_filter(req, "minRam")
        min_disk = _int_filter(req, "minDisk")

        def wanted(flavor: dict) -> bool:
            return (flavor_access.matches_is_public(context, flavor, is_public)
                    and (show_disabled or not flavor.get("disabled"))
                    and (min_ram is None or flavor["memory_mb"] >= min_ram)
                    and (min_disk is None or flavor["root_gb"] >= min_disk))

        # As Nova: the marker is any flavor the caller may see, the order
        # is (sort_key, id) and the filters apply to what follows it.
        visible = [flavor for flavor in self.flavor_api.get_all(context)
                   if flavor_access.accessible(context, flavor)]
        visible = pagination.sort_items(visible, sort_key, sort_dir, tiebreaker="id")
        return pagination.page(visible, limit, marker, "flavorid", keep=wanted)

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request) -> dict:
        return flavors_view.index(req, self._get_flavors(req))

    @validation.response_body_schema(schema.detail_response)
    def detail(self, req: wsgi.Request) -> dict:
        return flavors_view.detail(req, self._get_flavors(req))

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, id: str) -> dict:
        context = req.context
        flavor = self.flavor_api.get(context, id)
        if not flavor_access.accessible(context, flavor):
            raise exception.FlavorNotFound(flavor_id=id)
        return {"flavor": flavors_view.show(req, flavor)}
