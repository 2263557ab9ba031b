"""Fixtures that start real minova deployments (see deployment.py)."""

import pytest

from tests.functional.deployment import Deployment


@pytest.fixture
def deploy(tmp_path):
    """Start a deployment with the given options; always stopped and cleaned up."""
    started = []

    def _deploy(**kwargs) -> Deployment:
        deployment = Deployment(tmp_path, **kwargs)
        started.append(deployment)
        return deployment.start()

    yield _deploy
    for deployment in started:
        try:
            deployment.stop()
        finally:
            deployment.cleanup()


@pytest.fixture(scope="module")
def shared_mysql(tmp_path_factory):
    """One MariaDB deployment shared by a module's read-mostly tests."""
    deployment = Deployment(tmp_path_factory.mktemp("shared"), backend="mysql")
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


@pytest.fixture
def spawn_hold(deploy, tmp_path):
    """A file that holds builds in spawning: a compute whose ``[fake_driver]
    spawn_hold_path`` is this file does not end a spawn while it exists. The
    test removes it to release them; failing that, it goes before the
    deployments stop."""
    path = tmp_path / "spawn-hold"
    path.touch()
    yield path
    path.unlink(missing_ok=True)
