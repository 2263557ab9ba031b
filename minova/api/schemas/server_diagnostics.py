"""Response schemas of ``GET /servers/{server_id}/diagnostics``: the 2.48
standardised shape; before 2.48 the driver's own flat names."""

from minova.api.schemas import response_types as rt

_int_or_null = {"type": ["integer", "null"]}

index_response = {
    "type": "object",
    "additionalProperties": {"type": ["integer", "number", "string", "null"]},
}

index_response_v248 = rt.strict({
    "state": {"type": "string", "enum": ["pending", "running", "paused", "shutdown",
                                         "crashed", "suspended"]},
    # Nova's Diagnostics object's enum (Tempest's schema checks it).
    "driver": {"type": "string",
               "enum": ["libvirt", "xenapi", "vmwareapi", "ironic", "hyperv"]},
    "hypervisor": rt.string_or_null,
    "hypervisor_os": rt.string_or_null,
    "uptime": _int_or_null,
    "config_drive": {"type": "boolean"},
    "num_cpus": rt.non_negative_integer,
    "num_nics": rt.non_negative_integer,
    "num_disks": rt.non_negative_integer,
    "memory_details": rt.strict({"maximum": _int_or_null, "used": _int_or_null}),
    "cpu_details": {"type": "array", "items": rt.strict({
        "id": _int_or_null, "time": _int_or_null, "utilisation": _int_or_null})},
    "nic_details": {"type": "array", "items": rt.strict({
        "mac_address": {"oneOf": [
            {"type": "string", "pattern": "(?:[a-fA-F0-9]{2}:){5}[a-fA-F0-9]{2}"},
            {"type": "null"}]},
        **{key: _int_or_null for key in (
            "rx_octets", "rx_errors", "rx_drop", "rx_packets", "rx_rate", "tx_octets",
            "tx_errors", "tx_drop", "tx_packets", "tx_rate")}})},
    "disk_details": {"type": "array", "items": rt.strict({
        key: _int_or_null for key in ("read_bytes", "read_requests", "write_bytes",
                                      "write_requests", "errors_count")})},
})
