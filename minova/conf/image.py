"""Options of the image service (a Glance v2 subset served by the api) and its client."""

from oslo_config import cfg

image_group = cfg.OptGroup("image", title="Image store options (api service)")
glance_group = cfg.OptGroup("glance", title="Image service client options (compute)")

image_opts = [
    cfg.StrOpt(
        "store_path",
        default="$state_path/images",
        help="Directory where the api service stores uploaded image bytes.",
    ),
]

glance_opts = [
    cfg.ListOpt(
        "api_servers",
        default=None,
        help="Image service endpoints compute hosts download images from, tried "
        "in order (the api service serves /image/v2). Unset, a compute uses "
        "the api of its own config: http://<osapi_compute_listen>:"
        "<osapi_compute_listen_port>/image, with a wildcard listen address "
        "reached at 127.0.0.1 (or ::1); minova-all-in-one uses the port its "
        "api actually listens on. That is right only where the api runs on "
        "the compute's host: set it on every other compute host, e.g. "
        "http://API_HOST:8774/image.",
    ),
    cfg.IntOpt(
        "num_retries",
        default=2,
        min=0,
        help="Extra attempts of a failed image download, over the api_servers.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(image_group)
    conf.register_opts(image_opts, group=image_group)
    conf.register_group(glance_group)
    conf.register_opts(glance_opts, group=glance_group)


def list_opts() -> dict:
    return {"image": image_opts, "glance": glance_opts}
