"""The server list's regex filters: Nova's semantics per backend, linear-time matching."""

import datetime

import pytest

from minova import exception
from minova.objects import list_regex


@pytest.mark.parametrize("pattern", [r"(a)\1", "(?=a)b", "(?<!a)b",
                                     "((((a{100}){100}){100}){100})"])
def test_what_cannot_be_matched_in_bounded_time_is_a_400(pattern):
    with pytest.raises(exception.ValidationError) as err:
        list_regex.check("name", pattern)
    assert err.value.code == 400
    assert err.value.format_message().startswith(
        f"Invalid input for query parameters name. Value: {pattern}.")


@pytest.mark.parametrize("pattern", ["^web", r"^(web|db)-\d+$", "[[:alpha:]]+", "(?P<n>x)",
                                     "^(a+)+$", "(a|a)*b"])
def test_ordinary_and_pathological_patterns_are_accepted(pattern):
    list_regex.check("name", pattern)


def test_pathological_pattern_answers_correctly():
    """What takes a backtracking engine 2^n steps is one pass for RE2."""
    compiled = list_regex.compile_pattern("^(a+)+$", "mysql")
    assert compiled.search("a" * 100_000 + "b") is None
    assert compiled.search("a" * 100_000) is not None


def test_on_mysql_the_bar_is_literal_and_case_is_ignored():
    """Nova's _safe_regex_mysql, and MariaDB's _ci collation."""
    mysql = list_regex.compile_pattern("^web|db$", "mysql")
    assert mysql.search("WEB|DB") and not mysql.search("web")
    postgres = list_regex.compile_pattern("^web|db$", "postgresql")
    assert postgres.search("web") and postgres.search("db") and not postgres.search("WEB")
    assert not list_regex.compile_pattern("web", "sqlite").search("Web")


@pytest.mark.parametrize("value, text", [
    (None, None), (1, "1"), (True, "1"), ("x", "x"),
    (datetime.datetime(2026, 11, 21, 6, 0, 0), "2026-11-21 06:00:00"),
    ({"a": 1}, '{"a": 1}'),
])
def test_values_are_matched_as_the_database_writes_them(value, text):
    assert list_regex.as_text(value) == text


def test_every_pattern_must_match_and_null_matches_nothing():
    matcher = list_regex.Matcher({"display_name": "^web", "key_name": "key$"}, "sqlite")
    assert matcher.matches({"display_name": "web-1", "key_name": "my-key"})
    assert not matcher.matches({"display_name": "web-1", "key_name": None})
    assert not matcher.matches({"display_name": "db-1", "key_name": "my-key"})


def test_a_pattern_refused_in_the_conductor_is_invalid_input():
    with pytest.raises(exception.InvalidInput):
        list_regex.Matcher({"display_name": r"(a)\1"}, "mysql")


def test_a_list_over_its_matching_budget_is_a_400():
    now = [0.0]
    matcher = list_regex.Matcher({"display_name": "a"}, "sqlite", clock=lambda: now[0])
    assert matcher.matches({"display_name": "a"})
    now[0] = list_regex.MATCH_BUDGET
    assert matcher.matches({"display_name": "a"})
    now[0] = list_regex.MATCH_BUDGET + 0.01
    with pytest.raises(exception.InvalidInput) as err:
        matcher.matches({"display_name": "a"})
    assert err.value.code == 400
