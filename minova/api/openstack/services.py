"""``GET /os-services``: every service and whether it is up, for admins."""

from minova import policy
from minova.api import wsgi
from minova.api.views import services as services_view
from minova.policies import services as services_policies


class ServicesController:
    """Controller of ``/os-services`` (list only, with ``host``/``binary`` filters)."""

    def __init__(self, conductor_api) -> None:
        self.conductor_api = conductor_api

    def index(self, req: wsgi.Request) -> dict:
        context = req.context
        policy.authorize(context, services_policies.BASE_POLICY_NAME % "list", {})
        services = self.conductor_api.service_get_all(
            context, binary=req.GET.get("binary"), host=req.GET.get("host"))
        return {"services": [services_view.show(service) for service in services]}
