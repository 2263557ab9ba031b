"""Fixtures of the api unit tests: clean configuration and policy state, a client."""

import pytest
from oslo_config import cfg

import minova.conf  # noqa: F401  (registers the options the api reads)
from minova import policy

from . import fakes


@pytest.fixture(autouse=True)
def clean_conf():
    """Each test gets freshly parsed defaults (no config files) and a new enforcer.

    ``CONF.reset()`` afterwards drops every override a test set and the
    parsed state, so nothing leaks into the next test (or another package's).
    """
    cfg.CONF([], project="minova", default_config_files=[])
    policy.reset()
    yield cfg.CONF
    policy.reset()
    cfg.CONF.reset()


@pytest.fixture
def client() -> fakes.Client:
    return fakes.Client()
