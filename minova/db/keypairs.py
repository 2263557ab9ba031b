"""Key pairs: a user's public keys (or certificates), unique by name per user.

A keypair belongs to a user, not to a project (as in Nova): the same user
sees the same keypairs from every project. Who may ask for whose keys is
the API's policy check; here every function is given the ``user_id``.
"""

import sqlalchemy as sa

from minova import exception
from minova.db import models
from minova.db import quotas as db_quotas
from minova.db.engine import get_engine
from minova.db.rows import to_dict, utcnow

_keypairs = models.key_pairs


def create(user_id: str, name: str, public_key: str, fingerprint: str,
           key_type: str = "ssh", project_id: str | None = None) -> dict:
    """Store a keypair; KeyPairExists (409) when the user has one of that name.

    ``project_id``: the project whose ``key_pairs`` quota the user's
    keypairs are counted against (KeypairLimitExceeded, 403), under its lock.
    """
    values = {"user_id": user_id, "name": name, "public_key": public_key,
              "fingerprint": fingerprint, "type": key_type, "created_at": utcnow(),
              "updated_at": None}
    try:
        with get_engine().begin() as conn:
            if project_id is not None:
                db_quotas.lock_project(conn, project_id)
                db_quotas.check_key_pairs(conn, project_id, user_id)
            conn.execute(sa.insert(_keypairs).values(**values))
    except sa.exc.IntegrityError:
        # the unique (user_id, name) constraint: a racing create won
        raise exception.KeyPairExists(key_name=name) from None
    return get(user_id, name)


def get(user_id: str, name: str) -> dict:
    with get_engine().connect() as conn:
        row = conn.execute(sa.select(_keypairs).where(
            _keypairs.c.user_id == user_id, _keypairs.c.name == name)).first()
    if row is None:
        raise exception.KeypairNotFound(user_id=user_id, name=name)
    return to_dict(row)


def get_all(user_id: str, limit: int | None = None, marker: str | None = None) -> list[dict]:
    """The user's keypairs by name; ``marker`` is the name of the last one seen.

    An unknown marker is MarkerNotFound (400), as Nova's.
    """
    query = sa.select(_keypairs).where(_keypairs.c.user_id == user_id)
    with get_engine().connect() as conn:
        if marker is not None:
            found = conn.execute(sa.select(_keypairs.c.id).where(
                _keypairs.c.user_id == user_id, _keypairs.c.name == marker)).first()
            if found is None:
                raise exception.MarkerNotFound(marker=marker)
            query = query.where(_keypairs.c.name > marker)
        query = query.order_by(_keypairs.c.name)
        if limit is not None:
            query = query.limit(limit)
        return [to_dict(r) for r in conn.execute(query)]


def count(user_id: str) -> int:
    """How many keypairs the user has (the ``key_pairs`` quota counts them)."""
    with get_engine().connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(_keypairs).where(
            _keypairs.c.user_id == user_id)).scalar_one()


def delete(user_id: str, name: str) -> None:
    with get_engine().begin() as conn:
        deleted = conn.execute(sa.delete(_keypairs).where(
            _keypairs.c.user_id == user_id, _keypairs.c.name == name)).rowcount
    if deleted != 1:
        raise exception.KeypairNotFound(user_id=user_id, name=name)
