"""Nova's keypair views: what each call shows of a keypair, per microversion.

``type`` is shown from 2.2. A list shows name, key and fingerprint; a
create adds the user (and the private key of a generated pair); a show
adds the record's columns, with Nova's soft-delete fields (keypairs are
never soft-deleted here, so always ``false``/``null``).
"""

from minova.api import wsgi
from minova.api.views import links

KEYPAIR_TYPE_MICROVERSION = "2.2"
COLLECTION = "os-keypairs"


def _basic(req: wsgi.Request, keypair: dict) -> dict:
    view = {"name": keypair["name"], "public_key": keypair["public_key"],
            "fingerprint": keypair["fingerprint"]}
    if req.is_microversion(KEYPAIR_TYPE_MICROVERSION):
        view["type"] = keypair["type"]
    return view


def create(req: wsgi.Request, keypair: dict) -> dict:
    view = _basic(req, keypair)
    view["user_id"] = keypair["user_id"]
    if keypair.get("private_key") is not None:
        view["private_key"] = keypair["private_key"]
    return {"keypair": view}


def show(req: wsgi.Request, keypair: dict) -> dict:
    view = _basic(req, keypair)
    view.update(user_id=keypair["user_id"], id=keypair["id"],
                created_at=keypair["created_at"], updated_at=keypair["updated_at"],
                deleted=False, deleted_at=None)
    return {"keypair": view}


def index(req: wsgi.Request, keypairs: list[dict], with_links: bool = False) -> dict:
    body = {"keypairs": [{"keypair": _basic(req, keypair)} for keypair in keypairs]}
    if with_links:
        next_links = links.collection_links(req, keypairs, COLLECTION, id_key="name")
        if next_links:
            body["keypairs_links"] = next_links
    return body
