"""``/os-aggregates``: host aggregates and the zones they define, for admins.

As Nova: the view shows the aggregate's ``uuid`` from 2.41 on; from 2.81
``POST /os-aggregates/{id}/images`` has the hosts cache images;
``deleted``/``deleted_at`` are always false/null because a deleted
aggregate is gone. Every change
goes to the conductor, which bumps the affected hosts' generations so the
schedulers see it on their next refresh.
"""

import webob.exc

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import actions
from minova.api.schemas import aggregates as schema
from minova.api.views import times
from minova.compute.aggregate_api import AggregateAPI
from minova.policies import aggregates as agg_policies


def _view(req: wsgi.Request, agg: dict, with_members: bool = True) -> dict:
    view = {
        "id": agg["id"],
        "name": agg["name"],
        "availability_zone": agg.get("availability_zone"),
        "created_at": times.perfect_time(agg["created_at"]),
        "updated_at": times.perfect_time(agg.get("updated_at")),
        "deleted": False,
        "deleted_at": None,
    }
    if req.is_microversion("2.41"):
        view["uuid"] = agg["uuid"]
    if with_members:
        view["hosts"] = list(agg.get("hosts", []))
        view["metadata"] = dict(agg.get("metadata", {}))
    return view


IMAGES_MIN_VERSION = "2.81"


def _aggregate_id(id: str) -> int:
    try:
        return int(id)
    except (TypeError, ValueError):
        raise webob.exc.HTTPBadRequest(
            explanation="Invalid input received: id must be an integer") from None


class AggregatesController:
    """Controller of ``/os-aggregates`` and its ``action``."""

    def __init__(self, aggregate_api: AggregateAPI) -> None:
        self.aggregate_api = aggregate_api
        self._dispatch = {
            "add_host": self._add_host,
            "remove_host": self._remove_host,
            "set_metadata": self._set_metadata,
        }

    def _authorize(self, req: wsgi.Request, action: str) -> None:
        policy.authorize(req.context, agg_policies.POLICY_ROOT % action, {})

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request) -> dict:
        self._authorize(req, "index")
        aggs = self.aggregate_api.get_aggregate_list(req.context)
        return {"aggregates": [_view(req, agg) for agg in aggs]}

    @validation.schema(schema.create)
    @validation.response_body_schema(schema.create_response)
    def create(self, req: wsgi.Request, body: dict) -> dict:
        """200 with the aggregate, without hosts and metadata (as Nova answers)."""
        self._authorize(req, "create")
        values = body["aggregate"]
        agg = self.aggregate_api.create_aggregate(
            req.context, values["name"], values.get("availability_zone"))
        return {"aggregate": _view(req, agg, with_members=False)}

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, id: str) -> dict:
        self._authorize(req, "show")
        agg = self.aggregate_api.get_aggregate(req.context, _aggregate_id(id))
        return {"aggregate": _view(req, agg)}

    @validation.schema(schema.update)
    @validation.response_body_schema(schema.update_response)
    def update(self, req: wsgi.Request, id: str, body: dict) -> dict:
        self._authorize(req, "update")
        agg = self.aggregate_api.update_aggregate(req.context, _aggregate_id(id),
                                                 dict(body["aggregate"]))
        return {"aggregate": _view(req, agg)}

    def delete(self, req: wsgi.Request, id: str) -> None:
        """200 with no body (Nova's status for this one)."""
        self._authorize(req, "delete")
        self.aggregate_api.delete_aggregate(req.context, _aggregate_id(id))

    @wsgi.response(202)
    @validation.schema(schema.images_v281, IMAGES_MIN_VERSION)
    def images(self, req: wsgi.Request, id: str, body: dict) -> None:
        """2.81: ask every up host of the aggregate to cache the images (202, no body;
        the downloads run on the hosts afterwards). A 404 below 2.81."""
        if not req.is_microversion(IMAGES_MIN_VERSION):
            raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
        policy.authorize(req.context, agg_policies.IMAGES_POLICY, {})
        aggregate_id = _aggregate_id(id)
        image_ids = [image["id"] for image in body["cache"]]
        if len(set(image_ids)) != len(image_ids):
            raise webob.exc.HTTPBadRequest(explanation="Duplicate images in request")
        self.aggregate_api.cache_images(req.context, aggregate_id, image_ids)

    def action(self, req: wsgi.Request, id: str, body=None) -> dict:
        handler = actions.handler_for(self._dispatch, body)
        return handler(req, id, body=body)

    @validation.schema(schema.add_host)
    @validation.response_body_schema(schema.add_host_response)
    def _add_host(self, req: wsgi.Request, id: str, body: dict) -> dict:
        self._authorize(req, "add_host")
        try:
            agg = self.aggregate_api.add_host_to_aggregate(
                req.context, _aggregate_id(id), body["add_host"]["host"])
        except exception.InvalidAggregateAction as exc:
            # Nova answers a refused add with 409, unlike the other actions
            raise webob.exc.HTTPConflict(explanation=exc.format_message()) from None
        return {"aggregate": _view(req, agg)}

    @validation.schema(schema.remove_host)
    @validation.response_body_schema(schema.remove_host_response)
    def _remove_host(self, req: wsgi.Request, id: str, body: dict) -> dict:
        self._authorize(req, "remove_host")
        agg = self.aggregate_api.remove_host_from_aggregate(
            req.context, _aggregate_id(id), body["remove_host"]["host"])
        return {"aggregate": _view(req, agg)}

    @validation.schema(schema.set_metadata)
    @validation.response_body_schema(schema.set_metadata_response)
    def _set_metadata(self, req: wsgi.Request, id: str, body: dict) -> dict:
        self._authorize(req, "set_metadata")
        agg = self.aggregate_api.update_aggregate_metadata(
            req.context, _aggregate_id(id), dict(body["set_metadata"]["metadata"]))
        return {"aggregate": _view(req, agg)}
