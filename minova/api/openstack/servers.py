"""``/servers``: create, list, show and delete servers.

Policy targets follow Nova: the caller's project for create and lists,
the server's project for show and delete. Lookups of another project's
server come back from the compute API as InstanceNotFound (404), so
whether a server exists elsewhere is not revealed.
"""

import ipaddress
import secrets
from collections.abc import Sequence

import webob.exc
from oslo_config import cfg
from oslo_utils import strutils, uuidutils

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import pagination, servers_list
from minova.api.schemas import servers as schema
from minova.api.views import servers as servers_view
from minova.policies import servers as server_policies

SERVERS = server_policies.SERVERS

# PUT /servers/{id}: body field -> instance column (a null description
# removes it).
_UPDATE_FIELDS = (("name", "display_name"), ("description", "description"),
                  ("accessIPv4", "access_ip_v4"), ("accessIPv6", "access_ip_v6"),
                  ("hostname", "hostname"))

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


def normalized_ip(address: str | None) -> str | None:
    """An access address in its canonical text (``0:0:0:0:0:babe:220.12.22.2``
    is ``::babe:dc0c:1602``), as Nova keeps it (its object fields parse the
    address). The schema has already checked it is an address."""
    if address is None:
        return None
    return str(ipaddress.ip_address(address))


