"""``limit`` / ``marker`` query parameters, and paging of lists held in memory.

Servers are paged by the compute API (in the database). Flavors and
images come from the conductor as whole lists, small enough to page
here, with the same semantics: ``marker`` is the id of the last item
already seen, an unknown marker is a 400, ``limit`` is capped at
``[api] max_limit``.
"""

from collections.abc import Sequence

import webob.exc
from oslo_config import cfg

import minova.conf  # noqa: F401  (registers [api] max_limit)

CONF = cfg.CONF


def get_limit_and_marker(req) -> tuple[int, str | None]:
    """The page size (capped at max_limit) and the marker of a list request."""
    limit = CONF.api.max_limit
    if "limit" in req.GET:
        try:
            requested = int(req.GET["limit"])
        except ValueError:
            raise webob.exc.HTTPBadRequest(
                explanation="limit param must be an integer") from None
        if requested < 0:
            raise webob.exc.HTTPBadRequest(explanation="limit param must be positive")
        limit = min(limit, requested)
    return limit, req.GET.get("marker")


def marker_not_found(marker: str) -> webob.exc.HTTPBadRequest:
    return webob.exc.HTTPBadRequest(explanation=f"marker [{marker}] not found")


def sort_items(items: Sequence[dict], sort_key: str, sort_dir: str,
               tiebreaker: str | None = None) -> list[dict]:
    """Sort dicts on one key, then ``tiebreaker`` in the same direction (Nova
    sorts on [key, id], so equal keys still have one order to page through);
    missing/None values first when ascending, as MySQL orders NULL."""
    def key(item):
        value = item.get(sort_key)
        order = (value is not None, value)
        if tiebreaker is not None:
            order += (item.get(tiebreaker),)
        return order

    return sorted(items, key=key, reverse=sort_dir == "desc")


def page(items: Sequence[dict], limit: int, marker: str | None, id_key: str,
         keep=None) -> list[dict]:
    """The ``limit`` items after the one whose ``id_key`` is ``marker``.

    ``keep``: a filter applied after the marker is found, so that, as with
    Nova's database paging, the marker may be any item the caller could
    see, not only one that passes this request's filters.
    """
    start = 0
    if marker is not None:
        for index, item in enumerate(items):
            if str(item.get(id_key)) == marker:
                start = index + 1
                break
        else:
            raise marker_not_found(marker)
    following = items[start:]
    if keep is not None:
        following = [item for item in following if keep(item)]
    return list(following[:limit])
