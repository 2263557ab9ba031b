"""Nova's v2.1 flavor views. The API id of a flavor is its ``flavorid``."""

from minova.api import wsgi
from minova.api.views import links

COLLECTION = "flavors"


def basic(request: wsgi.Request, flavor: dict) -> dict:
    return {
        "id": flavor["flavorid"],
        "name": flavor["name"],
        "links": links.resource_links(request, COLLECTION, flavor["flavorid"]),
    }


def show(request: wsgi.Request, flavor: dict) -> dict:
    return {
        "id": flavor["flavorid"],
        "name": flavor["name"],
        "ram": flavor["memory_mb"],
        "disk": flavor["root_gb"],
        "swap": flavor.get("swap") or "",
        "OS-FLV-EXT-DATA:ephemeral": flavor.get("ephemeral_gb", 0),
        "OS-FLV-DISABLED:disabled": bool(flavor.get("disabled", False)),
        "vcpus": flavor["vcpus"],
        "os-flavor-access:is_public": bool(flavor.get("is_public", True)),
        "rxtx_factor": flavor.get("rxtx_factor", 1.0),
        "links": links.resource_links(request, COLLECTION, flavor["flavorid"]),
    }


def _list(request: wsgi.Request, flavors: list[dict], builder, collection: str) -> dict:
    body = {"flavors": [builder(request, flavor) for flavor in flavors]}
    next_links = links.collection_links(request, flavors, collection, id_key="flavorid")
    if next_links:
        body["flavors_links"] = next_links
    return body


def index(request: wsgi.Request, flavors: list[dict]) -> dict:
    return _list(request, flavors, basic, COLLECTION)


def detail(request: wsgi.Request, flavors: list[dict]) -> dict:
    return _list(request, flavors, show, COLLECTION + "/detail")
