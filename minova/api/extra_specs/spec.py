"""One known extra spec: its name template and the rule its value follows.

A name may hold parameters in braces (``hw:numa_cpus.{node}``), each with
the regex a parameter must match; the rest of the name is literal. The
value is always a string (numbers and booleans are stringified before they
are stored), so the rule says how that string must read: an integer within
bounds, a boolean-like word, one of an enumeration, a regex, or anything.
"""

import dataclasses
import re
from collections.abc import Mapping

from oslo_utils import strutils

from minova import exception

_PARAM = re.compile(r"\{(\w+)\}")


@dataclasses.dataclass
class Spec:
    """A known extra spec. ``type`` is ``str``, ``int`` or ``bool``."""

    name: str
    type: type = str
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    min: int | None = None
    max: int | None = None
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)
    description: str = ""
    name_regex: re.Pattern = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.type not in (str, int, bool):
            raise ValueError(f"unsupported value type {self.type!r} of {self.name}")
        self.name_regex = re.compile(self._regex_of(self.name))

    def _regex_of(self, template: str) -> str:
        """The regex of a template: literal text escaped, each ``{param}``
        replaced by its own pattern."""
        parts, end = [], 0
        for match in _PARAM.finditer(template):
            parts.append(re.escape(template[end:match.start()]))
            parts.append(f"(?:{self.params[match.group(1)]})")
            end = match.end()
        parts.append(re.escape(template[end:]))
        return "".join(parts)

    @property
    def is_literal(self) -> bool:
        """Whether the name has no parameters (looked up by exact name)."""
        return not self.params

    @property
    def namespace_regex(self) -> str | None:
        """The regex of the namespace (what precedes the first ``:``), None
        for a key without one."""
        if ":" not in self.name:
            return None
        return self._regex_of(self.name.split(":", 1)[0])

    def matches(self, key: str) -> bool:
        return self.name_regex.fullmatch(key) is not None

    def check_value(self, value: str) -> None:
        """Raise ValidationError, worded as Nova words it, for a bad value."""
        if self.type is int:
            self._check_int(value)
        elif self.type is bool:
            self._check_bool(value)
        else:
            self._check_str(value)

    def _check_str(self, value: str) -> None:
        if self.pattern is not None:
            if re.fullmatch(self.pattern, value) is None:
                raise exception.ValidationError(
                    f"Validation failed; '{value}' is not of the format '{self.pattern}'.")
        elif self.enum and value not in self.enum:
            raise exception.ValidationError(
                f"Validation failed; '{value}' is not one of: {', '.join(self.enum)}.")

    def _check_int(self, value: str) -> None:
        try:
            number = int(value)
        except ValueError:
            raise exception.ValidationError(
                f"Validation failed; '{value}' is not a valid integer value.") from None
        if self.max is not None and number > self.max:
            raise exception.ValidationError(
                f"Validation failed; '{number}' is greater than the max value of '{self.max}'.")
        if self.min is not None and number < self.min:
            raise exception.ValidationError(
                f"Validation failed; '{number}' is less than the min value of '{self.min}'.")

    @staticmethod
    def _check_bool(value: str) -> None:
        try:
            strutils.bool_from_string(value, strict=True)
        except ValueError:
            raise exception.ValidationError(
                f"Validation failed; '{value}' is not a valid boolean-like value.") from None
