"""Nova's regular-expression filters of a server list, matched in bounded time.

Nova hands ``?name=<regex>`` (and the other non-exact filters) to the
database: MySQL ``REGEXP``, PostgreSQL ``~``, SQLite's Python ``re``. All
three are backtracking engines, so a plain member's ``?name=^(a+)+$`` made
MariaDB spend ~5 s per request on names with long runs of one letter: a
denial of service anyone with a token can send. A statement timeout does
not fix it on every backend (SQLite cannot stop a user function half-way,
MariaDB's kill is not checked inside one row's match), and a timeout only
turns the CPU burn into a slow 400.

So minova matches these filters in the conductor, after the database has
applied the tenant filter and every exact filter, with RE2 (``google-re2``):
an automaton engine whose time is linear in the length of the text for any
pattern it accepts, whose compiled program is capped in memory
(``MAX_MEM``), and which refuses what cannot be matched that way
(backreferences, lookaround: matching with backreferences is NP-hard).
Those get a 400, as a pattern Nova's schema calls "not a 'regex'". As a
last guard the whole list's matching has a wall-clock budget
(``MATCH_BUDGET``): a list that exceeds it is a 400, never a slow answer.

The semantics stay Nova's: the pattern is searched anywhere in the value
(not anchored); a NULL matches nothing; numbers and times are matched as
the database writes them as text. On MySQL/MariaDB, as Nova there, ``|`` is
a literal bar (Nova's ``_safe_regex_mysql``) and matching ignores case (the
tables' ``_ci`` collation); on PostgreSQL and SQLite it is case-sensitive.
"""

import datetime
import json
import time
from collections.abc import Callable

import re2

from minova import exception

# Memory for one compiled pattern (RE2 refuses a bigger one, e.g. deeply
# nested counted repeats): bounds compile time and match time per character.
MAX_MEM = 1 << 20
# Seconds of matching one list may take, whatever the number of rows.
MATCH_BUDGET = 1.0

_MYSQL = ("mysql", "mariadb")


def _options(ignore_case: bool) -> re2.Options:
    options = re2.Options()
    options.max_mem = MAX_MEM
    options.case_sensitive = not ignore_case
    options.log_errors = False  # a user's bad pattern is not the service's error
    return options


def compile_pattern(pattern: str, dialect: str | None = None):
    """``pattern`` compiled as the server list matches it on ``dialect``.

    Raises re2.error when RE2 cannot match it in linear time (or it is too
    big); ``check`` turns that into the API's 400.
    """
    mysql = dialect in _MYSQL
    if mysql:
        pattern = pattern.replace("|", "\\|")
    return re2.compile(pattern, _options(ignore_case=mysql))


def check(name: str, pattern: str) -> None:
    """400 (Nova's "Invalid input for query parameters" body) when ``pattern``
    cannot be matched in bounded time."""
    try:
        compile_pattern(pattern)
    except re2.error as error:
        raise exception.ValidationError(
            detail=f"Invalid input for query parameters {name}. Value: {pattern}. "
            f"'{pattern}' is not a regular expression minova can match in bounded time "
            f"(no backreferences or lookaround): {_reason(error)}") from None


def _reason(error: Exception) -> str:
    reason = error.args[0] if error.args else error
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def as_text(value) -> str | None:
    """A column's value as the database would write it as text (None for NULL)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


class Matcher:
    """Every filter of a list as one predicate on a row, within MATCH_BUDGET.

    ``patterns`` maps a column to its pattern. Raises InvalidInput (400)
    for a pattern RE2 refuses, or when matching the list runs over budget.
    """

    def __init__(self, patterns: dict[str, str], dialect: str,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._deadline: float | None = None
        self.columns = sorted(patterns)
        self._compiled = []
        for column in self.columns:
            try:
                self._compiled.append((column, compile_pattern(str(patterns[column]),
                                                               dialect)))
            except re2.error as error:
                raise exception.InvalidInput(
                    reason=f"the regular expression of {column} cannot be matched in "
                    f"bounded time: {_reason(error)}") from None

    def matches(self, row) -> bool:
        """True if every pattern is found in its column of ``row`` (a mapping)."""
        now = self._clock()
        if self._deadline is None:
            self._deadline = now + MATCH_BUDGET
        elif now > self._deadline:
            raise exception.InvalidInput(
                reason=f"the regular expressions of {self.columns} took more than "
                f"{MATCH_BUDGET:g} s to match; narrow the list with other filters")
        for column, compiled in self._compiled:
            text = as_text(row[column])
            if text is None or compiled.search(text) is None:
                return False
        return True
