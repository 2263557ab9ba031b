"""The v2.1 URL table: which controller method answers which (method, path)."""

from minova.api import facades, router, wsgi
from minova.api.openstack import (
    aggregates,
    availability_zone,
    extensions,
    flavor_access,
    flavor_manage,
    flavors,
    flavors_extraspecs,
    hosts,
    hypervisors,
    image_metadata,
    images,
    instance_actions,
    instance_usage_audit_log,
    keypairs,
    limits,
    migrations,
    networks,
    quota_classes,
    quota_sets,
    server_actions,
    server_diagnostics,
    server_external_events,
    server_groups,
    server_metadata,
    server_tags,
    server_topology,
    servers,
    services,
    simple_tenant_usage,
)


def build_router(apis: facades.Facades, image_store=None) -> router.Router:
    """A Router over every v2.1 resource, its controllers bound to the facades.

    Order matters where paths overlap: ``/servers/detail`` is connected
    before ``/servers/{id}``.
    """
    api_router = router.Router()
    for path, method, resource, action in route_table(apis, image_store):
        api_router.connect(path, method, resource, action)
    return api_router


def route_table(apis: facades.Facades | None,
                image_store=None) -> list[tuple[str, str, wsgi.Resource, str]]:
    """Every v2.1 route as ``(path, method, resource, action)``, in routing order.

    Data rather than code so that the OpenAPI document (minova.api.openapi)
    describes exactly what is routed; controllers only keep the facade
    they are given, so it can be built without any (``apis`` None).
    ``image_store`` keeps the image API's bytes (the image proxy's delete
    removes them; ``[image] store_path`` when not given).
    """
    apis = apis or facades.Facades.unbound()
    servers_res = wsgi.Resource(servers.ServersController(apis.compute))
    server_actions_res = wsgi.Resource(server_actions.ServerActionsController(apis.compute))
    metadata_res = wsgi.Resource(server_metadata.ServerMetadataController(apis.compute))
    tags_res = wsgi.Resource(server_tags.ServerTagsController(apis.compute))
    topology_res = wsgi.Resource(server_topology.ServerTopologyController(apis.compute))
    diagnostics_res = wsgi.Resource(
        server_diagnostics.ServerDiagnosticsController(apis.compute))
    actions_res = wsgi.Resource(instance_actions.InstanceActionsController(apis.compute))
    flavors_res = wsgi.Resource(flavors.FlavorsController(apis.flavors))
    flavor_manage_res = wsgi.Resource(flavor_manage.FlavorManageController(apis.flavors))
    images_res = wsgi.Resource(images.ImagesController(apis.images, image_store))
    image_metadata_res = wsgi.Resource(
        image_metadata.ImageMetadataController(apis.images, apis.quotas))
    hypervisors_res = wsgi.Resource(hypervisors.HypervisorsController(apis.hosts))
    services_res = wsgi.Resource(services.ServicesController(apis.hosts))
    hosts_res = wsgi.Resource(hosts.HostController(apis.hosts))
    aggregates_res = wsgi.Resource(aggregates.AggregatesController(apis.aggregates))
    az_res = wsgi.Resource(availability_zone.AvailabilityZoneController(apis.hosts))
    extra_specs_res = wsgi.Resource(
        flavors_extraspecs.FlavorExtraSpecsController(apis.flavors))
    server_groups_res = wsgi.Resource(
        server_groups.ServerGroupsController(apis.server_groups))
    keypairs_res = wsgi.Resource(keypairs.KeypairController(apis.keypairs))
    flavor_access_res = wsgi.Resource(flavor_access.FlavorAccessController(apis.flavors))
    quota_sets_res = wsgi.Resource(quota_sets.QuotaSetsController(apis.quotas))
    quota_classes_res = wsgi.Resource(quota_classes.QuotaClassSetsController(apis.quotas))
    events_res = wsgi.Resource(
        server_external_events.ServerExternalEventsController(apis.compute))
    networks_res = wsgi.Resource(networks.NetworkController())
    limits_res = wsgi.Resource(limits.LimitsController(apis.quotas))
    audit_log_res = wsgi.Resource(
        instance_usage_audit_log.InstanceUsageAuditLogController(apis.hosts))
    migrations_res = wsgi.Resource(migrations.MigrationsController(apis.migrations))
    extensions_res = wsgi.Resource(extensions.ExtensionInfoController())
    usage_res = wsgi.Resource(simple_tenant_usage.SimpleTenantUsageController(apis.quotas))

    table = [
        ("/servers", "GET", servers_res, "index"),
        ("/servers", "POST", servers_res, "create"),
        ("/servers/detail", "GET", servers_res, "detail"),
        ("/servers/{id}", "GET", servers_res, "show"),
        ("/servers/{id}", "PUT", servers_res, "update"),
        ("/servers/{id}", "DELETE", servers_res, "delete"),
        ("/servers/{server_id}/metadata", "GET", metadata_res, "index"),
        ("/servers/{server_id}/metadata", "POST", metadata_res, "create"),
        ("/servers/{server_id}/metadata", "PUT", metadata_res, "update_all"),
        ("/servers/{server_id}/metadata/{id}", "GET", metadata_res, "show"),
        ("/servers/{server_id}/metadata/{id}", "PUT", metadata_res, "update"),
        ("/servers/{server_id}/metadata/{id}", "DELETE", metadata_res, "delete"),
        ("/servers/{server_id}/tags", "GET", tags_res, "index"),
        ("/servers/{server_id}/tags", "PUT", tags_res, "update_all"),
        ("/servers/{server_id}/tags", "DELETE", tags_res, "delete_all"),
        ("/servers/{server_id}/tags/{id}", "GET", tags_res, "show"),
        ("/servers/{server_id}/tags/{id}", "PUT", tags_res, "update"),
        ("/servers/{server_id}/tags/{id}", "DELETE", tags_res, "delete"),
        ("/servers/{server_id}/topology", "GET", topology_res, "index"),
        ("/servers/{server_id}/diagnostics", "GET", diagnostics_res, "index"),
        ("/servers/{id}/action", "POST", server_actions_res, "action"),
        ("/servers/{server_id}/os-instance-actions", "GET", actions_res, "index"),
        ("/servers/{server_id}/os-instance-actions/{id}", "GET", actions_res, "show"),
        ("/flavors", "GET", flavors_res, "index"),
        ("/flavors", "POST", flavor_manage_res, "create"),
        ("/flavors/detail", "GET", flavors_res, "detail"),
        ("/flavors/{id}", "GET", flavors_res, "show"),
        ("/flavors/{id}", "PUT", flavor_manage_res, "update"),
        ("/flavors/{id}", "DELETE", flavor_manage_res, "delete"),
        ("/images", "GET", images_res, "index"),
        ("/images/detail", "GET", images_res, "detail"),
        ("/images/{id}", "GET", images_res, "show"),
        ("/images/{id}", "DELETE", images_res, "delete"),
        ("/images/{image_id}/metadata", "GET", image_metadata_res, "index"),
        ("/images/{image_id}/metadata", "POST", image_metadata_res, "create"),
        ("/images/{image_id}/metadata", "PUT", image_metadata_res, "update_all"),
        ("/images/{image_id}/metadata/{id}", "GET", image_metadata_res, "show"),
        ("/images/{image_id}/metadata/{id}", "PUT", image_metadata_res, "update"),
        ("/images/{image_id}/metadata/{id}", "DELETE", image_metadata_res, "delete"),
        ("/os-hypervisors", "GET", hypervisors_res, "index"),
        ("/os-hypervisors/detail", "GET", hypervisors_res, "detail"),
        ("/os-hypervisors/statistics", "GET", hypervisors_res, "statistics"),
        ("/os-hypervisors/{id}", "GET", hypervisors_res, "show"),
        ("/os-hypervisors/{id}/uptime", "GET", hypervisors_res, "uptime"),
        ("/os-hypervisors/{id}/search", "GET", hypervisors_res, "search"),
        ("/os-hypervisors/{id}/servers", "GET", hypervisors_res, "servers"),
        ("/os-hosts", "GET", hosts_res, "index"),
        ("/os-hosts/{id}", "GET", hosts_res, "show"),
        ("/os-hosts/{id}", "PUT", hosts_res, "update"),
        ("/os-hosts/{id}/startup", "GET", hosts_res, "startup"),
        ("/os-hosts/{id}/shutdown", "GET", hosts_res, "shutdown"),
        ("/os-hosts/{id}/reboot", "GET", hosts_res, "reboot"),
        ("/os-services", "GET", services_res, "index"),
        ("/os-services/{id}", "PUT", services_res, "update"),
        ("/os-aggregates", "GET", aggregates_res, "index"),
        ("/os-aggregates", "POST", aggregates_res, "create"),
        ("/os-aggregates/{id}", "GET", aggregates_res, "show"),
        ("/os-aggregates/{id}", "PUT", aggregates_res, "update"),
        ("/os-aggregates/{id}", "DELETE", aggregates_res, "delete"),
        ("/os-aggregates/{id}/action", "POST", aggregates_res, "action"),
        ("/os-aggregates/{id}/images", "POST", aggregates_res, "images"),
        ("/os-availability-zone", "GET", az_res, "index"),
        ("/os-availability-zone/detail", "GET", az_res, "detail"),
        ("/flavors/{flavor_id}/os-extra_specs", "GET", extra_specs_res, "index"),
        ("/flavors/{flavor_id}/os-extra_specs", "POST", extra_specs_res, "create"),
        ("/flavors/{flavor_id}/os-extra_specs/{id}", "GET", extra_specs_res, "show"),
        ("/flavors/{flavor_id}/os-extra_specs/{id}", "PUT", extra_specs_res, "update"),
        ("/flavors/{flavor_id}/os-extra_specs/{id}", "DELETE", extra_specs_res, "delete"),
        ("/os-server-groups", "GET", server_groups_res, "index"),
        ("/os-server-groups", "POST", server_groups_res, "create"),
        ("/os-server-groups/{id}", "GET", server_groups_res, "show"),
        ("/os-server-groups/{id}", "DELETE", server_groups_res, "delete"),
        ("/os-keypairs", "GET", keypairs_res, "index"),
        ("/os-keypairs", "POST", keypairs_res, "create"),
        ("/os-keypairs/{id}", "GET", keypairs_res, "show"),
        ("/os-keypairs/{id}", "DELETE", keypairs_res, "delete"),
        ("/flavors/{flavor_id}/os-flavor-access", "GET", flavor_access_res, "index"),
        ("/flavors/{id}/action", "POST", flavor_access_res, "action"),
        ("/os-quota-sets/{id}", "GET", quota_sets_res, "show"),
        ("/os-quota-sets/{id}", "PUT", quota_sets_res, "update"),
        ("/os-quota-sets/{id}", "DELETE", quota_sets_res, "delete"),
        ("/os-quota-sets/{id}/detail", "GET", quota_sets_res, "detail"),
        ("/os-quota-sets/{id}/defaults", "GET", quota_sets_res, "defaults"),
        ("/os-quota-class-sets/{id}", "GET", quota_classes_res, "show"),
        ("/os-quota-class-sets/{id}", "PUT", quota_classes_res, "update"),
        ("/os-server-external-events", "POST", events_res, "create"),
        ("/os-networks", "GET", networks_res, "index"),
        ("/os-networks", "POST", networks_res, "create"),
        ("/os-networks/add", "POST", networks_res, "add"),
        ("/os-networks/{id}", "GET", networks_res, "show"),
        ("/os-networks/{id}", "DELETE", networks_res, "delete"),
        ("/os-networks/{id}/action", "POST", networks_res, "action"),
        ("/limits", "GET", limits_res, "index"),
        ("/os-simple-tenant-usage", "GET", usage_res, "index"),
        ("/os-simple-tenant-usage/{id}", "GET", usage_res, "show"),
        ("/os-instance_usage_audit_log", "GET", audit_log_res, "index"),
        ("/os-instance_usage_audit_log/{id}", "GET", audit_log_res, "show"),
        ("/os-migrations", "GET", migrations_res, "index"),
        ("/extensions", "GET", extensions_res, "index"),
        ("/extensions/{id}", "GET", extensions_res, "show"),
    ]
    return table