def id_from_href(ref) -> str:
    """``http://host/flavors/1`` -> ``1``; a bare id stays itself."""
    return str(ref).rstrip("/").rsplit("/", 1)[-1]


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

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request) -> dict:
        instances = self._get_servers(req, is_detail=False,
                                      columns=servers_view.INDEX_COLUMNS)
        return servers_view.index(req, instances)

    @validation.response_body_schema(schema.detail_response)
    def detail(self, req: wsgi.Request) -> dict:
        instances = self._get_servers(req, is_detail=True,
                                      columns=servers_view.detail_columns(req))
        return servers_view.detail(req, instances, self._host_statuses(req, instances))

    def _host_statuses(self, req: wsgi.Request, instances: list[dict]) -> dict | None:
        """Each server's host_status (2.16), None when this request may not see it."""
        if not servers_view.show_host_status(req):
            return None
        return self.compute_api.get_instances_host_statuses(req.context, instances)

    def _get_servers(self, req: wsgi.Request, is_detail: bool,
                     columns: Sequence[str]) -> list[dict]:
        """The servers the query asks for (filters, sorting, paging: servers_list),
        with only the ``columns`` the view reads."""
        context = req.context
        action = "detail" if is_detail else "index"
        target = {"project_id": context.project_id, "user_id": context.user_id}
        policy.authorize(context, SERVERS % action, target)
        options = servers_list.search_options(
            req, policy.authorize(context, SERVERS % "allow_all_filters", {}, fatal=False))
        try:
            filters = servers_list.db_filters(req, options)
        except servers_list.NothingMatches:
            return []
        if servers_list.is_all_tenants(options):
            policy.authorize(context, SERVERS % f"{action}:get_all_tenants", target)
        else:
            # Without all_tenants, project_id and tenant_id are ignored (lp:#1185290).
            filters["project_id"] = context.project_id

        limit, marker = pagination.get_limit_and_marker(req)
        sort_keys, sort_dirs = servers_list.sort_params(req)
        try:
            return self.compute_api.get_all(
                context, filters=filters, limit=limit, marker=marker,
                sort_keys=sort_keys, sort_dirs=sort_dirs, columns=list(columns))
        except exception.MarkerNotFound:
            raise pagination.marker_not_found(marker) from None

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, id: str) -> dict:
        instance = self.get_instance(req, id)
        policy.authorize(req.context, SERVERS % "show",
                         {"project_id": instance["project_id"],
                          "user_id": instance["user_id"]})
        return {"server": servers_view.show(
            req, instance, host_statuses=self._host_statuses(req, [instance]),
            server_groups=self._server_groups(req, instance))}

    def _server_groups(self, req: wsgi.Request, instance: dict) -> list[str] | None:
        """The groups of the server (2.71, show and update), None below."""
        if not req.is_microversion(servers_view.SERVER_GROUPS_MIN_VERSION):
            return None
        return self.compute_api.get_server_groups(req.context, instance["uuid"])

    # --- writes

    @wsgi.response(202)
    @validation.schema(schema.create, "2.1", "2.18")
    @validation.schema(schema.create_v219, "2.19", "2.31")
    @validation.schema(schema.create_v232, "2.32", "2.36")
    @validation.schema(schema.create_v237, "2.37", "2.41")
    @validation.schema(schema.create_v242, "2.42", "2.51")
    @validation.schema(schema.create_v252, "2.52", "2.62")
    @validation.schema(schema.create_v263, "2.63", "2.73")
    @validation.schema(schema.create_v274, "2.74", "2.89")
    @validation.schema(schema.create_v290, "2.90", "2.93")
    @validation.schema(schema.create_v294, "2.94")
    @validation.response_body_schema(schema.create_response)
    def create(self, req: wsgi.Request, body: dict) -> wsgi.ResponseObject:
        context = req.context
        server = body["server"]
        availability_zone = server.get("availability_zone")
        policy.authorize(context, SERVERS % "create",
                         {"project_id": context.project_id, "user_id": context.user_id,
                          "availability_zone": availability_zone})

        image_ref = server.get("imageRef")
        # The only mapping the schema lets through is the image-backed local
        # root disk (what the openstack CLI sends): the same image as imageRef.
        for bdm in server.get("block_device_mapping_v2", []):
            if image_ref and bdm["uuid"] != image_ref:
                raise webob.exc.HTTPBadRequest(explanation=(
                    "Block Device Mapping is Invalid: the root disk's image "
                    f"{bdm['uuid']} is not imageRef {image_ref}."))
            image_ref = bdm["uuid"]
        if not image_ref:
            # Nova allows an empty imageRef only to boot from a volume.
            raise webob.exc.HTTPBadRequest(explanation="Missing imageRef attribute")

        min_count = int(server.get("min_count", 1))
        max_count = int(server.get("max_count", min_count))
        if min_count > max_count:
            raise webob.exc.HTTPBadRequest(explanation="min_count must be <= max_count")
        # 2.90: one hostname names one guest; several servers get theirs from
        # the name, as without it (Nova's AmbiguousHostnameForMultipleInstances).
        hostname = server.get("hostname")
        if hostname and max_count > 1:
            raise webob.exc.HTTPBadRequest(
                explanation="Unable to allow hostname to be set on multiple instances.")

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
            access_ip_v4=normalized_ip(server.get("accessIPv4")),
            access_ip_v6=normalized_ip(server.get("accessIPv6")),
            config_drive=config_drive,
            scheduler_hints=scheduler_hints,
            user_data=server.get("user_data"),
            description=description,
            tags=server.get("tags"),
            trusted_certs=server.get("trusted_image_certificates"),
            hostname=hostname,
            **self._requested_destination(req, server),
        )

        if strutils.bool_from_string(server.get("return_reservation_id", False)):
            return wsgi.ResponseObject({"reservation_id": reservation_id})

        result = servers_view.create(req, instances[0], server.get("security_groups"))
        result["server"]["adminPass"] = password
        self_link = result["server"]["links"][0]["href"]
        return wsgi.ResponseObject(result, headers={"Location": self_link})

    @staticmethod
    def _requested_destination(req: wsgi.Request, server: dict) -> dict:
        """2.74: the host and/or node an admin asks the build to go to."""
        requested = {key: server[field] for field, key in
                     (("host", "requested_host"), ("hypervisor_hostname", "requested_node"))
                     if server.get(field)}
        if requested:
            context = req.context
            policy.authorize(context, server_policies.REQUESTED_DESTINATION,
                             {"project_id": context.project_id,
                              "user_id": context.user_id})
        return requested

    @validation.schema(schema.update, "2.1", "2.18")
    @validation.schema(schema.update_v219, "2.19", "2.89")
    @validation.schema(schema.update_v290, "2.90", "2.93")
    @validation.schema(schema.update_v294, "2.94")
    @validation.response_body_schema(schema.update_response, "2.1", "2.74")
    @validation.response_body_schema(schema.update_response_v275, "2.75")
    def update(self, req: wsgi.Request, id: str, body: dict) -> dict:
        """Rename, describe (2.19), re-address or re-hostname (2.90) a server, in any state."""
        instance = self.get_instance(req, id)
        policy.authorize(req.context, SERVERS % "update",
                         {"project_id": instance["project_id"],
                          "user_id": instance["user_id"]})
        server = body["server"]
        values = {column: server[field] for field, column in _UPDATE_FIELDS
                  if field in server}
        for column in ("access_ip_v4", "access_ip_v6"):
            if column in values:
                values[column] = normalized_ip(values[column])
        instance = self.compute_api.update_instance(req.context, id, values)
        host_statuses = (self._host_statuses(req, [instance])
                         if req.is_microversion("2.75") else None)
        return servers_view.update(req, instance, self._server_groups(req, instance),
                                   host_statuses)

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, id: str) -> None:
        instance = self.get_instance(req, id)
        policy.authorize(req.context, SERVERS % "delete",
                         {"project_id": instance["project_id"],
                          "user_id": instance["user_id"]})
        try:
            if cfg.CONF.reclaim_instance_interval > 0:
                try:
                    self.compute_api.soft_delete(req.context, instance)
                except exception.InstanceInvalidState:
                    # Never launched (or locked, which delete refuses too):
                    # not soft-deletable, as in Nova.
                    self.compute_api.delete(req.context, id, instance=instance)
            else:
                self.compute_api.delete(req.context, id, instance=instance)
        except exception.InstanceNotFound:
            raise webob.exc.HTTPNotFound(explanation="Instance could not be found") from None
