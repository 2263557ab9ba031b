"""``/servers``: create, list, show and delete servers.

Policy targets follow Nova: the caller's project for create and lists,
the server's project for show and delete. Lookups of another project's
server come back from the compute API as InstanceNotFound (404), so
whether a server exists elsewhere is not revealed.
"""

import secrets

import webob.exc
from oslo_utils import strutils, uuidutils

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import pagination
from minova.api.schemas import servers as schema
from minova.api.views import servers as servers_view
from minova.objects import states
from minova.policies import servers as server_policies

SERVERS = server_policies.SERVERS

# Query parameters any user may filter on; the rest are for admins
# (``allow_all_filters``) and silently dropped for others, as in Nova.
USER_SEARCH_OPTIONS = ("name", "status", "all_tenants", "ip")
ADMIN_SEARCH_OPTIONS = USER_SEARCH_OPTIONS + ("host", "project_id", "tenant_id", "ip6")
# From 2.5 every user may filter on ip6 too (before, only admins could).
USER_SEARCH_OPTIONS_V25 = USER_SEARCH_OPTIONS + ("ip6",)
# From 2.26, for every user: comma-separated tags (see minova.db.tags.filter_clauses).
TAG_SEARCH_FILTERS = ("tags", "tags-any", "not-tags", "not-tags-any")

VALID_SORT_KEYS = (
    "access_ip_v4", "access_ip_v6", "availability_zone", "config_drive", "created_at",
    "display_name", "host", "image_ref", "key_name", "launched_at", "node",
    "power_state", "progress", "project_id", "task_state", "terminated_at",
    "updated_at", "user_id", "uuid", "vm_state",
)
VALID_SORT_DIRS = ("asc", "desc")

# PUT /servers/{id}: body field -> instance column (a null description
# removes it).
_UPDATE_FIELDS = (("name", "display_name"), ("description", "description"),
                  ("accessIPv4", "access_ip_v4"), ("accessIPv6", "access_ip_v6"))

# Nova's generate_password: 12 characters from an alphabet without 0/O, 1/l/I.
_PASSWORD_SYMBOLS = ("23456789", "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz")
_PASSWORD_LENGTH = 12


def generate_password(length: int = _PASSWORD_LENGTH) -> str:
    """A random admin password with at least one character of each group."""
    chars = [secrets.choice(group) for group in _PASSWORD_SYMBOLS]
    alphabet = "".join(_PASSWORD_SYMBOLS)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def id_from_href(ref) -> str:
    """``http://host/flavors/1`` -> ``1``; a bare id stays itself."""
    return str(ref).rstrip("/").rsplit("/", 1)[-1]


def is_all_tenants(params: dict) -> bool:
    """Nova's reading of ``all_tenants``: present and empty means yes."""
    if "all_tenants" not in params:
        return False
    value = params["all_tenants"]
    if value == "":
        return True
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as err:
        raise exception.InvalidInput(reason=str(err)) from None


def _sort_params(req: wsgi.Request) -> tuple[list[str], list[str]]:
    sort_keys = [key.strip() for key in req.GET.getall("sort_key")] or ["created_at"]
    sort_dirs = [d.strip() for d in req.GET.getall("sort_dir")] or ["desc"]
    for key in sort_keys:
        if key not in VALID_SORT_KEYS:
            raise exception.ValidationError(
                detail=f"Invalid input for query parameters sort_key. Value: {key}. "
                f"'{key}' is not one of {list(VALID_SORT_KEYS)}")
    for direction in sort_dirs:
        if direction not in VALID_SORT_DIRS:
            raise exception.ValidationError(
                detail=f"Invalid input for query parameters sort_dir. Value: {direction}. "
                f"'{direction}' is not one of {list(VALID_SORT_DIRS)}")
    return sort_keys, sort_dirs


