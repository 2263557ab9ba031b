"""Flavors, their extra specs and who may use a private one.

``FlavorAPI`` serves ``/flavors`` (reads and flavor-manage),
``/flavors/{id}/os-extra_specs`` and os-flavor-access. Reads return every
flavor: which ones a caller sees is Nova's flavor access rule
(``minova.objects.flavor_access``), applied by the controllers, which
sort and page over the visible ones.
"""

from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext


class FlavorAPI:
    """Flavors through the conductor."""

    def __init__(self, conductor_api: conductor_rpcapi.ConductorAPI) -> None:
        self.conductor_api = conductor_api

    def get_all(self, ctxt: RequestContext) -> list[dict]:
        """Every flavor, private and disabled ones too, each with its ``projects``."""
        return self.conductor_api.flavor_get_all(ctxt)

    def get(self, ctxt: RequestContext, flavorid: str) -> dict:
        """The flavor of API id ``flavorid`` (FlavorNotFound), whoever may see it."""
        return self.conductor_api.flavor_get(ctxt, flavorid)

    def create(self, ctxt: RequestContext, values: dict) -> dict:
        """FlavorExists (409) when its id or name is taken."""
        return self.conductor_api.flavor_create(ctxt, values)

    def update(self, ctxt: RequestContext, flavorid: str, values: dict) -> dict:
        """Set the ``description`` (API 2.55; the rest of a flavor never changes,
        servers keep a copy of it); the flavor after."""
        return self.conductor_api.flavor_update(ctxt, flavorid, values)

    def delete(self, ctxt: RequestContext, flavorid: str) -> None:
        """Servers built from it keep their copy of the flavor."""
        self.conductor_api.flavor_delete(ctxt, flavorid)

    def update_extra_specs(self, ctxt: RequestContext, flavorid: str, specs: dict) -> dict:
        """Merge ``specs`` (values already strings) into the flavor's; them all after."""
        return self.conductor_api.flavor_extra_specs_update(ctxt, flavorid, specs)

    def delete_extra_spec(self, ctxt: RequestContext, flavorid: str, key: str) -> None:
        """FlavorExtraSpecsNotFound (404) when the flavor has no such key."""
        self.conductor_api.flavor_extra_specs_delete(ctxt, flavorid, key)

    def add_access(self, ctxt: RequestContext, flavorid: str, project_id: str) -> list[str]:
        """Share the flavor with a project (FlavorAccessExists); its projects after."""
        return self.conductor_api.flavor_access_add(ctxt, flavorid, project_id)

    def remove_access(self, ctxt: RequestContext, flavorid: str,
                      project_id: str) -> list[str]:
        """Unshare it (FlavorAccessNotFound); the flavor's projects after."""
        return self.conductor_api.flavor_access_remove(ctxt, flavorid, project_id)
