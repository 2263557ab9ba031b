"""Nova's service binary names as names of minova's services.

minova's processes are ``minova-compute``, ``minova-conductor`` and
``minova-scheduler``; Nova's clients (Tempest, the openstack CLI, scripts)
name the same roles ``nova-compute``, ``nova-conductor`` and
``nova-scheduler``. Both names are accepted wherever a client names a
service, and an answer speaks the client's vocabulary: a service listed
because the client asked for ``binary=nova-compute`` is shown as
``nova-compute`` (Tempest checks exactly that), while a list that named no
binary, or minova's own name, shows minova's real binaries. The mapping is
one-to-one, so a name never stands for a service that is not running.
"""

NOVA_TO_MINOVA = {
    "nova-compute": "minova-compute",
    "nova-conductor": "minova-conductor",
    "nova-scheduler": "minova-scheduler",
}


def real_binary(binary: str | None) -> str | None:
    """minova's binary for ``binary`` (a Nova name or minova's own), as stored."""
    if binary is None:
        return None
    return NOVA_TO_MINOVA.get(binary, binary)


def is_nova_name(binary: str | None) -> bool:
    """True if ``binary`` is one of Nova's names (the answer then uses it)."""
    return binary in NOVA_TO_MINOVA