class ServersController:
    """Controller of ``/servers`` (Nova's ServersController, v2.1 subset)."""

    def __init__(self, compute_api) -> None:
        self.compute_api = compute_api

    # --- reads

    def get_instance(self, req: wsgi.Request, instance_uuid: str) -> dict:
        """The server, as the caller may see it; 404 for a malformed id."""
        if not uuidutils.is_uuid_like(instance_uuid):
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        return self.compute_api.get(req.context, instance_uuid)

    def index(self, req: wsgi.Request) -> dict:
        instances = self._get_servers(req, is_detail=False)
        return servers_view.index(req, instances)

    def detail(self, req: wsgi.Request) -> dict:
        instances = self._get_servers(req, is_detail=True)
        return servers_view.detail(req, instances, self._host_statuses(req, instances))

    def _host_statuses(self, req: wsgi.Request, instances: list[dict]) -> dict | None:
        """Each server's host_status (2.16), None when this request may not see it."""
        if not servers_view.show_host_status(req):
            return None
        return self.compute_api.get_instances_host_statuses(req.context, instances)

    def _search_options(self, req: wsgi.Request) -> dict:
        context = req.context
        if policy.authorize(context, SERVERS % "allow_all_filters", {}, fatal=False):
            allowed = ADMIN_SEARCH_OPTIONS
        elif req.is_microversion("2.5"):
            allowed = USER_SEARCH_OPTIONS_V25
        else:
            allowed = USER_SEARCH_OPTIONS
        return {key: value for key, value in req.GET.items() if key in allowed}

    def _get_servers(self, req: wsgi.Request, is_detail: bool) -> list[dict]:
        context = req.context
        action = "detail" if is_detail else "index"
        policy.authorize(context, SERVERS % action,
                         {"project_id": context.project_id, "user_id": context.user_id})
        search_opts = self._search_options(req)
        filters: dict = {}

        task_states = None
        if "status" in req.GET:
            pairs = [pair for status in req.GET.getall("status")
                     for pair in states.states_from_status(status)]
            if not pairs:
                # An unknown status matches nothing; from 2.38 it is a 400.
                if req.is_microversion("2.38"):
                    raise webob.exc.HTTPBadRequest(explanation="Invalid status value")
                return []
            filters["vm_state"] = sorted({vm_state for vm_state, _task in pairs})
            task_state_list = [task for _vm, task in pairs]
            if "default" not in task_state_list:
                task_states = set(task_state_list)
            if filters["vm_state"] == [states.DELETED] and not context.is_admin:
                raise webob.exc.HTTPForbidden(
                    explanation="Only administrators may list deleted instances")

        if "name" in search_opts:
            filters["name"] = search_opts["name"]
        if "host" in search_opts:
            filters["host"] = search_opts["host"]
        if req.is_microversion("2.26"):
            for key in TAG_SEARCH_FILTERS:
                if key in req.GET:
                    filters[key] = req.GET[key].split(",")

        if is_all_tenants(search_opts):
            policy.authorize(context, SERVERS % f"{action}:get_all_tenants",
                             {"project_id": context.project_id, "user_id": context.user_id})
            project = search_opts.get("project_id") or search_opts.get("tenant_id")
            if project:
                filters["project_id"] = project
        else:
            filters["project_id"] = context.project_id

        if "ip" in search_opts or "ip6" in search_opts:
            # Nova matches the servers' fixed addresses; minova's servers
            # have none, so no server matches.
            return []

        limit, marker = pagination.get_limit_and_marker(req)
        sort_keys, sort_dirs = _sort_params(req)
        try:
            instances = self.compute_api.get_all(
                context, filters=filters, limit=limit, marker=marker,
                sort_keys=sort_keys, sort_dirs=sort_dirs)
        except exception.MarkerNotFound:
            raise pagination.marker_not_found(marker) from None
        if task_states is not None:
            # The compute API filters on vm_state only; REBOOT and friends
            # are an active vm_state with a given task_state.
            instances = [i for i in instances if i.get("task_state") in task_states]
        return instances

    def show(self, req: wsgi.Request, id: str) -> dict:
        instance = self.get_instance(req, id)
        policy.authorize(req.context, SERVERS % "show",
                         {"project_id": instance["project_id"],
                          "user_id": instance["user_id"]})
        return {"server": servers_view.show(
            req, instance, host_statuses=self._host_statuses(req, [instance]))}

    # --- writes

    @wsgi.response(202)
    @validation.schema(schema.create, "2.1", "2.18")
    @validation.schema(schema.create_v219, "2.19", "2.31")
    @validation.schema(schema.create_v232, "2.32", "2.36")
    @validation.schema(schema.create_v237, "2.37", "2.41")
    @validation.schema(schema.create_v242, "2.42", "2.51")
    @validation.schema(schema.create_v252, "2.52")
    def create(self, req: wsgi.Request, body: dict) -> wsgi.ResponseObject:
        context = req.context
        server = body["server"]
        availability_zone = server.get("availability_zone")
        policy.authorize(context, SERVERS % "create",
                         {"project_id": context.project_id, "user_id": context.user_id,
                          "availability_zone": availability_zone})

        image_ref = server.get("imageRef")
        if not image_ref:
            # Nova allows an empty imageRef only to boot from a volume.
            raise webob.exc.HTTPBadRequest(explanation="Missing imageRef attribute")

        min_count = int(server.get("min_count", 1))
        max_count = int(server.get("max_count", min_count))
        if min_count > max_count:
            raise webob.exc.HTTPBadRequest(explanation="min_count must be <= max_count")

        config_drive = server.get("config_drive")
        if config_drive is not None:
            config_drive = strutils.bool_from_string(config_drive, strict=True)

        scheduler_hints = (body.get("os:scheduler_hints")
                           or body.get("OS-SCH-HNT:scheduler_hints"))
        password = server.get("adminPass") or generate_password()
        # Before 2.19 a server's description is its name, as in Nova.
        description = (server.get("description") if req.is_microversion("2.19")
                       else server["name"])

        instances, reservation_id = self.compute_api.create(
            context,
            name=server["name"],
            flavor_ref=id_from_href(server["flavorRef"]),
            image_ref=image_ref,
            availability_zone=availability_zone,
            metadata=server.get("metadata"),
            min_count=min_count,
            max_count=max_count,
            key_name=server.get("key_name"),
            access_ip_v4=server.get("accessIPv4"),
            access_ip_v6=server.get("accessIPv6"),
            config_drive=config_drive,
            scheduler_hints=scheduler_hints,
            user_data=server.get("user_data"),
            description=description,
            tags=server.get("tags"),
        )

        if strutils.bool_from_string(server.get("return_reservation_id", False)):
            return wsgi.ResponseObject({"reservation_id": reservation_id})

        result = servers_view.create(req, instances[0], server.get("security_groups"))
        result["server"]["adminPass"] = password
        self_link = result["server"]["links"][0]["href"]
        return wsgi.ResponseObject(result, headers={"Location": self_link})

    @validation.schema(schema.update, "2.1", "2.18")
    @validation.schema(schema.update_v219, "2.19")
    def update(self, req: wsgi.Request, id: str, body: dict) -> dict:
        """Rename, describe (2.19) or re-address a server, in any state."""
        instance = self.get_instance(req, id)
        policy.authorize(req.context, SERVERS % "update",
                         {"project_id": instance["project_id"],
                          "user_id": instance["user_id"]})
        server = body["server"]
        values = {column: server[field] for field, column in _UPDATE_FIELDS
                  if field in server}
        instance = self.compute_api.update_instance(req.context, id, values)
        return servers_view.update(req, instance)

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, id: str) -> None:
        instance = self.get_instance(req, id)
        policy.authorize(req.context, SERVERS % "delete",
                         {"project_id": instance["project_id"],
                          "user_id": instance["user_id"]})
        try:
            self.compute_api.delete(req.context, id)
        except exception.InstanceNotFound:
            raise webob.exc.HTTPNotFound(explanation="Instance could not be found") from None
