"""The guest hostname Nova derives from a server's name."""

import re


def sanitize_hostname(name: str, default: str | None = None) -> str:
    """Nova's hostname for a server name (RFC 952/1123 characters, at most 63).

    Fixed when the server is created, so a later rename does not change
    what the guest was told its name is.
    """
    hostname = name.encode("latin-1", "ignore").decode("latin-1")[:63]
    hostname = re.sub(r"[ _.]", "-", hostname)
    hostname = re.sub(r"[^\w.-]+", "", hostname)
    hostname = hostname.lower().strip(".-")
    if not hostname and default is not None:
        return default[:63]
    return hostname
