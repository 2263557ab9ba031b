"""Nova's flavor views, at each microversion. The API id of a flavor is its
``flavorid``.

2.55 shows the ``description`` (every flavor API, the list too); 2.61 the
``extra_specs`` in the full views, to those who may read them (policy
``os_compute_api:os-flavor-extra-specs:index``); 2.75 gives a flavor without
swap ``0`` instead of Nova's historical ``""``.
"""

from minova import policy
from minova.api import wsgi
from minova.api.views import links
from minova.policies import flavor_extra_specs as fes_policies

COLLECTION = "flavors"
DESCRIPTION_MIN_VERSION = "2.55"
EXTRA_SPECS_MIN_VERSION = "2.61"


def show_extra_specs(request: wsgi.Request) -> bool:
    """Whether full flavor views carry ``extra_specs`` (2.61, policy permitting)."""
    return request.is_microversion(EXTRA_SPECS_MIN_VERSION) and policy.authorize(
        request.context, fes_policies.POLICY_ROOT % "index",
        {"project_id": request.context.project_id}, fatal=False)


def basic(request: wsgi.Request, flavor: dict) -> dict:
    view = {
        "id": flavor["flavorid"],
        "name": flavor["name"],
        "links": links.resource_links(request, COLLECTION, flavor["flavorid"]),
    }
    if request.is_microversion(DESCRIPTION_MIN_VERSION):
        view["description"] = flavor.get("description")
    return view


def show(request: wsgi.Request, flavor: dict, extra_specs: bool | None = None) -> dict:
    swap = flavor.get("swap") or (0 if request.is_microversion("2.75") else "")
    view = {
        "id": flavor["flavorid"],
        "name": flavor["name"],
        "ram": flavor["memory_mb"],
        "disk": flavor["root_gb"],
        "swap": swap,
        "OS-FLV-EXT-DATA:ephemeral": flavor.get("ephemeral_gb", 0),
        "OS-FLV-DISABLED:disabled": bool(flavor.get("disabled", False)),
        "vcpus": flavor["vcpus"],
        "os-flavor-access:is_public": bool(flavor.get("is_public", True)),
        "rxtx_factor": flavor.get("rxtx_factor", 1.0),
        "links": links.resource_links(request, COLLECTION, flavor["flavorid"]),
    }
    if request.is_microversion(DESCRIPTION_MIN_VERSION):
        view["description"] = flavor.get("description")
    if extra_specs is None:
        extra_specs = show_extra_specs(request)
    if extra_specs:
        view["extra_specs"] = dict(flavor.get("extra_specs") or {})
    return view


def _list(request: wsgi.Request, flavors: list[dict], builder, collection: str) -> dict:
    body = {"flavors": [builder(request, flavor) for flavor in flavors]}
    next_links = links.collection_links(request, flavors, collection, id_key="flavorid")
    if next_links:
        body["flavors_links"] = next_links
    return body


def index(request: wsgi.Request, flavors: list[dict]) -> dict:
    return _list(request, flavors, basic, COLLECTION)


def detail(request: wsgi.Request, flavors: list[dict]) -> dict:
    extra_specs = show_extra_specs(request)
    return _list(request, flavors,
                 lambda req, flavor: show(req, flavor, extra_specs), COLLECTION + "/detail")
