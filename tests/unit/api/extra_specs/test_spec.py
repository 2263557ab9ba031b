"""A Spec: its name template and the check of a value, in Nova's words."""

import pytest

from minova import exception
from minova.api.extra_specs.spec import Spec


def _message(spec: Spec, value: str) -> str:
    with pytest.raises(exception.ValidationError) as caught:
        spec.check_value(value)
    return caught.value.format_message()


def test_parameters_become_regexes_and_literal_text_stays_literal():
    spec = Spec("hw:numa_cpus.{node}", params={"node": r"\d+"})
    assert spec.matches("hw:numa_cpus.0") and spec.matches("hw:numa_cpus.12")
    assert not spec.matches("hw:numa_cpus.x")
    assert not spec.matches("hw:numa_cpusX0")  # the dot is not a wildcard
    assert not spec.matches("hw:numa_cpus.0.1")
    assert not spec.is_literal and Spec("hw:pmu", bool).is_literal


def test_namespace_regex():
    assert Spec("hw:pmu", bool).namespace_regex == "hw"
    assert Spec("group_policy").namespace_regex is None
    grouped = Spec("trait{group}:{trait}", params={"group": "[a-z]?", "trait": "[A-Z]+"})
    assert grouped.namespace_regex == "trait(?:[a-z]?)"


@pytest.mark.parametrize("value", ["0", "7", " 8 ", "+3"])
def test_int_within_bounds(value):
    Spec("x:n", int, min=0, max=10).check_value(value)


def test_int_messages():
    spec = Spec("x:n", int, min=1, max=10)
    assert _message(spec, "1.5") == "Validation failed; '1.5' is not a valid integer value."
    assert _message(spec, "") == "Validation failed; '' is not a valid integer value."
    assert _message(spec, "11") == (
        "Validation failed; '11' is greater than the max value of '10'.")
    assert _message(spec, "0") == "Validation failed; '0' is less than the min value of '1'."


@pytest.mark.parametrize("value", ["true", "False", "1", "0", "yes", "off", "T", "n"])
def test_boolean_like_values(value):
    Spec("x:b", bool).check_value(value)


@pytest.mark.parametrize("value", ["maybe", "2", "", "truthy"])
def test_not_boolean_like(value):
    assert _message(Spec("x:b", bool), value) == (
        f"Validation failed; '{value}' is not a valid boolean-like value.")


def test_enum():
    spec = Spec("x:e", enum=("a", "b"))
    spec.check_value("b")
    assert _message(spec, "c") == "Validation failed; 'c' is not one of: a, b."


def test_pattern_must_match_the_whole_value():
    spec = Spec("x:p", pattern=r"\d+")
    spec.check_value("42")
    assert _message(spec, "42a") == r"Validation failed; '42a' is not of the format '\d+'."


def test_a_plain_string_takes_anything():
    Spec("x:s").check_value("<or> anything at all")


def test_unsupported_type_is_a_programming_error():
    with pytest.raises(ValueError):
        Spec("x:f", float)
