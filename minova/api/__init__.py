"""minova's REST API: a Nova v2.1-compatible WSGI application.

The api validates input, checks policy and turns a request into calls on
in-process facades (``minova.api.facades``), which talk RPC; no controller
holds an RPC client.
It never imports ``minova.db``: the conductor is the only database user.
Start with ``minova.api.app.make_app``.
"""
