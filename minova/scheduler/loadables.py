"""Scheduler plug-ins by name: the filters and weighers an operator lists.

As with Nova's loadables, the classes are found, not listed: every public
subclass of a kind's base class defined in a module of that kind's
package. A new filter or weigher module is then available by its class
name without a registry to keep in step, and a misspelt name in the
configuration stops the service at start, naming what is available.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Sequence
from typing import Generic, TypeVar

from minova import exception

T = TypeVar("T")


class PluginLoader(Generic[T]):
    """Finds the plug-ins of one kind and makes instances of the named ones.

    ``package`` is the dotted name of the package whose modules hold them,
    ``base`` the class they subclass; ``kind`` ("filter") and ``option``
    ("[filter_scheduler] enabled_filters") word the error for an unknown name.
    """

    def __init__(self, package: str, base: type[T], kind: str, option: str) -> None:
        self.package = package
        self.base = base
        self.kind = kind
        self.option = option

    def classes(self) -> dict[str, type[T]]:
        """Every plug-in class of the package by class name, sorted by name.

        Classes named with a leading underscore are shared bases, not plug-ins.
        Imported here, not where the loader is made, because the plug-in
        modules import the base class from the package that makes it.
        """
        found: dict[str, type[T]] = {}
        package = importlib.import_module(self.package)
        for info in pkgutil.iter_modules(package.__path__, prefix=f"{self.package}."):
            module = importlib.import_module(info.name)
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if (cls.__module__ != module.__name__ or name.startswith("_")
                        or not issubclass(cls, self.base) or cls is self.base):
                    continue
                if name in found:
                    # Names are what the configuration says: one must mean one class.
                    raise TypeError(f"two scheduler {self.kind}s are named {name}: in "
                                    f"{found[name].__module__} and {module.__name__}")
                found[name] = cls
        return dict(sorted(found.items()))

    def load(self, names: Sequence[str]) -> list[T]:
        """Instances of the named plug-ins, in the order given."""
        available = self.classes()
        unknown = [name for name in names if name not in available]
        if unknown:
            raise exception.ConfigurationError(
                reason=f"unknown scheduler {self.kind}(s) {', '.join(unknown)} in "
                f"{self.option}; available: {', '.join(available)}")
        return [available[name]() for name in names]
