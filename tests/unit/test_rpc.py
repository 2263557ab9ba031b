"""The message bus glue: context travels, user errors stay quiet in the logs."""

import logging
import sys

from minova import context, exception, rpc


def _record(error: Exception) -> logging.LogRecord:
    try:
        raise error
    except Exception:
        return logging.LogRecord("oslo_messaging.rpc.server", logging.ERROR, __file__, 1,
                                 "Exception during message handling", None, sys.exc_info())


def test_user_errors_are_not_logged_but_faults_are():
    quiet = rpc._QuietUserErrors()
    assert quiet.filter(_record(exception.InstanceNotFound(instance_id="x"))) is False
    assert quiet.filter(_record(exception.FlavorNotFoundForBuild(flavor_id="x"))) is False
    assert quiet.filter(_record(exception.NoValidHost(reason="r"))) is True
    assert quiet.filter(_record(KeyError("bug"))) is True


def test_serializer_round_trips_the_request_context():
    serializer = rpc.RequestContextSerializer()
    ctxt = context.RequestContext(user_id="u", project_id="p", is_admin=False,
                                  remote_address="10.0.0.1")
    restored = serializer.deserialize_context(serializer.serialize_context(ctxt))
    assert (restored.user_id, restored.project_id, restored.is_admin) == ("u", "p", False)
    assert restored.request_id == ctxt.request_id
    assert restored.remote_address == "10.0.0.1"
    elevated = restored.elevated()
    assert elevated.is_admin and not restored.is_admin
