"""A server's copy of its image's properties (API 2.98), as Nova's image_* system metadata."""

from minova.objects import image_properties

FLAVOR = {"root_gb": 5}
IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b"


def _image(**kwargs) -> dict:
    image = {"id": IMAGE_ID, "disk_format": "qcow2", "container_format": "bare",
             "min_disk": 0, "min_ram": 0, "properties": {}}
    image.update(kwargs)
    return image


def test_properties_become_strings_of_at_most_255_characters():
    kept = image_properties.from_image(
        _image(properties={"hw_cpu_cores": 4, "note": "x" * 300}), FLAVOR, IMAGE_ID)
    assert kept["hw_cpu_cores"] == "4"
    assert kept["note"] == "x" * 255


def test_inheritable_attributes_and_base_image_ref():
    kept = image_properties.from_image(_image(min_ram=128, min_disk=2), FLAVOR, IMAGE_ID)
    assert kept == {"min_ram": "128", "min_disk": "5", "disk_format": "qcow2",
                    "container_format": "bare", "base_image_ref": IMAGE_ID}


def test_min_disk_is_the_larger_of_image_and_flavor_but_the_flavors_for_vhd():
    assert image_properties.from_image(_image(min_disk=9), FLAVOR, IMAGE_ID)["min_disk"] == "9"
    vhd = _image(min_disk=9, disk_format="vhd")
    assert image_properties.from_image(vhd, FLAVOR, IMAGE_ID)["min_disk"] == "5"


def test_absent_attributes_and_skipped_properties_are_left_out():
    kept = image_properties.from_image(
        _image(container_format=None, min_ram=None,
               properties={"block_device_mapping": "[...]", "mappings": "[]", "a": "b"}),
        FLAVOR, IMAGE_ID)
    assert set(kept) == {"a", "min_disk", "disk_format", "base_image_ref"}


def test_a_snapshots_base_image_ref_is_kept():
    snapshot = _image(properties={"base_image_ref": "the-original"})
    assert image_properties.from_image(snapshot, FLAVOR, IMAGE_ID)["base_image_ref"] == (
        "the-original")
