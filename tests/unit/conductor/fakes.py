"""Recording stand-ins for the scheduler and compute RPC clients of the conductor.

The conductor's job in its unit tests is what it writes and whom it casts
to; the real RPC paths are exercised by the functional tests.
"""

import futurist

from minova.conductor import manager


class FakeScheduler:
    """Answers select_destinations from ``answers`` in order (an exception is raised)."""

    def __init__(self):
        self.answers = []
        self.calls = []

    def select_destinations(self, ctxt, spec, uuids):
        self.calls.append((spec, list(uuids)))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    rebuild_checks = True  # the schedulers speak 1.2

    def can_check_rebuild(self):
        return self.rebuild_checks

    def check_rebuild(self, ctxt, spec, uuid):
        return self.select_destinations(ctxt, dict(spec, rebuild=True), [uuid])


class FakeCompute:
    """Records the builds and terminates cast to each host."""

    def __init__(self):
        self.builds, self.terminates, self.soft_deletes = [], [], []
        self.builds_with_instances = []

    def build_and_run_instance(self, ctxt, host, instance, node, request_spec, alternates):
        self.builds.append((host, instance["uuid"], alternates))
        self.builds_with_instances.append((host, instance["uuid"], instance))

    def terminate_instance(self, ctxt, host, instance):
        self.terminates.append((host, instance["uuid"]))

    rebuilds_allowed = True  # the computes speak 1.3
    rebuild_error: Exception | None = None

    def can_rebuild(self):
        return self.rebuilds_allowed

    def rebuild_instance(self, ctxt, host, instance, image_meta, preserve_ephemeral,
                         orig_vm_state):
        if self.rebuild_error is not None:
            raise self.rebuild_error
        self.rebuilds = getattr(self, "rebuilds", [])
        self.rebuilds.append((host, instance, image_meta, preserve_ephemeral, orig_vm_state))

    def soft_delete_instance(self, ctxt, host, instance):
        self.soft_deletes.append((host, instance["uuid"], instance["task_state"]))


def selection(node):
    """The scheduler's selection of a compute node (a row of make_node)."""
    return {"service_host": node["host"], "nodename": node["hypervisor_hostname"],
            "compute_node_id": node["id"], "compute_node_uuid": node["uuid"],
            "availability_zone": node["availability_zone"]}


def task_manager() -> manager.ComputeTaskManager:
    """A ComputeTaskManager over the fakes, building synchronously."""
    return manager.ComputeTaskManager("cond1", scheduler_api=FakeScheduler(),
                                      compute_api=FakeCompute(),
                                      build_pool=futurist.SynchronousExecutor())
