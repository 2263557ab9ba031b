"""Fixtures of the api unit tests: clean configuration and policy state, a client,
microversions beyond the advertised maximum."""

import pytest
from oslo_config import cfg

import minova.conf  # noqa: F401  (registers the options the api reads)
from minova import policy
from minova.api import api_version_request as api_version

from . import fakes


@pytest.fixture(autouse=True)
def clean_conf():
    """Each test gets freshly parsed defaults (no config files), response
    validation on, and a new enforcer.

    ``CONF.reset()`` afterwards drops every override a test set and the
    parsed state, so nothing leaks into the next test (or another package's).
    """
    cfg.CONF([], project="minova", default_config_files=[])
    # Every answer of every test is checked against its response schema (a
    # mismatch is a 500), which is how a view and its schema stay in step.
    cfg.CONF.set_override("response_validation", "error", group="api")
    policy.reset()
    yield cfg.CONF
    policy.reset()
    cfg.CONF.reset()


@pytest.fixture
def client() -> fakes.Client:
    return fakes.Client()


@pytest.fixture
def latest(monkeypatch):
    """Let requests ask for microversions above the advertised maximum (for
    tests of versions not advertised yet, and so tests need not follow it)."""
    monkeypatch.setattr(api_version, "MAX_API_VERSION", "2.999")
