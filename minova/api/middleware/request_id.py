"""Give every request an id, and every response the headers that carry it.

The id ("req-<uuid4>") is the RequestContext's request_id, so it appears
in every log line of every service that handles the request, and the
client gets it back in ``x-openstack-request-id`` (and, as Nova also sends,
``x-compute-request-id``) to quote in a bug report, on success and on error.
"""

import re
import uuid

import webob
import webob.dec

ENV_REQUEST_ID = "openstack.request_id"
ENV_GLOBAL_REQUEST_ID = "openstack.global_request_id"
HTTP_RESP_HEADER_REQUEST_ID = "x-openstack-request-id"
COMPUTE_RESP_HEADER_REQUEST_ID = "x-compute-request-id"
INBOUND_HEADER = "X-OpenStack-Request-ID"

_ID_FORMAT = re.compile(
    r"^req-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$"
)


def generate_request_id() -> str:
    return "req-" + str(uuid.uuid4())


class RequestIdMiddleware:
    """Outermost middleware: set the ids in the environ, echo them in headers.

    A well-formed inbound ``X-OpenStack-Request-ID`` (a caller's own id, e.g.
    another service's) is kept as the *global* request id, as
    oslo.middleware does; the local id is always minted here.
    """

    def __init__(self, application) -> None:
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req: webob.Request) -> webob.Response:
        request_id = generate_request_id()
        req.environ[ENV_REQUEST_ID] = request_id
        inbound = req.headers.get(INBOUND_HEADER)
        if inbound and _ID_FORMAT.match(inbound):
            req.environ[ENV_GLOBAL_REQUEST_ID] = inbound
        response = req.get_response(self.application)
        response.headers[HTTP_RESP_HEADER_REQUEST_ID] = request_id
        response.headers[COMPUTE_RESP_HEADER_REQUEST_ID] = request_id
        return response
