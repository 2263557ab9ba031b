"""The image API: a subset of Glance's v2 API, served by minova-api under ``/image``.

Image records go through the conductor like every other record (this
package never imports the database layer); image bytes go to the api
host's filesystem store (``store``: it is here because this service, and
``minova-manage image import`` on the same host, are all that use it;
compute hosts download over HTTP with ``minova.image.api``). Errors are
answered in Nova's JSON fault format (``minova.api.faults``), not Glance's
HTML/plain text bodies, so one client error parser works for the whole
endpoint.
"""
