"""[upgrade_levels]: the RPC version each client sends at most, during a rolling upgrade."""

from oslo_config import cfg

upgrade_group = cfg.OptGroup(
    "upgrade_levels", title="RPC version caps",
    help="While services of two releases run side by side, cap what the new "
    "ones send to what the old ones understand; remove the caps once every "
    "service is upgraded. Unset: the newest version this release knows.")

upgrade_opts = [
    cfg.StrOpt("conductor", help="Highest conductor RPC version to send (e.g. 1.8 while "
               "conductors of the previous release still run)."),
    cfg.StrOpt("scheduler", help="Highest scheduler RPC version to send."),
    cfg.StrOpt("compute", help="Highest compute RPC version to send (e.g. 1.0 while "
               "computes of an older release still run)."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(upgrade_group)
    conf.register_opts(upgrade_opts, group=upgrade_group)


def list_opts() -> dict:
    return {upgrade_group.name: upgrade_opts}
