"""tempest.conf for minova: every feature minova has switched on, the rest off.

Each flag that is off says why. A flag is on when minova serves the API
the tests behind it call, even where the tests also need something minova
lacks (then they fail and are listed in tools/tempest/expected-failures.txt
until it is there), so a flag is never a way to hide a failure.
"""

import configparser
from pathlib import Path

# [compute-feature-enabled]: (value, why). Checked against minova's routes
# (minova/api/openstack/routes.py) and server actions (server_actions.py).
COMPUTE_FEATURES = {
    "console_output": (True, "os-getConsoleOutput"),
    "pause": (True, "pause / unpause"),
    "suspend": (True, "suspend / resume"),
    "disk_config": (True, "OS-DCF:diskConfig on create and in server views"),
    "enable_instance_password": (True, "adminPass in the create response"),
    "config_drive": (True, "config_drive on create and in server views"),
    "hostname_fqdn_sanitization": (True, "a server name's dots become dashes in its hostname"),
    "personality": (False, "no file injection: personality is refused on create"),
    "resize": (True, "resize, confirmResize, revertResize"),
    "snapshot": (True, "createImage (no createBackup)"),
    "shelve": (True, "shelve / shelveOffload / unshelve"),
    "shelve_migrate": (True, "shelve, then unshelve on another host after a cold migration"),
    "cold_migration": (True, "migrate (2.56 host), os-migrations"),
    "live_migration": (False, "no os-migrateLive action"),
    "live_migrate_back_and_forth": (False, "no os-migrateLive action"),
    "block_migration_for_live_migration": (False, "no os-migrateLive action"),
    "rescue": (True, "rescue / unrescue"),
    "stable_rescue": (False, "the stable device rescue tests make their rescue image "
                             "with createImage, which minova does not have"),
    "change_password": (False, "no changePassword action"),
    "interface_attach": (False, "no os-interface (and no Neutron here)"),
    "vnc_console": (False, "no remote consoles"),
    "spice_console": (False, "no remote consoles"),
    "serial_console": (False, "no remote consoles"),
    "metadata_service": (False, "no metadata service"),
    "attach_encrypted_volume": (False, "no volumes (no Cinder here)"),
    "swap_volume": (False, "no volumes (no Cinder here)"),
    "volume_backed_live_migration": (False, "no volumes, no live migration"),
    "volume_multiattach": (False, "no volumes (no Cinder here)"),
    "ide_bus": (False, "no volumes (no Cinder here)"),
    "unified_limits": (False, "legacy quotas ([quota] options), not Keystone's unified limits"),
}

# [service_available]: (value, why)
SERVICES = {
    "nova": (True, "minova"),
    "glance": (True, "minova serves the image API itself, under /image"),
    "neutron": (False, "minova has no networking service; none runs here"),
    "cinder": (False, "minova has no volume service; none runs here"),
    "swift": (False, "no object store"),
    "horizon": (False, "no dashboard"),
}

SCHEDULER_FILTERS_OPTION = "scheduler_enabled_filters"


def write(path: Path, cloud, workdir: Path, max_microversion: str | None) -> None:
    """tempest.conf at ``path`` for ``cloud`` (tools/tempest/cloud.Cloud).

    ``max_microversion`` None leaves [compute] min/max_microversion unset
    (Tempest's default); "latest" lets it run the tests of every microversion.
    """
    from cloud import SCHEDULER_FILTERS  # noqa: PLC0415 (same directory, run as script)

    admin = cloud.admin_credentials()
    sections: dict[str, dict[str, str]] = {
        "DEFAULT": {"log_file": str(workdir / "tempest.log"), "debug": "false"},
        "oslo_concurrency": {"lock_path": str(workdir / "locks")},
        "auth": {
            "use_dynamic_credentials": "true",
            "admin_username": admin["username"],
            "admin_password": admin["password"],
            "admin_project_name": admin["project_name"],
            "admin_domain_name": admin["domain_name"],
            "default_credentials_domain_name": "Default",
            # no Neutron: no networks, routers or subnets per credential
            "create_isolated_networks": "false",
        },
        "identity": {
            "uri_v3": cloud.keystone.url,
            "auth_version": "v3",
            "region": "RegionOne",
            "v3_endpoint_type": "public",
        },
        "identity-feature-enabled": {"api_v2": "false"},
        "compute": {
            "region": "RegionOne",
            "endpoint_type": "publicURL",
            "image_ref": "70a599e0-31e7-49b7-b260-868f441e862b",  # minova-manage bootstrap's
            "image_ref_alt": cloud.alt_image_id,
            "flavor_ref": "1",  # m1.tiny
            "flavor_ref_alt": "2",  # m1.small
            "min_compute_nodes": str(len(cloud.minova.computes)),
            # fake-driver builds take a second or two; also bounds the
            # polling of tests that wait for something that never comes
            "build_timeout": "60",
        },
        "compute-feature-enabled": {
            name: str(value).lower() for name, (value, _) in COMPUTE_FEATURES.items()},
        "image": {"region": "RegionOne", "endpoint_type": "publicURL"},
        "service_available": {
            name: str(value).lower() for name, (value, _) in SERVICES.items()},
        # Tempest would log in to guests over SSH: fake-driver guests have no network.
        "validation": {"run_validation": "false"},
    }
    sections["compute-feature-enabled"][SCHEDULER_FILTERS_OPTION] = ",".join(SCHEDULER_FILTERS)
    if max_microversion is not None:
        sections["compute"]["max_microversion"] = max_microversion

    parser = configparser.ConfigParser(interpolation=None)
    for section, values in sections.items():
        if section != "DEFAULT":
            parser.add_section(section)
        for key, value in values.items():
            parser.set(section, key, value)
    with open(path, "w") as handle:
        handle.write("# Written by tools/run-tempest.sh. Features off, and why:\n")
        for name, (value, why) in {**COMPUTE_FEATURES, **SERVICES}.items():
            if not value:
                handle.write(f"#   {name}: {why}\n")
        parser.write(handle)
