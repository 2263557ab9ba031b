"""The conductor's flavor access endpoints: which projects may use a private flavor.

The list itself travels with every flavor (``projects``, see
``minova.db.flavor_access``); these change it. Nova's rule that a public
flavor takes no access entries (2.7) depends on the microversion, so the
API checks it.
"""

import oslo_messaging as messaging
from oslo_log import log as logging

from minova.db import flavor_access as db_flavor_access

LOG = logging.getLogger(__name__)


class FlavorAccessManager:
    """Endpoints on the ``conductor`` topic for flavor access."""

    target = messaging.Target(version="1.7")

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def flavor_access_add(self, ctxt, flavorid: str, project_id: str) -> list[str]:
        """FlavorNotFound (404), FlavorAccessExists (409); the projects after."""
        projects = db_flavor_access.add(flavorid, project_id)
        LOG.info("Project %s given access to flavor %s", project_id, flavorid)
        return projects

    def flavor_access_remove(self, ctxt, flavorid: str, project_id: str) -> list[str]:
        """FlavorNotFound or FlavorAccessNotFound (404); the projects after."""
        projects = db_flavor_access.remove(flavorid, project_id)
        LOG.info("Access of project %s to flavor %s removed", project_id, flavorid)
        return projects
