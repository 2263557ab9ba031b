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
    cfg.IntOpt(
        "conductor_timeout",
        default=10,
        min=1,
        help="Seconds the api waits for a conductor's answer (and tries, at "
        "most twice, to reach the message broker) before answering 503 "
        "serviceUnavailable with Retry-After. Far below rpc_response_timeout, "
        "so that a dead conductor or an unreachable broker does not hold a "
        "client's request for a minute; a conductor answers the api's calls "
        "in milliseconds when it is alive.",
    ),
    cfg.IntOpt(
        "create_attempts",
        default=2,
        min=1,
        help="How many times the api sends a server create to the conductors "
        "when none answered within conductor_timeout (or the database was "
        "unreachable). Safe: the api chooses the instance uuids, so a create a "
        "first attempt recorded is answered with the same servers, never made "
        "twice. A create waits at most conductor_timeout x create_attempts.",
    ),
    cfg.BoolOpt(
        "enable_instance_password",
        default=True,
        help="Whether the rescue action answers with the rescue's adminPass "
        "(Nova's option: with False the answer is an empty object). minova "
        "sets no password in a guest, so the password is only what a client "
        "was told.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(listen_opts)
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)


def list_opts() -> dict:
    return {"DEFAULT": listen_opts, "api": api_opts}
