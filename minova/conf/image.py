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
        default=["http://127.0.0.1:8774/image"],
        help="Image service endpoints compute hosts download images from, tried "
        "in order (the api service serves /image/v2).",
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
