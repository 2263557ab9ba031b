"""Options of the REST api service."""

from oslo_config import cfg

api_group = cfg.OptGroup("api", title="REST API options")

listen_opts = [
    cfg.StrOpt(
        "osapi_compute_listen",
        default="127.0.0.1",
        help="Address the compute API listens on. Use 0.0.0.0 to serve "
        "other hosts.",
    ),
    cfg.PortOpt(
        "osapi_compute_listen_port",
        default=8774,
        help="Port the compute API listens on.",
    ),
]

api_opts = [
    cfg.StrOpt(
        "auth_strategy",
        default="noauth2",
        choices=[("noauth2", "X-Auth-Token is 'user:project'; the roles are the "
                  "X-Roles header's (comma-separated), else user 'admin' has admin, "
                  "member and reader and other users member and reader. For "
                  "development and the all-in-one only."),
                 ("keystone", "Keystone validates X-Auth-Token (keystonemiddleware's "
                  "auth_token, configured in [keystone_authtoken]); the token's "
                  "project and roles are the request's, and the 'context_is_admin' "
                  "policy decides who is an administrator.")],
        help="How the api authenticates requests.",
    ),
    cfg.IntOpt(
        "max_limit",
        default=1000,
        min=1,
        help="Most items a list call returns in one response.",
    ),
    cfg.StrOpt(
        "response_validation",
        default="ignore",
        choices=[("error", "An answer that does not match is a 500 (for tests)."),
                 ("warn", "An answer that does not match is logged as a warning."),
                 ("ignore", "Answers are not checked.")],
        help="Whether the api checks its answers against the response schemas "
        "its OpenAPI document publishes (as Nova's option of the same name). "
        "Checking costs time on every answer, so it is off by default; the "
        "API unit tests run with 'error'.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(listen_opts)
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)


def list_opts() -> dict:
    return {"DEFAULT": listen_opts, "api": api_opts}
