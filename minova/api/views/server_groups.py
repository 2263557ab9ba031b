"""Nova's server group view, per microversion.

2.1: ``id`` (the uuid), ``name``, ``policies`` (a list of the one policy),
``members``, ``metadata`` (always empty, as Nova keeps it); 2.13 adds
``project_id`` and ``user_id``; 2.64 shows ``policy`` and ``rules``
instead of ``policies`` and ``metadata``.
"""


def show(group: dict, req) -> dict:
    view = {"id": group["uuid"], "name": group["name"]}
    if req.is_microversion("2.64"):
        view["policy"] = group["policy"]
        view["rules"] = _rules(group.get("rules"))
    else:
        view["policies"] = [group["policy"]]
        view["metadata"] = {}
    view["members"] = list(group.get("members") or [])
    if req.is_microversion("2.13"):
        view["project_id"] = group["project_id"]
        view["user_id"] = group["user_id"]
    return view


def _rules(rules: dict | None) -> dict:
    """``max_server_per_host`` as an integer, as Nova shows it whatever was sent."""
    rules = dict(rules or {})
    if rules.get("max_server_per_host") is not None:
        rules["max_server_per_host"] = int(rules["max_server_per_host"])
    return rules
