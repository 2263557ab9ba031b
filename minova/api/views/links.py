"""Links in responses: self, bookmark and collection "next" links, built like Nova's.

``self`` links carry the version (``http://host/v2.1/servers/<id>``);
``bookmark`` links do not (``http://host/servers/<id>``). Both include the
project id when the request came in under ``/{project_id}/...``.
"""

import re
from collections.abc import Sequence
from urllib import parse

from oslo_config import cfg

from minova.api import wsgi

CONF = cfg.CONF

_VERSION_SEGMENT = re.compile(r"^v([0-9]+|[0-9]+\.[0-9]+)(/.*|$)")


def url_join(*parts: str) -> str:
    """Join URL parts with single slashes; an empty last part leaves a trailing slash."""
    parts = parts or ("",)
    clean = [part.strip("/") for part in parts if part]
    if not parts[-1]:
        clean.append("")
    return "/".join(clean)


def remove_trailing_version(href: str) -> str:
    """``http://host/v2.1`` -> ``http://host`` (the base of bookmark links)."""
    split = parse.urlsplit(href)
    head, _sep, last = split.path.rpartition("/")
    if not _VERSION_SEGMENT.match(last):
        return href
    return parse.urlunsplit(split._replace(path=head))


def _project_segment(request: wsgi.Request) -> str:
    return request.environ.get(wsgi.ENV_URL_PROJECT_ID) or ""


_ENV_BASES = "minova.link_bases"


def _bases(request: wsgi.Request) -> tuple[str, str]:
    """(versioned, bookmark) base URLs, worked out once per request: a list of
    1000 servers has 4000 links, and webob recomputes application_url each time."""
    bases = request.environ.get(_ENV_BASES)
    if bases is None:
        versioned = url_join(request.application_url, _project_segment(request))
        unversioned = url_join(remove_trailing_version(request.application_url),
                               _project_segment(request))
        bases = request.environ[_ENV_BASES] = (versioned, unversioned)
    return bases


def href(request: wsgi.Request, collection: str, identifier) -> str:
    """The versioned URL of one resource."""
    return url_join(_bases(request)[0], collection, str(identifier))


def bookmark(request: wsgi.Request, collection: str, identifier) -> str:
    """The unversioned, permanent URL of one resource."""
    return url_join(_bases(request)[1], collection, str(identifier))


def member_prefixes(request: wsgi.Request, collection: str) -> tuple[str, str]:
    """(versioned, bookmark) URL of ``collection`` with a trailing slash: a
    member's ``href``/``bookmark`` is the prefix plus its id stripped of
    slashes. A list view joins these once instead of once per link."""
    versioned, unversioned = _bases(request)
    return url_join(versioned, collection, ""), url_join(unversioned, collection, "")


def resource_links(request: wsgi.Request, collection: str, identifier) -> list[dict]:
    return [
        {"rel": "self", "href": href(request, collection, identifier)},
        {"rel": "bookmark", "href": bookmark(request, collection, identifier)},
    ]


def bookmark_links(request: wsgi.Request, collection: str, identifier) -> list[dict]:
    return [{"rel": "bookmark", "href": bookmark(request, collection, identifier)}]


def _next_link(request: wsgi.Request, marker: str, collection: str) -> str:
    """The same query with the new marker: repeated parameters (several
    ``sort_key``, ``status``) are all kept, or the next page would be
    sorted or filtered otherwise than this one (Nova's keeps only the last)."""
    params = sorted((key, value) for key, value in request.params.items() if key != "marker")
    params.append(("marker", marker))
    url = url_join(request.application_url, _project_segment(request), collection)
    return f"{url}?{parse.urlencode(params)}"


def collection_links(request: wsgi.Request, items: Sequence[dict], collection: str,
                     id_key: str = "uuid") -> list[dict]:
    """A ``next`` link when this page is full (the client should ask again)."""
    try:
        limit = int(request.params.get("limit", CONF.api.max_limit))
    except ValueError:
        limit = CONF.api.max_limit
    max_items = min(limit, CONF.api.max_limit)
    if not max_items or max_items != len(items):
        return []
    last = items[-1]
    if id_key in last:
        marker = last[id_key]
    elif "id" in last:
        marker = last["id"]
    else:
        marker = last["flavorid"]
    return [{"rel": "next", "href": _next_link(request, str(marker), collection)}]
