"""The conductor's ComputeTaskManager on a migrated SQLite database with the
default flavors, its scheduler and compute clients replaced by the fakes of
fakes.py. A module overrides ``scheduler_api`` or ``compute_api`` for others."""

import futurist
import pytest

from minova.conductor import manager
from minova.db import flavors
from tests.unit.conductor import fakes


@pytest.fixture
def scheduler_api():
    return fakes.FakeScheduler()


@pytest.fixture
def compute_api():
    return fakes.FakeCompute()


@pytest.fixture
def conductor(sqlite_db, scheduler_api, compute_api):
    flavors.bootstrap()
    # A synchronous pool: the tests check what a build did right after it.
    return manager.ComputeTaskManager("cond1", scheduler_api=scheduler_api,
                                      compute_api=compute_api,
                                      build_pool=futurist.SynchronousExecutor())
