"""URL routing with a routes Mapper, and Nova's 404 / 405 answers.

Each route names a Resource and an action. Every route is also reachable
under ``/{project_id}`` (Nova's legacy URL form, kept for old clients); the
Resource checks that project against the caller's.
"""

from collections.abc import Callable

import routes
import webob.exc

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


class Router:
    """WSGI app dispatching on (path, method) to a Resource."""

    def __init__(self) -> None:
        self.map = routes.Mapper()

    def connect(self, path: str, method: str, resource: Callable, action: str) -> None:
        """Route ``method path`` (and ``method /{project_id}path``) to ``action``.

        A GET route answers HEAD too (load balancers' health checks use it).
        """
        methods = [method, "HEAD"] if method == "GET" else [method]
        for template in (path, "/{project_id}" + path):
            self.map.connect(template, controller=resource, action=action,
                             conditions={"method": methods})

    def _allowed_methods(self, environ: dict) -> list[str]:
        allowed = []
        for method in _METHODS:
            probe = dict(environ, REQUEST_METHOD=method)
            if self.map.routematch(environ=probe):
                allowed.append(method)
        return allowed

    def __call__(self, environ: dict, start_response: Callable):
        match = self.map.routematch(environ=environ)
        if not match:
            allowed = self._allowed_methods(environ)
            if allowed:
                raise webob.exc.HTTPMethodNotAllowed(
                    explanation="The method specified is not allowed for this resource.",
                    headers=[("Allow", ", ".join(allowed))],
                )
            raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
        args, _route = match
        environ["wsgiorg.routing_args"] = ((), args)
        return args["controller"](environ, start_response)
