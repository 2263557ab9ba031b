"""minova's policy defaults, registered in code.

``list_rules()`` is the ``oslo.policy.policies`` entry point, so
``oslopolicy-sample-generator --namespace minova`` documents every rule and
an operator's ``policy.yaml`` only needs the rules it changes.
"""

import itertools

from oslo_policy import policy

from minova.policies import (
    admin_actions,
    aggregates,
    availability_zone,
    base,
    deferred_delete,
    extended_server_attributes,
    extensions,
    flavor_access,
    flavor_extra_specs,
    flavor_manage,
    hosts,
    hypervisors,
    images,
    instance_actions,
    instance_usage_audit_log,
    keypairs,
    limits,
    lock_server,
    migrations,
    networks,
    quota_class_sets,
    quota_sets,
    rescue,
    security_groups,
    server_actions,
    server_diagnostics,
    server_external_events,
    server_groups,
    server_metadata,
    server_moves,
    server_tags,
    server_topology,
    servers,
    services,
    shelve,
    simple_tenant_usage,
)


def list_rules() -> list[policy.RuleDefault]:
    """Every rule minova enforces, base rules first."""
    return list(
        itertools.chain(
            base.list_rules(),
            servers.list_rules(),
            server_actions.list_rules(),
            lock_server.list_rules(),
            rescue.list_rules(),
            server_moves.list_rules(),
            admin_actions.list_rules(),
            deferred_delete.list_rules(),
            shelve.list_rules(),
            server_diagnostics.list_rules(),
            extended_server_attributes.list_rules(),
            flavor_manage.list_rules(),
            hypervisors.list_rules(),
            hosts.list_rules(),
            services.list_rules(),
            instance_actions.list_rules(),
            images.list_rules(),
            aggregates.list_rules(),
            availability_zone.list_rules(),
            flavor_extra_specs.list_rules(),
            server_groups.list_rules(),
            server_metadata.list_rules(),
            server_tags.list_rules(),
            server_topology.list_rules(),
            keypairs.list_rules(),
            flavor_access.list_rules(),
            quota_sets.list_rules(),
            limits.list_rules(),
            simple_tenant_usage.list_rules(),
            instance_usage_audit_log.list_rules(),
            extensions.list_rules(),
            migrations.list_rules(),
            quota_class_sets.list_rules(),
            server_external_events.list_rules(),
            networks.list_rules(),
            security_groups.list_rules(),
        )
    )
