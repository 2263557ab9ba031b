"""Schema validation: Nova's relaxations and wording."""

import pytest

from minova import exception
from minova.api import validation

SCHEMA = {
    "type": "object",
    "properties": {
        "thing": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 255, "format": "name"},
                "count": {"type": ["integer", "string"], "pattern": "^[0-9]*$", "minimum": 1},
                "ref": {"type": "string", "format": "uuid"},
                "data": {"type": "string", "format": "base64"},
            },
            "additionalProperties": False,
        },
    },
    "required": ["thing"],
    "additionalProperties": False,
}


@pytest.fixture
def validator():
    return validation.SchemaValidator(SCHEMA)


def _message(validator, body) -> str:
    with pytest.raises(exception.ValidationError) as info:
        validator.validate(body)
    assert info.value.code == 400
    return info.value.format_message()


def test_valid_body(validator):
    validator.validate({"thing": {"name": "a b", "count": "3",
                                  "ref": "155d900f-4e14-4e4c-a73d-069cbf4541e6",
                                  "data": "aGVsbG8=\n"}})


def test_missing_top_level_key(validator):
    assert _message(validator, {}) == "'thing' is a required property"


def test_field_message_names_the_field_and_value(validator):
    message = _message(validator, {"thing": {"ref": "not-a-uuid"}})
    assert message == ("Invalid input for field/attribute ref. Value: not-a-uuid. "
                       "'not-a-uuid' is not a 'uuid'")


@pytest.mark.parametrize("name", [" lead", "trail ", "tab\there", "\u00a0nbsp"])
def test_invalid_names(validator, name):
    assert _message(validator, {"thing": {"name": name}}) == (
        "An invalid 'name' value was provided. The name must be: printable characters. "
        "Can not start or end with whitespace.")


def test_numeric_string_minimum(validator):
    assert "less than the minimum of 1" in _message(validator, {"thing": {"count": "0"}})


def test_bad_base64(validator):
    assert "is not a 'base64'" in _message(validator, {"thing": {"data": "abc"}})


def test_schema_decorator_validates_before_calling():
    calls = []

    class Controller:
        @validation.schema(SCHEMA)
        def create(self, req, body):
            calls.append(body)

    with pytest.raises(exception.ValidationError):
        Controller().create(None, body={"other": 1})
    assert calls == []
    Controller().create(None, body={"thing": {}})
    assert calls == [{"thing": {}}]
