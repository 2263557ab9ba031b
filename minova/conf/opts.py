"""Entry point for oslo-config-generator (``--namespace minova``)."""


def list_opts() -> list:
    """Return ``[(group, [opts]), ...]`` for every group minova registers."""
    from minova import conf

    grouped: dict = {}
    for module in conf._MODULES:
        for group, opts in module.list_opts().items():
            grouped.setdefault(group, []).extend(opts)
    return sorted(grouped.items(), key=lambda item: (item[0] != "DEFAULT", item[0]))
