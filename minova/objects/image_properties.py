"""What a server keeps of its image's properties (shown from API 2.98).

Nova copies them into the instance's system metadata when it creates the
server (``utils.get_system_metadata_from_image``, keys prefixed
``image_``) and shows them without the prefix; minova keeps the same dict
in ``instances.image_properties``. A copy, not a lookup, because the
server was built from the image as it was then: a property changed or an
image deleted later does not change what the server says it booted.
"""

# Nova's SM_INHERITABLE_KEYS: image attributes kept with its properties.
INHERITABLE_KEYS = ("min_ram", "min_disk", "disk_format", "container_format")

# Nova's SM_SKIP_KEYS: structured properties too large for system metadata.
SKIP_KEYS = ("mappings", "block_device_mapping", "img_mappings", "img_block_device_mapping")

# Nova's system metadata values: strings of at most 255 characters.
MAX_VALUE_LENGTH = 255


def from_image(image: dict, flavor: dict, image_ref: str) -> dict[str, str]:
    """The properties a server created from ``image`` with ``flavor`` keeps.

    As Nova: every property but the skipped ones as a string cut to 255
    characters; ``min_ram``, ``disk_format`` and ``container_format`` when
    the image has them; ``min_disk`` at least the flavor's root disk (a vhd
    image's is the flavor's); ``base_image_ref`` the image the server was
    created from unless the image names another (a snapshot's source).
    """
    kept = {key: str(value)[:MAX_VALUE_LENGTH]
            for key, value in (image.get("properties") or {}).items()
            if key not in SKIP_KEYS}
    for key in INHERITABLE_KEYS:
        value = image.get(key)
        if key == "min_disk":
            root_gb = flavor.get("root_gb") or 0
            value = root_gb if image.get("disk_format") == "vhd" else max(value or 0, root_gb)
        if value is not None:
            kept[key] = str(value)
    kept.setdefault("base_image_ref", image_ref)
    return kept
