"""Parsing the command line and config files, and setting up logging, for every entry point."""

from oslo_config import cfg
from oslo_log import log as logging

import minova
from minova import conf  # noqa: F401  (registers every option)

CONF = cfg.CONF

_LOG_FORMAT = (
    "%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s "
    "[%(global_request_id)s %(request_id)s %(user_identity)s] %(instance)s%(message)s"
)

_registered = False


def parse_args(argv: list[str], default_config_files: list[str] | None = None) -> None:
    """Load ``--config-file`` options (repeatable) and set up oslo.log."""
    global _registered
    if not _registered:
        logging.register_options(CONF)
        _registered = True
    logging.set_defaults(logging_context_format_string=_LOG_FORMAT,
                         default_log_levels=logging.get_default_log_levels() + [
                             "amqp=WARN", "kombu=WARN", "alembic=WARN"])
    CONF(argv[1:], project="minova", version=minova.__version__,
         default_config_files=default_config_files)
    logging.setup(CONF, "minova")
