"""Microversion parsing and comparison (minova.api.api_version_request)."""

import pytest

from minova.api import api_version_request as api_version
from minova.api.api_version_request import APIVersionRequest


def test_compares_numerically():
    assert APIVersionRequest("2.10") > APIVersionRequest("2.9")
    assert APIVersionRequest("2.53") == APIVersionRequest("2.53")
    assert APIVersionRequest("3.0") > APIVersionRequest("2.104")


@pytest.mark.parametrize("text", ["2", "2.", "02.1", "2.01", "a.b", "2.1.1", "", "-2.1"])
def test_rejects_malformed(text):
    with pytest.raises(api_version.InvalidAPIVersionString):
        APIVersionRequest(text)


def test_matches_a_range():
    version = APIVersionRequest("2.11")
    assert version.matches("2.11")
    assert version.matches("2.1", "2.52")
    assert not version.matches("2.53")
    assert not version.matches("2.1", "2.10")
    assert version.matches(None, None)


@pytest.mark.parametrize("headers, expected", [
    ({}, None),
    ({"OpenStack-API-Version": "compute 2.5"}, "2.5"),
    ({"OpenStack-API-Version": "image 2.9, compute 2.7"}, "2.7"),
    ({"OpenStack-API-Version": "image 2.9"}, None),
    ({"X-OpenStack-Nova-API-Version": "2.3"}, "2.3"),
    ({"OpenStack-API-Version": "compute 2.4", "X-OpenStack-Nova-API-Version": "2.3"},
     "2.4"),
])
def test_requested_version_string(headers, expected):
    assert api_version.requested_version_string(headers) == expected


def test_from_headers(monkeypatch):
    monkeypatch.setattr(api_version, "MAX_API_VERSION", "2.60")
    assert api_version.from_headers({}) == APIVersionRequest("2.1")
    assert api_version.from_headers(
        {"OpenStack-API-Version": "compute latest"}) == APIVersionRequest("2.60")
    assert api_version.from_headers(
        {"OpenStack-API-Version": "compute 2.60"}) == APIVersionRequest("2.60")
    with pytest.raises(api_version.VersionNotAcceptable):
        api_version.from_headers({"OpenStack-API-Version": "compute 2.61"})
    with pytest.raises(api_version.VersionNotAcceptable):
        api_version.from_headers({"OpenStack-API-Version": "compute 1.1"})
    with pytest.raises(api_version.InvalidAPIVersionString):
        api_version.from_headers({"OpenStack-API-Version": "compute two"})
