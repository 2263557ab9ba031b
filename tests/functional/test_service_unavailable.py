"""With its conductors stopped, the api answers 503 with Retry-After within a bound.

A dead (here: stopped) conductor used to hold ``POST /servers`` for the RPC
timeout and then answer a generic 500. Now every call from the api waits at
most ``[api] conductor_timeout`` and a create is sent ``[api]
create_attempts`` times (with the same instance uuids, so it is never made
twice): the bound asserted below is that product plus slack.
"""

import signal
import time

CONDUCTOR_TIMEOUT = 2
CREATE_ATTEMPTS = 2
SLACK = 3.0  # process scheduling, the broker, the first connection
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


def _timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def _assert_503(result):
    status, body, headers = result
    assert status == 503, (status, body)
    assert int(headers["retry-after"]) > 0
    assert body["serviceUnavailable"]["code"] == 503
    assert body["serviceUnavailable"]["message"].startswith(
        "Service is unavailable at this time")


def test_stopped_conductors_are_503_with_retry_after_within_the_bound(deploy):
    deployment = deploy(computes=("compute1",), conductors=2,
                        conf={"api": {"conductor_timeout": CONDUCTOR_TIMEOUT,
                                      "create_attempts": CREATE_ATTEMPTS},
                              "conductor": {"workers": 1}})
    api = deployment.api.as_user("alice:projOutage")
    assert api.get("/v2.1/servers")[0] == 200
    conductors = [deployment.procs[name] for name in ("conductor", "conductor2")]
    for proc in conductors:
        proc.send_signal(signal.SIGSTOP)
    try:
        result, took = _timed(lambda: api.post("/v2.1/servers", {"server": {
            "name": "during-outage", "flavorRef": "1", "imageRef": IMAGE}}))
        _assert_503(result)
        assert took < CONDUCTOR_TIMEOUT * CREATE_ATTEMPTS + SLACK, took

        result, took = _timed(lambda: api.get("/v2.1/servers"))
        _assert_503(result)
        assert took < CONDUCTOR_TIMEOUT + SLACK, took
    finally:
        for proc in conductors:
            proc.send_signal(signal.SIGCONT)

    # Back: creates and lists work again, and the create the api sent twice
    # during the outage (if the conductors got it at all) made one server.
    server_id = api.create_server("after-outage")
    api.wait_for_status(server_id, ("ACTIVE",))
    status, body, _ = api.get("/v2.1/servers/detail")
    assert status == 200
    names = [s["name"] for s in body["servers"]]
    assert names.count("after-outage") == 1 and names.count("during-outage") <= 1
