"""``/flavors`` reads: list, list with details, show.

Like Nova, everyone may read flavors (no policy), but non-admins only see
public, enabled ones in lists and only public ones by id; admins see
public ones by default and choose with ``is_public=true|false|none``.
The conductor returns every flavor; filtering, sorting and paging
happen here.
"""

import webob.exc
from oslo_utils import strutils

from minova import exception
from minova.api import wsgi
from minova.api.openstack import pagination
from minova.api.views import flavors as flavors_view

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

    def __init__(self, conductor_api) -> None:
        self.conductor_api = conductor_api

    def _get_flavors(self, req: wsgi.Request) -> list[dict]:
        context = req.context
        limit, marker = pagination.get_limit_and_marker(req)
        sort_key = req.params.get("sort_key") or "flavorid"
        sort_dir = req.params.get("sort_dir") or "asc"
        if sort_key not in VALID_SORT_KEYS:
            raise webob.exc.HTTPBadRequest(explanation=f"Invalid sort key: {sort_key}")
        if sort_dir not in ("asc", "desc"):
            raise webob.exc.HTTPBadRequest(explanation=f"Invalid sort direction: {sort_dir}")
        if context.is_admin:
            is_public = _parse_is_public(req.params.get("is_public"))
            show_disabled = True
        else:
            is_public, show_disabled = True, False
        min_ram = _int_filter(req, "minRam")
        min_disk = _int_filter(req, "minDisk")

        flavors = [
            flavor for flavor in self.conductor_api.flavor_get_all(context)
            if (is_public is None or bool(flavor.get("is_public", True)) == is_public)
            and (show_disabled or not flavor.get("disabled"))
            and (min_ram is None or flavor["memory_mb"] >= min_ram)
            and (min_disk is None or flavor["root_gb"] >= min_disk)
        ]
        flavors = pagination.sort_items(flavors, sort_key, sort_dir)
        return pagination.page(flavors, limit, marker, "flavorid")

    def index(self, req: wsgi.Request) -> dict:
        return flavors_view.index(req, self._get_flavors(req))

    def detail(self, req: wsgi.Request) -> dict:
        return flavors_view.detail(req, self._get_flavors(req))

    def show(self, req: wsgi.Request, id: str) -> dict:
        context = req.context
        flavor = self.conductor_api.flavor_get(context, id)
        if not context.is_admin and not flavor.get("is_public", True):
            raise exception.FlavorNotFound(flavor_id=id)
        return {"flavor": flavors_view.show(req, flavor)}
