"""The accounting checker catches each way the books can go wrong (on SQLite: cheap)."""

import datetime
import uuid

import pytest
import sqlalchemy as sa

from minova.db import models
from tests.functional.faults.accounting import AccountingError, check_accounting

NOW = datetime.datetime(2024, 1, 1)
FLAVOR = {"vcpus": 2, "memory_mb": 512, "root_gb": 10, "ephemeral_gb": 0, "swap": 0}


@pytest.fixture
def books(sqlite_db):
    """Two nodes (room for 4 vCPUs each) and a way to place instances on them,
    keeping usage in step as a claim does."""
    with sqlite_db.begin() as conn:
        for node_id, host in ((1, "h1"), (2, "h2")):
            conn.execute(sa.insert(models.services).values(
                id=node_id, uuid=str(uuid.uuid4()), host=host, binary="minova-compute",
                topic="compute", created_at=NOW))
            conn.execute(sa.insert(models.compute_nodes).values(
                id=node_id, uuid=str(uuid.uuid4()), service_id=node_id, host=host,
                hypervisor_hostname=host, hypervisor_type="fake", availability_zone="nova",
                vcpus=2, memory_mb=4096, local_gb=100, cpu_allocation_ratio=2.0,
                ram_allocation_ratio=1.0, disk_allocation_ratio=1.0, created_at=NOW))

    def place(host: str | None, node_id: int | None = None, vm_state: str = "active",
              allocate: bool = True, count_usage: bool = True) -> str:
        instance_uuid = str(uuid.uuid4())
        with sqlite_db.begin() as conn:
            conn.execute(sa.insert(models.instances).values(
                uuid=instance_uuid, display_name="vm", project_id="p", user_id="u",
                flavor=FLAVOR, vcpus=2, memory_mb=512, root_gb=10, host=host, node=host,
                vm_state=vm_state, created_at=NOW))
            if allocate:
                conn.execute(sa.insert(models.allocations).values(
                    instance_uuid=instance_uuid, compute_node_id=node_id, vcpus=2,
                    memory_mb=512, disk_gb=10, created_at=NOW))
            if count_usage:
                add_usage(conn, node_id, 1)
        return instance_uuid

    def add_usage(conn, node_id, n):
        node = models.compute_nodes.c
        conn.execute(sa.update(models.compute_nodes).where(node.id == node_id).values(
            vcpus_used=node.vcpus_used + 2 * n, memory_mb_used=node.memory_mb_used + 512 * n,
            local_gb_used=node.local_gb_used + 10 * n, running_vms=node.running_vms + n))

    place.add_usage = add_usage
    place.engine = sqlite_db
    return place


def problems(engine, **kw) -> list[str]:
    with pytest.raises(AccountingError) as caught:
        check_accounting(engine, **kw)
    return caught.value.problems


def test_balanced_books_pass(books):
    books("h1", 1)
    books("h1", 1)
    books("h2", 2, vm_state="error")  # an ERROR instance on a host keeps its claim
    books(None, allocate=False, count_usage=False, vm_state="error")  # never placed
    assert check_accounting(books.engine) == {"h1": 2, "h2": 1}


def test_orphaned_allocation(books):
    gone = books("h1", 1)
    with books.engine.begin() as conn:
        conn.execute(sa.update(models.instances).where(models.instances.c.uuid == gone)
                     .values(deleted=1))
    [problem] = problems(books.engine)
    assert "orphaned allocation on h1" in problem and gone in problem


def test_placed_instance_without_allocation(books):
    lost = books("h2", allocate=False, count_usage=False)
    [problem] = problems(books.engine)
    assert problem == f"instance {lost} (active) is on h2 without an allocation"


def test_allocation_on_another_node_than_the_instance(books):
    books("h1", 2)
    found = problems(books.engine)
    assert any("is on h2 but the instance is on h1" in p for p in found), found


def test_usage_counted_twice(books):
    books("h1", 1)
    with books.engine.begin() as conn:
        books.add_usage(conn, 1, 1)  # a claim applied twice to the counters
    found = problems(books.engine)
    assert "h1: vcpus_used = 4 but its allocations sum to 2" in found
    assert "h1: running_vms = 2 but it has 1 allocations" in found


def test_above_capacity(books):
    for _ in range(3):  # 3 x 2 vCPUs on a node with room for 2 x 2.0 = 4
        books("h1", 1)
    found = problems(books.engine)
    assert found == ["h1: vcpus used 6 (allocated 6) above capacity 4"]


def test_allocation_not_the_flavors_size(books):
    instance_uuid = books("h1", 1)
    with books.engine.begin() as conn:
        conn.execute(sa.update(models.instances).where(
            models.instances.c.uuid == instance_uuid).values(flavor={**FLAVOR, "vcpus": 1}))
    found = problems(books.engine)
    assert any("its flavor claims {'vcpus': 1" in p for p in found), found


def test_build_left_over(books):
    stuck = books("h1", 1, vm_state="building")
    [problem] = problems(books.engine)
    assert problem.startswith("1 instance(s) still in BUILD") and stuck in problem
    assert check_accounting(books.engine, allow_building=True) == {"h1": 1, "h2": 0}
