"""Database options. Only the conductor (and minova-manage) open the database."""

from oslo_config import cfg

database_group = cfg.OptGroup("database", title="Database options")

database_opts = [
    cfg.StrOpt(
        "connection",
        default="sqlite:///$state_path/minova.sqlite",
        secret=True,
        help="SQLAlchemy URL of the database: sqlite:///PATH, "
        "mysql+pymysql://USER:PASS@HOST/DB or "
        "postgresql+psycopg://USER:PASS@HOST/DB.",
    ),
    cfg.IntOpt(
        "max_pool_size",
        default=10,
        min=1,
        help="Connections the conductor keeps open to the database.",
    ),
    cfg.IntOpt(
        "max_overflow",
        default=20,
        min=0,
        help="Connections allowed beyond max_pool_size under load.",
    ),
    cfg.BoolOpt(
        "connection_debug",
        default=False,
        help="Log every SQL statement (very verbose).",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(database_group)
    conf.register_opts(database_opts, group=database_group)


def list_opts() -> dict:
    return {"database": database_opts}
