"""The check of a key/value pair against the specs minova knows (Nova's)."""

import pytest

from minova import exception
from minova.api import extra_specs
from minova.api.extra_specs import registry


def _refused(key: str, value: str) -> str:
    with pytest.raises(exception.ValidationError) as caught:
        extra_specs.validate(key, value)
    return caught.value.format_message()


@pytest.mark.parametrize("key, value", [
    ("hw:cpu_policy", "dedicated"),
    ("hw:cpu_thread_policy", "isolate"),
    ("hw:cpu_realtime_mask", "^0-1"),
    ("hw:cpu_dedicated_mask", "0-3,^2"),
    ("hw:mem_page_size", "2MiB"),
    ("hw:mem_page_size", "large"),
    ("hw:numa_nodes", "2"),
    ("hw:numa_cpus.0", "0-3,^2"),
    ("hw:numa_mem.1", "2048"),
    ("hw:cpu_max_sockets", "2"),
    ("hw:max_cpu_sockets", "2"),
    ("hw:serial_port_count", "0"),
    ("hw:watchdog_action", "reset"),
    ("hw:pmem", "pmem0,pmem1"),
    ("hw:viommu_model", "auto"),
    ("hw:sound_model", "ich9"),
    ("hw:mem_encryption_model", "amd-sev-es"),
    ("hw:tpm_secret_security", "deployment"),
    ("hw:redirected_usb_ports", "15"),
    ("hw:disk_iothread", "yes"),
    ("hw_rng:allowed", "True"),
    ("hw_rng:rate_bytes", "1024"),
    ("hw_video:ram_max_mb", "64"),
    ("os:secure_boot", "required"),
    ("hide_hypervisor_id", "true"),
    ("group_policy", "isolate"),
    ("resources:VCPU", "2"),
    ("resources1:CUSTOM_GPU", "1"),
    ("resources_gpu:MEMORY_MB", "1024"),
    ("trait:HW_CPU_X86_AVX2", "required"),
    ("trait2:CUSTOM_FAST", "forbidden"),
    ("capabilities:hypervisor_type", "s== QEMU"),
    ("capabilities:cpu_info:arch", "x86_64"),
    ("capabilities:cpu_info:topology:cores", ">= 8"),
    ("capabilities:stats", "<in> x"),
    ("aggregate_instance_extra_specs:ssd", "true"),
    ("aggregate_instance_extra_specs:a:b", "<or> x <or> y"),
    ("quota:cpu_quota", "10000"),
    ("quota:disk_total_iops_sec", "500"),
    ("quota:vif_shares_level", "custom"),
    ("pci_passthrough:alias", "a1:2, b2:1"),
    ("accel:device_profile", "fpga"),
    ("powervm:shared_weight", "255"),
    ("powervm:proc_units", "0.5"),
    ("vmware:hw_version", "vmx-13"),
])
def test_valid_specs_pass(key, value):
    extra_specs.validate(key, value)


@pytest.mark.parametrize("key", [
    "hw:cpu_polcy", "hw:numa_cpus.x", "hw_rng:rate", "os:nope", "quota:cpu",
    "capabilities:no_such_attribute", "capabilities:hypervisor_type:x",
    "resources:vcpu", "resources:", "trait:lower_case", "accel:other",
    "pci_passthrough:aliases", "powervm:nope", "vmware:nope", "hw_video:ram",
])
def test_unknown_keys_of_known_namespaces_are_refused(key):
    assert _refused(key, "1") == (
        f"Validation failed; extra spec '{key}' does not appear to be a valid extra spec.")


@pytest.mark.parametrize("key, value", [
    ("mycloud:anything", "x"), ("hw-x:cpu_policy", "x"), ("hardware:x", "y"),
    ("ssd", "true"), ("cpu_arch", "x86_64"), ("hw", "x"),
    ("aggregate_instance_extra_specs", "x"),
    # a group suffix longer than 64 makes it no resources namespace at all
    ("resources_" + "g" * 65 + ":VCPU", "x"),
])
def test_other_namespaces_and_plain_keys_are_accepted(key, value):
    extra_specs.validate(key, value)


@pytest.mark.parametrize("key, value, message", [
    ("hw:cpu_policy", "pinned",
     "Validation failed; 'pinned' is not one of: dedicated, shared, mixed."),
    ("hw:numa_nodes", "0", "Validation failed; '0' is less than the min value of '1'."),
    ("hw:numa_nodes", "two", "Validation failed; 'two' is not a valid integer value."),
    ("hw:numa_mem.0", "-1", "Validation failed; '-1' is less than the min value of '1'."),
    ("hw:numa_cpus.1", "0-3,x",
     r"Validation failed; '0-3,x' is not of the format '\^?\d+((-\d+)?(,\^?\d+(-\d+)?)?)*'."),
    ("hw:pmu", "sometimes", "Validation failed; 'sometimes' is not a valid boolean-like value."),
    ("hide_hypervisor_id", "2", "Validation failed; '2' is not a valid boolean-like value."),
    ("group_policy", "pack", "Validation failed; 'pack' is not one of: isolate, none."),
    ("hw:viommu_model", "none",
     "Validation failed; 'none' is not one of: intel, smmuv3, virtio, auto."),
    ("hw:redirected_usb_ports", "16",
     "Validation failed; '16' is greater than the max value of '15'."),
    ("resources1:VCPU", "two", "Validation failed; 'two' is not a valid integer value."),
    ("trait:HW_CPU_X86_AVX2", "preferred",
     "Validation failed; 'preferred' is not one of: required, forbidden."),
    ("powervm:shared_weight", "256",
     "Validation failed; '256' is greater than the max value of '255'."),
    ("quota:cpu_period", "-5", "Validation failed; '-5' is less than the min value of '0'."),
    ("pci_passthrough:alias", "a1",
     r"Validation failed; 'a1' is not of the format '[^:]+:\d+(?:\s*,\s*[^:]+:\d+)*'."),
])
def test_bad_values_are_refused_with_novas_message(key, value, message):
    assert _refused(key, value) == message


def test_every_namespace_of_the_brief_is_known():
    for namespace in ("accel", "aggregate_instance_extra_specs", "capabilities", "hw",
                      "hw_rng", "hw_video", "os", "pci_passthrough", "powervm", "quota",
                      "resources", "resources1", "trait", "trait_x", "vmware"):
        assert registry.is_known_namespace(f"{namespace}:x"), namespace


def test_names_are_unique():
    names = [spec.name for spec in registry.SPECS]
    assert len(names) == len(set(names))
