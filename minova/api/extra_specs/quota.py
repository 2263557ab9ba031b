"""``quota:*``: resource limits the virt driver applies to the guest
(libvirt's CPU, disk and VIF tuning; VMware's limits, reservations and
shares)."""

from minova.api.extra_specs.spec import Spec


def _vmware() -> list[Spec]:
    specs = []
    for resource in ("cpu", "memory", "disk_io", "vif"):
        specs += [
            Spec(f"quota:{resource}_limit", int, description=f"VMware {resource} limit."),
            Spec(f"quota:{resource}_reservation", int,
                 description=f"VMware {resource} reservation."),
            Spec(f"quota:{resource}_shares_level",
                 description=f"VMware {resource} shares level."),
            Spec(f"quota:{resource}_shares_share", int,
                 description=f"VMware {resource} custom shares."),
        ]
    return specs


def _libvirt() -> list[Spec]:
    specs = [Spec(f"quota:cpu_{key}", int, min=0, description=f"libvirt CPU {key}.")
             for key in ("shares", "period", "quota")]
    specs += [Spec(f"quota:disk_{direction}_{unit}_sec", int, min=0,
                   description=f"libvirt disk {direction} {unit} per second.")
              for direction in ("read", "write", "total") for unit in ("bytes", "iops")]
    specs += [Spec(f"quota:vif_{direction}_{measure}", int, min=0,
                   description=f"libvirt VIF {direction} {measure}.")
              for direction in ("inbound", "outbound")
              for measure in ("average", "peak", "burst")]
    return specs


# quota:cpu_shares etc. are libvirt's; the VMware names do not collide.
SPECS = tuple(_vmware() + _libvirt())
