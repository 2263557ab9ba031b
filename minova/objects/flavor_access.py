"""Who may see and use a flavor: Nova's rule for private flavors.

A flavor dict carries ``projects``, the projects a private flavor is
shared with (``minova.db.flavor_access``); the api (listing, showing) and
the conductor (booting) apply the same rule to it.
"""


def accessible(ctxt, flavor: dict) -> bool:
    """Admins see every flavor, others the public ones and those shared with their project."""
    return ctxt.is_admin or shared_or_public(ctxt, flavor)


def shared_or_public(ctxt, flavor: dict) -> bool:
    """Nova's ``is_public=True`` list filter: public, or shared with ``ctxt``'s project."""
    return (bool(flavor.get("is_public", True))
            or ctxt.project_id in (flavor.get("projects") or ()))


def matches_is_public(ctxt, flavor: dict, is_public: bool | None) -> bool:
    """The flavor list's ``is_public`` filter: None all, False private ones only."""
    if is_public is None:
        return True
    if is_public:
        return shared_or_public(ctxt, flavor)
    return not flavor.get("is_public", True)
