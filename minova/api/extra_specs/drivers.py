"""Specs of particular virt drivers: ``powervm:`` and ``vmware:``.

minova has neither driver; the specs are known so that a flavor meant for
a Nova cloud with them is checked as Nova checks it.
"""

from minova.api.extra_specs.spec import Spec

_PROC_UNITS = r"\d+\.\d+"

POWERVM = (
    Spec("powervm:min_mem", int, min=256, description="Minimum memory (MiB)."),
    Spec("powervm:max_mem", int, min=256, description="Maximum memory (MiB)."),
    Spec("powervm:min_vcpu", int, min=1, description="Minimum virtual processors."),
    Spec("powervm:max_vcpu", int, min=1, description="Maximum virtual processors."),
    Spec("powervm:proc_units", pattern=_PROC_UNITS, description="Wanted processing units."),
    Spec("powervm:min_proc_units", pattern=_PROC_UNITS,
         description="Minimum processing units."),
    Spec("powervm:max_proc_units", pattern=_PROC_UNITS,
         description="Maximum processing units."),
    Spec("powervm:dedicated_proc", bool, description="Use dedicated processors."),
    Spec("powervm:shared_weight", int, min=0, max=255,
         description="Shared processor weight."),
    Spec("powervm:availability_priority", int, min=0, max=255,
         description="Priority of the partition on a processor failure."),
    Spec("powervm:uncapped", bool, description="May use spare processor cycles."),
    Spec("powervm:dedicated_sharing_mode",
         enum=("share_idle_procs", "keep_idle_procs", "share_idle_procs_active",
               "share_idle_procs_always"),
         description="Sharing mode of dedicated processors."),
    Spec("powervm:processor_compatibility",
         enum=("default", "POWER6", "POWER6+", "POWER6_Enhanced", "POWER6+_Enhanced",
               "POWER7", "POWER8"),
         description="Processor compatibility mode."),
    Spec("powervm:shared_proc_pool_name", description="Shared processor pool."),
    Spec("powervm:srr_capability", bool, description="Simplified remote restart."),
)

VMWARE = (
    Spec("vmware:hw_version", description="Virtual hardware version."),
    Spec("vmware:storage_policy", description="Storage policy of new instances."),
)

SPECS = POWERVM + VMWARE
