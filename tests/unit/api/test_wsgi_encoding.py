"""wsgi.encode_body: the bytes json.dumps writes, without its cycle check."""

import json

import pytest

from minova.api import wsgi


def test_a_body_is_what_json_dumps_writes():
    shared = {"rel": "bookmark", "href": "http://h/images/1"}
    body = {"servers": [{"id": "a", "name": "é ünïcode", "image": shared, "n": 1.5,
                         "ok": True, "none": None},
                        {"id": "b", "name": "b", "image": shared, "list": []}]}
    assert wsgi.encode_body(body) == json.dumps(body).encode("utf-8")
    assert wsgi.serialize(body, 200).body == json.dumps(body).encode("utf-8")


def test_a_cycle_still_fails_rather_than_loops():
    looped: dict = {"a": []}
    looped["a"].append(looped)
    with pytest.raises(RecursionError):
        wsgi.encode_body(looped)
