"""The OpenAPI 3.1 description of the v2.1 API, served at ``/v2.1/openapi.json``.

Built from what the API itself runs on, so it cannot drift: the URL table
(``minova.api.openstack.routes.route_table``), the request schemas the
controllers validate with and the response schemas they are checked
against (``minova.api.validation``).
"""
