"""Only the conductor (and minova-manage, the all-in-one) may reach the database layer.

Walks every ``import`` in minova's source (module level and inside
functions) and follows the graph, so an indirect import through some
helper counts too.
"""

import ast
import os

import minova

PACKAGE_DIR = os.path.dirname(minova.__file__)

# Modules allowed to reach minova.db: the conductor's server side and the
# entry points that run it. The conductor's rpcapi is the door every other
# service uses, so it is NOT allowed.
ALLOWED_PREFIXES = ("minova.db", "minova.conductor.manager", "minova.conductor.tasks",
                    "minova.conductor.images", "minova.conductor.aggregates",
                    "minova.conductor.service_records", "minova.conductor.server_attributes",
                    "minova.conductor.server_state", "minova.conductor.moves",
                    "minova.conductor.server_groups", "minova.conductor.scheduler_hints",
                    "minova.conductor.keypairs", "minova.conductor.flavor_access",
                    "minova.conductor.quotas", "minova.conductor.build_timeout",
                    "minova.conductor.build_recovery",
                    "minova.cmd.conductor",
                    "minova.cmd.manage", "minova.cmd.all_in_one")

# What each of the other services' processes load must never include it.
SERVICE_ENTRY_POINTS = ("minova.cmd.api", "minova.cmd.scheduler", "minova.cmd.compute",
                        "minova.api.app", "minova.compute.manager",
                        "minova.scheduler.manager", "minova.conductor.rpcapi")


def _module_name(path: str) -> str:
    rel = os.path.relpath(path, os.path.dirname(PACKAGE_DIR))[:-3].replace(os.sep, ".")
    return rel[: -len(".__init__")] if rel.endswith(".__init__") else rel


def _graph() -> dict[str, set[str]]:
    modules = {}
    for root, _dirs, files in os.walk(PACKAGE_DIR):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(root, name)
                modules[_module_name(path)] = path
    graph = {}
    for module, path in modules.items():
        is_package = path.endswith("__init__.py")
        edges = set()
        for node in ast.walk(ast.parse(open(path).read(), path)):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = module.split(".")
                    base = parts if is_package else parts[:-1]
                    base = base[: len(base) - node.level + 1]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                edges.add(prefix)
                edges.update(f"{prefix}.{a.name}" for a in node.names)
        graph[module] = {e for e in edges if e in modules}
    return graph


def _reaches_db(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """The import path from ``start`` to minova.db, or None."""
    stack, seen = [(start, [start])], {start}
    while stack:
        module, path = stack.pop()
        if module == "minova.db" or module.startswith("minova.db."):
            return path
        for nxt in sorted(graph.get(module, ())):
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def test_only_conductor_side_imports_the_database_layer():
    graph = _graph()
    offenders = {}
    for module in graph:
        if module.startswith(ALLOWED_PREFIXES):
            continue
        path = _reaches_db(graph, module)
        if path:
            offenders[module] = " -> ".join(path)
    assert offenders == {}


def test_service_processes_other_than_conductor_never_load_it():
    graph = _graph()
    for entry in SERVICE_ENTRY_POINTS:
        assert entry in graph, entry
        assert _reaches_db(graph, entry) is None, entry


def test_the_check_would_notice_a_leak():
    graph = _graph()
    graph["minova.compute.manager"] = graph["minova.compute.manager"] | {"minova.db.instances"}
    assert _reaches_db(graph, "minova.cmd.compute") is not None
