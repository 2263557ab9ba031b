"""WSGI middleware of the api pipeline (request id, body size limit, auth)."""
