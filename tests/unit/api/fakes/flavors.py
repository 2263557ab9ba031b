"""A fake of ``minova.compute.flavor_api.FlavorAPI`` over four canned flavors."""

import copy

from minova import exception

from .base import FakeFacade
from .data import make_flavor


class FakeFlavorAPI(FakeFacade):
    """Flavors ``1`` and ``2`` (public), ``3`` (private, shared with nobody) and
    ``4`` (disabled), with the conductor's errors."""

    MUTATING = ("create", "update", "delete", "update_extra_specs", "delete_extra_spec",
                "add_access", "remove_access")

    def __init__(self) -> None:
        super().__init__()
        self.flavors = {
            "1": make_flavor("1", "m1.tiny", 512, 1, 1),
            "2": make_flavor("2", "m1.small", 2048, 1, 20, swap=512),
            "3": make_flavor("3", "m1.secret", 4096, 2, 40, is_public=False),
            "4": make_flavor("4", "m1.old", 1024, 1, 10, disabled=True),
        }

    def _flavor(self, flavorid: str) -> dict:
        if flavorid not in self.flavors:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        return self.flavors[flavorid]

    def get_all(self, ctxt):
        self._call("get_all")
        return copy.deepcopy(list(self.flavors.values()))

    def get(self, ctxt, flavorid):
        self._call("get", flavorid=flavorid)
        return copy.deepcopy(self._flavor(flavorid))

    def create(self, ctxt, values):
        self._call("create", values=values)
        if values["flavorid"] in self.flavors:
            raise exception.FlavorExists(key="flavorid", value=values["flavorid"])
        if any(f["name"] == values["name"] for f in self.flavors.values()):
            raise exception.FlavorExists(key="name", value=values["name"])
        flavor = make_flavor(values["flavorid"], values["name"], **{
            k: v for k, v in values.items() if k not in ("flavorid", "name")})
        self.flavors[values["flavorid"]] = flavor
        return copy.deepcopy(flavor)

    def update(self, ctxt, flavorid, values):
        self._call("update", flavorid=flavorid, values=values)
        self._flavor(flavorid).update(values)
        return copy.deepcopy(self.flavors[flavorid])

    def delete(self, ctxt, flavorid):
        self._call("delete", flavorid=flavorid)
        self._flavor(flavorid)
        del self.flavors[flavorid]

    def update_extra_specs(self, ctxt, flavorid, specs):
        self._call("update_extra_specs", flavorid=flavorid, specs=specs)
        self._flavor(flavorid)["extra_specs"].update(specs)
        return copy.deepcopy(self.flavors[flavorid]["extra_specs"])

    def delete_extra_spec(self, ctxt, flavorid, key):
        self._call("delete_extra_spec", flavorid=flavorid, key=key)
        if key not in self._flavor(flavorid)["extra_specs"]:
            raise exception.FlavorExtraSpecsNotFound(flavor_id=flavorid, extra_specs_key=key)
        del self.flavors[flavorid]["extra_specs"][key]

    def add_access(self, ctxt, flavorid, project_id):
        self._call("add_access", flavorid=flavorid, project_id=project_id)
        projects = self._flavor(flavorid).setdefault("projects", [])
        if project_id in projects:
            raise exception.FlavorAccessExists(flavor_id=flavorid, project_id=project_id)
        projects.append(project_id)
        return sorted(projects)

    def remove_access(self, ctxt, flavorid, project_id):
        self._call("remove_access", flavorid=flavorid, project_id=project_id)
        projects = self._flavor(flavorid).setdefault("projects", [])
        if project_id not in projects:
            raise exception.FlavorAccessNotFound(flavor_id=flavorid, project_id=project_id)
        projects.remove(project_id)
        return sorted(projects)
