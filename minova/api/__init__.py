"""minova's REST API: a Nova v2.1-compatible WSGI application.

The api validates input, checks policy and turns a request into calls on
two injected objects (a compute API facade and the conductor's RPC client).
It never imports ``minova.db``: the conductor is the only database user.
Start with ``minova.api.app.make_app``.
"""
