"""Schema validation: Nova's relaxations and wording."""

import pytest

from minova import exception
from minova.api import api_version_request as api_version
from minova.api import validation, wsgi

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


class _Request:
    """Just enough of wsgi.Request: the microversion it is served at."""

    def __init__(self, version: str = "2.1") -> None:
        self.version = api_version.APIVersionRequest(version)

    def is_microversion(self, min_version, max_version=None) -> bool:
        return self.version.matches(min_version, max_version)

    def is_legacy_v2(self) -> bool:
        return False


RESPONSE = {"type": "object", "properties": {"id": {"type": "integer"}},
            "required": ["id"], "additionalProperties": False}
RESPONSE_V25 = {"type": "object", "properties": {"id": {"type": "string"}},
                "required": ["id"], "additionalProperties": False}


class _Controller:
    def __init__(self, answer) -> None:
        self.answer = answer

    @validation.response_body_schema(RESPONSE, "2.1", "2.4")
    @validation.response_body_schema(RESPONSE_V25, "2.5")
    @validation.schema(SCHEMA, "2.1", "2.4")
    @validation.schema({"type": "object"}, "2.5")
    def create(self, req, body=None):
        return self.answer


def test_decorators_record_their_schemas_for_the_openapi_document():
    method = _Controller.create
    assert method.request_schemas == [(SCHEMA, "2.1", "2.4"), ({"type": "object"}, "2.5", None)]
    assert method.response_schemas == [(RESPONSE, "2.1", "2.4"), (RESPONSE_V25, "2.5", None)]


def test_response_checked_against_the_schema_of_its_version(clean_conf):
    assert _Controller({"id": 1}).create(_Request("2.1"), body={"thing": {}}) == {"id": 1}
    answer = wsgi.ResponseObject({"id": "a"}, code=201)
    assert _Controller(answer).create(_Request("2.5"), body={}) is answer
    with pytest.raises(exception.ResponseValidationError) as info:
        _Controller({"id": "a"}).create(_Request("2.4"), body={"thing": {}})
    assert info.value.code == 500
    with pytest.raises(exception.ResponseValidationError):
        _Controller(wsgi.ResponseObject({"id": 1, "x": 2})).create(_Request("2.5"), body={})


def test_response_validation_warns_or_ignores(clean_conf, caplog):
    clean_conf.set_override("response_validation", "warn", group="api")
    assert _Controller({"id": "a"}).create(_Request(), body={"thing": {}}) == {"id": "a"}
    assert "does not match its schema" in caplog.text
    caplog.clear()
    clean_conf.set_override("response_validation", "ignore", group="api")
    assert _Controller({"id": "a"}).create(_Request(), body={"thing": {}}) == {"id": "a"}
    assert caplog.text == ""
