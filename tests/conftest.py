"""Fixtures shared by every test package, and each test's marker by directory."""

import pathlib

import pytest
from oslo_config import cfg

from minova import conf  # noqa: F401  (registers every option)
from minova import context as minova_context

CONF = cfg.CONF

TESTS_DIR = pathlib.Path(__file__).resolve().parent
# tests/<directory>/... gets the marker of that name (registered in pyproject.toml),
# so ``-m unit``, ``-m functional`` and ``-m libvirt`` pick a kind of test without
# each module having to say what it is.
DIRECTORY_MARKERS = ("unit", "functional", "libvirt")


def pytest_collection_modifyitems(config, items):
    for item in items:
        try:
            directory = item.path.resolve().relative_to(TESTS_DIR).parts[0]
        except ValueError:  # a test outside tests/
            continue
        if directory in DIRECTORY_MARKERS:
            item.add_marker(directory)


@pytest.fixture(autouse=True)
def _clean_conf():
    """Each test starts from the defaults, whatever the previous one overrode."""
    CONF([], project="minova", default_config_files=[])
    yield
    CONF.reset()


@pytest.fixture
def sqlite_db(tmp_path):
    """A fresh, migrated SQLite database as this process's engine."""
    from minova.db import engine, migration

    db_engine = engine.create_engine(f"sqlite:///{tmp_path}/minova.sqlite")
    migration.db_sync(db_engine)
    engine.set_engine(db_engine)
    yield db_engine
    engine.set_engine(None)


@pytest.fixture
def admin_ctxt():
    return minova_context.RequestContext(user_id="admin", project_id="admin", is_admin=True,
                                         roles=["admin"])


@pytest.fixture
def ctxt_factory():
    def make(project="p1", user="u1", admin=False):
        return minova_context.RequestContext(user_id=user, project_id=project, is_admin=admin,
                                             roles=["admin"] if admin else ["member"])
    return make
