"""Options of the ``[quota]`` group: Nova's default per-project quotas.

A project without an override (``PUT /os-quota-sets/{project_id}``) gets
these; -1 means unlimited. Usage is counted from the database when a
resource is created (Nova's counting quotas), so there is nothing to sync.
"""

from oslo_config import cfg

quota_group = cfg.OptGroup("quota", title="Quota options")

quota_opts = [
    cfg.IntOpt("instances", default=10, min=-1,
               help="Instances (servers) a project may have; -1 for unlimited."),
    cfg.IntOpt("cores", default=20, min=-1,
               help="Instance cores (vCPUs of the instances' flavors) a project may "
               "have; -1 for unlimited."),
    cfg.IntOpt("ram", default=50 * 1024, min=-1,
               help="Megabytes of instance RAM a project may have; -1 for unlimited."),
    cfg.IntOpt("metadata_items", default=128, min=-1,
               help="Metadata items a server may have; -1 for unlimited."),
    cfg.IntOpt("injected_files", default=5, min=-1,
               help="Injected files a server may have (shown by the quota API before "
               "microversion 2.57; minova has no file injection)."),
    cfg.IntOpt("injected_file_content_bytes", default=10 * 1024, min=-1,
               help="Bytes of an injected file (shown by the quota API before 2.57)."),
    cfg.IntOpt("injected_file_path_bytes", default=255, min=-1,
               help="Bytes of an injected file's path (shown by the quota API before "
               "2.57)."),
    cfg.IntOpt("key_pairs", default=100, min=-1,
               help="Key pairs a user may have; -1 for unlimited."),
    cfg.IntOpt("server_groups", default=10, min=-1,
               help="Server groups a project may have; -1 for unlimited."),
    cfg.IntOpt("server_group_members", default=10, min=-1,
               help="Servers a server group may have; -1 for unlimited."),
    cfg.BoolOpt("recheck_quota", default=True,
                help="Count again when a build claims its host, as Nova's conductor "
                "does after scheduling: an instance of a project that is over its "
                "instances, cores or ram quota by then (the limit was lowered "
                "meanwhile) goes to ERROR instead of building."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(quota_group)
    conf.register_opts(quota_opts, group=quota_group)


def list_opts() -> dict:
    return {"quota": quota_opts}
