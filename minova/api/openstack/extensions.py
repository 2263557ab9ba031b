"""``/extensions``: Nova's deprecated extension list, served as Nova serves it.

Nova answers every user with a fixed list (``extension_list``), which no
longer says what a site supports (its api-ref deprecates the concept);
clients such as Tempest look entries up by alias or name. The legacy v2
endpoint lists one more, as Nova's.
"""

import webob.exc

from minova import policy
from minova.api import validation, wsgi
from minova.api.openstack import extension_list
from minova.api.schemas import extensions as schema
from minova.policies import extensions as ext_policies

_NAMESPACE = "http://docs.openstack.org/compute/ext/fake_xml"
_UPDATED = "2014-12-03T00:00:00Z"


def _extensions(req: wsgi.Request) -> list[dict]:
    entries = list(extension_list.EXTENSIONS)
    if req.is_legacy_v2():
        entries = sorted(entries + list(extension_list.LEGACY_V2_ONLY))
    return [{"alias": alias, "name": name, "description": description, "links": [],
             "namespace": _NAMESPACE, "updated": _UPDATED}
            for alias, name, description in entries]


class ExtensionInfoController:
    """Controller of ``/extensions``."""

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request) -> dict:
        policy.authorize(req.context, ext_policies.BASE_POLICY_NAME, {})
        return {"extensions": _extensions(req)}

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, id: str) -> dict:
        """One extension, by alias."""
        policy.authorize(req.context, ext_policies.BASE_POLICY_NAME, {})
        for extension in _extensions(req):
            if extension["alias"] == id:
                return {"extension": extension}
        raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
