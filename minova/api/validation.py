"""Request body validation with JSON schemas, worded like Nova's errors.

Nova validates with Draft 4 plus two relaxations that clients rely on:
numbers may come as numeric strings ("minimum" and "maximum" accept
``"10"``), and a few formats of its own (``name``, ``uuid``, ``base64``).
A failure is ``exception.ValidationError`` (400) whose message reads
``Invalid input for field/attribute <field>. Value: <value>. <reason>``.
"""

import base64
import binascii
import functools
import re
import string
import unicodedata
from collections.abc import Callable

import jsonschema
from jsonschema import validators as jsonschema_validators
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import uuidutils

from minova import exception

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


class InvalidName(exception.Invalid):
    """A name with unprintable characters or leading/trailing whitespace."""

    msg_fmt = "An invalid 'name' value was provided. The name must be: %(reason)s"


_NAME_REASON = "printable characters. Can not start or end with whitespace."


def _is_printable(char: str) -> bool:
    """Letters, marks, numbers, punctuation, symbols and horizontal spaces."""
    category = unicodedata.category(char)
    return not category.startswith("C") and (not category.startswith("Z") or category == "Zs")


def _is_space(char: str) -> bool:
    return unicodedata.category(char) == "Zs"


def _check_name(instance) -> bool:
    if (isinstance(instance, str)
            and all(_is_printable(c) for c in instance)
            and not (instance and (_is_space(instance[0]) or _is_space(instance[-1])))):
        return True
    raise InvalidName(reason=_NAME_REASON)


def _check_uuid(instance) -> bool:
    return isinstance(instance, str) and uuidutils.is_uuid_like(instance)


def _check_base64(instance) -> bool:
    if not isinstance(instance, str):
        return False
    try:
        # lenient like Nova's (line breaks are fine), but padding must be right
        base64.b64decode(instance.encode("utf-8"))
    except (binascii.Error, ValueError):
        return False
    return True


# Keypair names: Nova's safe characters, and "@" and "." too from 2.92.
_KEYPAIR_NAME_CHARS = "_- " + string.digits + string.ascii_letters
_KEYPAIR_NAME_CHARS_292 = "@._- " + string.digits + string.ascii_letters


def _keypair_name_check(safe_chars: str) -> Callable:
    def check(instance) -> bool:
        if isinstance(instance, str) and all(c in safe_chars for c in instance):
            return True
        raise InvalidName(reason=f"Only expected characters: [{safe_chars}]")
    return check


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()
    checker.checks("name", raises=InvalidName)(_check_name)
    checker.checks("keypair_name_20", raises=InvalidName)(
        _keypair_name_check(_KEYPAIR_NAME_CHARS))
    checker.checks("keypair_name_292", raises=InvalidName)(
        _keypair_name_check(_KEYPAIR_NAME_CHARS_292))
    checker.checks("uuid")(_check_uuid)
    checker.checks("base64")(_check_base64)
    return checker


def _number_from_str(instance):
    if isinstance(instance, bool):
        return None
    if isinstance(instance, int | float):
        return instance
    try:
        return int(instance)
    except (TypeError, ValueError):
        try:
            return float(instance)
        except (TypeError, ValueError):
            return None


def _numeric(keyword: str) -> Callable:
    """Draft 4's minimum/maximum, also applied to numeric strings."""
    original = jsonschema.Draft4Validator.VALIDATORS[keyword]

    def check(validator, value, instance, schema):
        number = _number_from_str(instance)
        if number is None:
            return
        yield from original(validator, value, number, schema) or ()

    return check


_Validator = jsonschema_validators.extend(
    jsonschema.Draft4Validator,
    {"minimum": _numeric("minimum"), "maximum": _numeric("maximum")},
)


def _soft_additional_properties(validator, value, instance, schema):
    """``additionalProperties: false`` of the legacy v2 endpoint: an unknown key
    is dropped, not refused (the v2 API ignored them), unless the schema has
    patternProperties (metadata), whose unknown keys are still an error. An
    object none of whose keys is known is left alone (for the other branches
    of a oneOf), as Nova's."""
    if not validator.is_type(instance, "object") or value is not False:
        yield from jsonschema.Draft4Validator.VALIDATORS["additionalProperties"](
            validator, value, instance, schema) or ()
        return
    properties = schema.get("properties", {})
    patterns = "|".join(schema.get("patternProperties", {}))
    extra = [key for key in instance if key not in properties
             and not (patterns and re.search(patterns, key))]
    if not extra or len(extra) == len(instance):
        return
    if patterns:
        yield jsonschema.ValidationError(
            f"Additional properties are not allowed ({', '.join(map(repr, extra))} "
            f"{'was' if len(extra) == 1 else 'were'} unexpected)")
        return
    for key in extra:
        del instance[key]


