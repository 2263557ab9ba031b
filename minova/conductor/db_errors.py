"""A lost database connection, as the conductor's callers see it: DatabaseUnavailable.

When MariaDB or PostgreSQL is down or fails over, an endpoint's query
raises the driver's error (PyMySQL 2003 "can't connect", 2013 "lost
connection", psycopg's OperationalError), wrapped by SQLAlchemy. Crossing
RPC as itself it is not a module the callers accept
(``minova.rpc.ALLOWED_EXMODS``), so it arrived as a RemoteError and the api
answered a generic 500. Translated here into
``minova.exception.DatabaseUnavailable``, it crosses as itself and the api
answers 503 with ``Retry-After``: the client may simply try again.

One place for every endpoint: ``cmd/conductor.py`` wraps each endpoint
object in ``Translating`` before the RPC server dispatches to it, so no
endpoint method needs its own handler. Only connection failures are
translated; every other database error (a constraint, a bad statement)
still fails as the bug it is.
"""

import functools
import inspect

import psycopg
import pymysql
import sqlalchemy as sa
from oslo_log import log as logging

from minova import exception

LOG = logging.getLogger(__name__)

# PyMySQL / MySQL client error codes of a connection that failed or broke:
# can't connect (local, TCP), server gone away, lost connection during a
# query, lost connection at handshake; and the server refusing new work
# while it shuts down.
MYSQL_CONNECTION_ERRORS = frozenset({2002, 2003, 2006, 2013, 2055, 1053})


def _driver_error_is_connection(error: BaseException) -> bool:
    if isinstance(error, (pymysql.err.OperationalError, pymysql.err.InterfaceError)):
        code = error.args[0] if error.args else None
        return isinstance(error, pymysql.err.InterfaceError) or code in MYSQL_CONNECTION_ERRORS
    if isinstance(error, psycopg.OperationalError):
        # No SQLSTATE: the connection itself failed; class 08 is "connection
        # exception", 57P0x the server shutting down or starting.
        state = getattr(error, "sqlstate", None)
        return state is None or state.startswith("08") or state.startswith("57P0")
    return False


def is_unreachable(error: BaseException) -> bool:
    """True if ``error`` means the database cannot be reached (for now)."""
    if isinstance(error, sa.exc.DisconnectionError):
        return True
    if isinstance(error, sa.exc.DBAPIError):
        return error.connection_invalidated or _driver_error_is_connection(error.orig)
    return _driver_error_is_connection(error)


def _translating(method):
    @functools.wraps(method)
    def call(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except Exception as error:
            if not is_unreachable(error):
                raise
            LOG.warning("%s: the database cannot be reached: %s", method.__name__, error)
            raise exception.DatabaseUnavailable() from error
    return call


class Translating:
    """An RPC endpoint whose public methods raise DatabaseUnavailable for a
    lost database connection; everything else (``target`` first) is the
    endpoint's own."""

    def __init__(self, endpoint) -> None:
        self._endpoint = endpoint

    def __getattr__(self, name: str):
        value = getattr(self._endpoint, name)
        # Methods only: ``target`` (an oslo.messaging Target) is callable too.
        if name.startswith("_") or not inspect.isroutine(value):
            return value
        return _translating(value)


def unwrap(endpoint):
    """The endpoint object itself (for tests and introspection)."""
    return endpoint._endpoint if isinstance(endpoint, Translating) else endpoint


def translating(endpoints: list) -> list:
    """Each of ``endpoints`` wrapped in Translating."""
    return [Translating(endpoint) for endpoint in endpoints]
