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


class FakeCompute:
    """Records the builds and terminates cast to each host."""

    def __init__(self):
        self.builds, self.terminates = [], []
        self.builds_with_instances = []

    def build_and_run_instance(self, ctxt, host, instance, node, request_spec, alternates):
        self.builds.append((host, instance["uuid"], alternates))
        self.builds_with_instances.append((host, instance["uuid"], instance))

    def terminate_instance(self, ctxt, host, instance):
        self.terminates.append((host, instance["uuid"]))


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