_LegacyV2Validator = jsonschema_validators.extend(
    _Validator, {"additionalProperties": _soft_additional_properties})


class SchemaValidator:
    """Validates request bodies against one schema."""

    def __init__(self, schema: dict) -> None:
        _Validator.check_schema(schema)
        self.validator = _Validator(schema, format_checker=_format_checker())
        self.legacy_v2_validator = _LegacyV2Validator(schema,
                                                      format_checker=_format_checker())

    def validate(self, body, legacy_v2: bool = False) -> None:
        validator = self.legacy_v2_validator if legacy_v2 else self.validator
        try:
            validator.validate(body)
        except jsonschema.ValidationError as ex:
            if isinstance(ex.cause, InvalidName):
                detail = ex.cause.format_message()
            elif len(ex.path) > 0:
                detail = (
                    f"Invalid input for field/attribute {ex.path.pop()}. "
                    f"Value: {ex.instance}. {ex.message}"
                )
            else:
                detail = ex.message
            raise exception.ValidationError(detail=detail) from None
        except TypeError as ex:
            # e.g. a non-string key against patternProperties
            raise exception.ValidationError(detail=str(ex)) from None


def schema(request_body_schema: dict, min_version: str | None = None,
           max_version: str | None = None) -> Callable:
    """Decorator: validate the ``body`` argument of a controller method first.

    Validation runs before the method body, so a rejected request never
    reaches policy checks or the compute/conductor APIs. With
    ``min_version``/``max_version`` the schema applies only to requests
    served at a microversion in that range; stack one decorator per range
    where the body changed, as Nova does.
    """
    validator = SchemaValidator(request_body_schema)
    versioned = min_version is not None or max_version is not None

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(self, req, *args, body=None, **kwargs):
            if not versioned or req.is_microversion(min_version or "2.1", max_version):
                validator.validate(body, legacy_v2=req is not None and req.is_legacy_v2())
            return func(self, req, *args, body=body, **kwargs)

        # Read by the OpenAPI document (minova.api.openapi); stacked
        # decorators add up (functools.wraps copied the inner list).
        wrapper.request_schemas = [
            (request_body_schema, min_version, max_version),
            *getattr(func, "request_schemas", ()),
        ]
        return wrapper

    return decorator


def _response_validator(response_schema: dict) -> jsonschema.Draft202012Validator:
    """Response schemas are JSON Schema 2020-12, the dialect of OpenAPI 3.1."""
    jsonschema.Draft202012Validator.check_schema(response_schema)
    return jsonschema.Draft202012Validator(response_schema, format_checker=_format_checker())


def response_body_schema(response_schema: dict, min_version: str | None = None,
                         max_version: str | None = None) -> Callable:
    """Decorator: the schema of a controller method's response body.

    It documents the answer (the OpenAPI document is built from it) and,
    with ``[api] response_validation`` at ``error`` or ``warn`` (the API
    unit tests run with ``error``), checks every answer against it, as
    Nova does: a body that does not match is a bug in the code or the
    schema. Stack one per microversion range where the body changed.
    """
    validator = _response_validator(response_schema)

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(self, req, *args, **kwargs):
            result = func(self, req, *args, **kwargs)
            mode = CONF.api.response_validation
            if mode != "ignore" and req.is_microversion(min_version or "2.1", max_version):
                _check_response(validator, result, mode)
            return result

        wrapper.response_schemas = [
            (response_schema, min_version, max_version),
            *getattr(func, "response_schemas", ()),
        ]
        return wrapper

    return decorator


def _check_response(validator, result, mode: str) -> None:
    body = getattr(result, "obj", result)  # a wsgi.ResponseObject carries its body
    try:
        validator.validate(body)
    except jsonschema.ValidationError as ex:
        if mode == "error":
            raise exception.ResponseValidationError(detail=str(ex)) from None
        LOG.warning("A response does not match its schema: %s", ex.message)
