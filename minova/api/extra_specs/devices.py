"""Devices attached from elsewhere: ``accel:`` (Cyborg device profiles) and
``pci_passthrough:`` (PCI aliases)."""

from minova.api.extra_specs.spec import Spec

SPECS = (
    Spec("accel:device_profile", description="The Cyborg device profile to attach."),
    Spec("pci_passthrough:alias", pattern=r"[^:]+:\d+(?:\s*,\s*[^:]+:\d+)*",
         description="PCI devices to attach: comma-separated ``<alias>:<count>``."),
)
