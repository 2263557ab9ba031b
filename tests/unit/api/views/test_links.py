"""Link building."""

import pytest
from oslo_config import cfg

from minova.api import wsgi
from minova.api.views import links


def _request(url: str, script_name: str = "/v2.1", **environ) -> wsgi.Request:
    req = wsgi.Request.blank(url)
    req.environ["SCRIPT_NAME"] = script_name
    req.environ["PATH_INFO"] = req.environ["PATH_INFO"][len(script_name):]
    req.environ.update(environ)
    return req


@pytest.mark.parametrize("parts,expected", [
    (("http://h/v2.1", "", "servers", "x"), "http://h/v2.1/servers/x"),
    (("http://h/", "v2.1", ""), "http://h/v2.1/"),
    (("http://h/v2.1/", "p", "flavors"), "http://h/v2.1/p/flavors"),
])
def test_url_join(parts, expected):
    assert links.url_join(*parts) == expected


@pytest.mark.parametrize("href,expected", [
    ("http://h/v2.1", "http://h"),
    ("http://h/compute/v2.1", "http://h/compute"),
    ("http://h/v2", "http://h"),
    ("http://h/compute", "http://h/compute"),
])
def test_remove_trailing_version(href, expected):
    assert links.remove_trailing_version(href) == expected


def test_self_and_bookmark_behind_a_path_prefix():
    req = _request("http://h/compute/v2.1/servers", script_name="/compute/v2.1")
    assert links.resource_links(req, "servers", "abc") == [
        {"rel": "self", "href": "http://h/compute/v2.1/servers/abc"},
        {"rel": "bookmark", "href": "http://h/compute/servers/abc"},
    ]


def test_links_with_project_in_url():
    req = _request("http://h/v2.1/p1/servers", **{wsgi.ENV_URL_PROJECT_ID: "p1"})
    assert links.bookmark(req, "servers", "abc") == "http://h/p1/servers/abc"
    assert links.href(req, "servers", "abc") == "http://h/v2.1/p1/servers/abc"


def test_collection_links_only_when_page_is_full():
    req = _request("http://h/v2.1/servers?limit=2&name=x")
    items = [{"uuid": "a"}, {"uuid": "b"}]
    assert links.collection_links(req, items, "servers") == [
        {"rel": "next", "href": "http://h/v2.1/servers?limit=2&name=x&marker=b"}]
    assert links.collection_links(req, items[:1], "servers") == []


def test_collection_links_without_limit_use_max_limit():
    cfg.CONF.set_override("max_limit", 2, group="api")
    req = _request("http://h/v2.1/servers")
    assert links.collection_links(req, [{"uuid": "a"}, {"uuid": "b"}], "servers")


@pytest.mark.parametrize("url,script_name,environ", [
    ("http://h/v2.1/servers", "/v2.1", {}),
    ("http://h/compute/v2.1/servers", "/compute/v2.1", {}),
    ("http://h/v2/demo/servers", "/v2", {wsgi.ENV_URL_PROJECT_ID: "demo"}),
])
@pytest.mark.parametrize("identifier", ["00000000-0000-0000-0000-000000000001", "/x/", 7, ""])
def test_member_prefixes_make_the_same_links(url, script_name, environ, identifier):
    """A list view's prefix plus an id is the link href/bookmark make."""
    request = _request(url, script_name=script_name, **environ)
    versioned, bookmark = links.member_prefixes(request, "servers")
    member = str(identifier).strip("/")
    assert versioned + member == links.href(request, "servers", identifier)
    assert bookmark + member == links.bookmark(request, "servers", identifier)
