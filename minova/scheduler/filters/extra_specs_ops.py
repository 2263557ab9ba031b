"""Nova's extra spec operators: how a requirement string matches a value.

``"<op> operand"`` with op one of ``=`` (numeric >=), ``<in>`` (substring),
``<all-in>``, ``==`` ``!=`` ``>=`` ``<=`` (numeric), ``s==`` ``s!=`` ``s<``
``s<=`` ``s>`` ``s>=`` (string), ``<or>`` (any of the operands); no
operator means plain string equality.
"""

import operator
from collections.abc import Callable


def _num(op: Callable) -> Callable[[str, str], bool]:
    return lambda x, y: op(float(x), float(y))


_OPS: dict[str, Callable[[str, str], bool]] = {
    "=": _num(operator.ge),
    "<in>": lambda x, y: y in x,
    "<all-in>": lambda x, y: y in x,  # per operand: see match()
    "==": _num(operator.eq),
    "!=": _num(operator.ne),
    ">=": _num(operator.ge),
    "<=": _num(operator.le),
    "s==": operator.eq,
    "s!=": operator.ne,
    "s<": operator.lt,
    "s<=": operator.le,
    "s>": operator.gt,
    "s>=": operator.ge,
}


def match(value: str | None, req: str) -> bool:
    """True if ``value`` (an aggregate's) satisfies ``req`` (a flavor's extra spec)."""
    words = req.split()
    op = words.pop(0) if words else None
    if op != "<or>" and op not in _OPS:
        return value == req
    if value is None or not words:
        return False
    if op == "<or>":  # "<or> v1 <or> v2 ...": the operands are every other word
        return value in words[::2]
    try:
        if op == "<all-in>":
            return all(word in value for word in words)
        return _OPS[op](value, words[0])
    except ValueError:  # a numeric operator on a non-number
        return False
