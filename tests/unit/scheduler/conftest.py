import pytest

import minova.conf

CONF = minova.conf.CONF


@pytest.fixture
def override():
    """Set config options for one test and put them back afterwards."""
    done = []

    def _override(name, value, group=None):
        CONF.set_override(name, value, group=group)
        done.append((name, group))

    yield _override
    for name, group in reversed(done):
        CONF.clear_override(name, group=group)
