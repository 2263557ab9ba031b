"""A lost database connection in any conductor endpoint crosses RPC as DatabaseUnavailable."""

import oslo_messaging as messaging
import psycopg
import pymysql
import pytest
import sqlalchemy as sa

from minova import exception
from minova.conductor import db_errors


def _wrapped(orig: Exception) -> sa.exc.DBAPIError:
    return sa.exc.OperationalError("SELECT 1", {}, orig)


@pytest.mark.parametrize("error", [
    _wrapped(pymysql.err.OperationalError(2003, "Can't connect to MySQL server")),
    _wrapped(pymysql.err.OperationalError(2013, "Lost connection to MySQL server")),
    _wrapped(pymysql.err.InterfaceError(0, "")),
    _wrapped(psycopg.OperationalError("connection failed: Connection refused")),
    sa.exc.DisconnectionError("connection invalidated"),
    pymysql.err.OperationalError(2006, "MySQL server has gone away"),
], ids=["mysql-2003", "mysql-2013", "mysql-interface", "psycopg", "sa-disconnect", "raw"])
def test_connection_failures_are_unreachable(error):
    assert db_errors.is_unreachable(error)


@pytest.mark.parametrize("error", [
    sa.exc.IntegrityError("INSERT", {}, pymysql.err.IntegrityError(1062, "Duplicate")),
    _wrapped(pymysql.err.OperationalError(1054, "Unknown column")),
    ValueError("not a database error"),
], ids=["integrity", "bad-column", "other"])
def test_other_errors_are_not(error):
    assert not db_errors.is_unreachable(error)


class Endpoint:
    target = messaging.Target(version="1.10")

    def __init__(self, error: Exception | None) -> None:
        self.error = error

    def instance_get(self, ctxt, instance_uuid):
        if self.error:
            raise self.error
        return {"uuid": instance_uuid}


def test_an_endpoint_losing_its_database_raises_database_unavailable():
    endpoint = db_errors.translating(
        [Endpoint(_wrapped(pymysql.err.OperationalError(2013, "Lost connection")))])[0]
    with pytest.raises(exception.DatabaseUnavailable) as err:
        endpoint.instance_get(None, instance_uuid="u1")
    assert err.value.code == 503
    assert isinstance(err.value.__cause__, sa.exc.OperationalError)


def test_everything_else_is_the_endpoints_own():
    [endpoint] = db_errors.translating([Endpoint(None)])
    assert endpoint.instance_get(None, instance_uuid="u1") == {"uuid": "u1"}
    assert endpoint.target is Endpoint.target
    assert isinstance(db_errors.unwrap(endpoint), Endpoint)
    [failing] = db_errors.translating([Endpoint(exception.InstanceNotFound(instance_id="u"))])
    with pytest.raises(exception.InstanceNotFound):
        failing.instance_get(None, instance_uuid="u")


def test_oslo_messaging_dispatches_to_the_wrapped_endpoint():
    """What the conductor's RPC server does with each message, on the wrapper."""
    from oslo_messaging.rpc import dispatcher as rpc_dispatcher

    from minova import rpc

    dispatcher = rpc_dispatcher.RPCDispatcher(
        db_errors.translating([Endpoint(_wrapped(psycopg.OperationalError("gone")))]),
        rpc.RequestContextSerializer())

    class Incoming:
        ctxt = {"request_id": "req-1"}
        client_timeout = None
        message = {"method": "instance_get", "args": {"instance_uuid": "u1"},
                   "version": "1.10"}

    with pytest.raises(exception.DatabaseUnavailable):
        dispatcher.dispatch(Incoming())
