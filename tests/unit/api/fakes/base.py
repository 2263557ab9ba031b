"""What every fake facade has: a record of its calls and errors raised on demand."""

from collections.abc import Callable


def only_in_fake(method: Callable) -> Callable:
    """Mark a method the real facade does not have (a test's handle on the fake),
    so the signature check (test_fakes.py) leaves it out."""
    method.only_in_fake = True
    return method


class FakeFacade:
    """Records every call as ``(method, kwargs)`` in ``calls``; a method named in
    ``fail_with`` raises that exception once recorded."""

    # The methods that change something, for tests asserting a refused
    # request changed nothing.
    MUTATING: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.fail_with: dict[str, Exception] = {}

    def _call(self, method: str, **kwargs) -> None:
        self.calls.append((method, kwargs))
        if method in self.fail_with:
            raise self.fail_with[method]

    @only_in_fake
    def mutating_calls(self) -> list[tuple[str, dict]]:
        return [call for call in self.calls if call[0] in self.MUTATING]
