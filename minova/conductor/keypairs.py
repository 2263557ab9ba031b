"""The conductor's keypair endpoints.

A keypair is a user's: every method takes the ``user_id`` it acts for,
which the API has already authorized (a user's own, or anyone's for an
admin). Keys are generated and fingerprints computed here, next to the
write, so that a create is one round trip and the private key of a
generated pair exists only in the create's answer (it is never stored).
"""

import oslo_messaging as messaging
from oslo_log import log as logging

from minova import crypto, exception
from minova.db import keypairs as db_keypairs

LOG = logging.getLogger(__name__)


class KeypairManager:
    """Endpoints on the ``conductor`` topic for keypairs."""

    target = messaging.Target(version="1.7")

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def keypair_create(self, ctxt, user_id: str, name: str, key_type: str = "ssh",
                       public_key: str | None = None) -> dict:
        """Import ``public_key``, or generate a pair when it is None.

        The answer is the stored keypair, plus ``private_key`` for a
        generated one. Invalid key data is InvalidKeypair (400), a name
        the user already has KeyPairExists (409).
        """
        if key_type not in crypto.KEYPAIR_TYPES:
            raise exception.InvalidKeypair(reason=f"Invalid keypair type {key_type}")
        # Checked before the key is generated, which is the costly part
        # (and again by the unique constraint at the insert, for races).
        try:
            db_keypairs.get(user_id, name)
        except exception.KeypairNotFound:
            pass
        else:
            raise exception.KeyPairExists(key_name=name)
        private_key = None
        if public_key is None:
            private_key, public_key, fingerprint = crypto.generate_key_pair(key_type, user_id)
        else:
            fingerprint = crypto.fingerprint(public_key, key_type)
        keypair = db_keypairs.create(user_id, name, public_key, fingerprint, key_type,
                                     project_id=ctxt.project_id)
        LOG.info("Keypair %s of user %s %s", name, user_id,
                 "imported" if private_key is None else "generated")
        if private_key is not None:
            keypair["private_key"] = private_key
        return keypair

    def keypair_get(self, ctxt, user_id: str, name: str) -> dict:
        return db_keypairs.get(user_id, name)

    def keypair_get_all(self, ctxt, user_id: str, limit: int | None = None,
                        marker: str | None = None) -> list[dict]:
        return db_keypairs.get_all(user_id, limit=limit, marker=marker)

    def keypair_delete(self, ctxt, user_id: str, name: str) -> None:
        db_keypairs.delete(user_id, name)
        LOG.info("Keypair %s of user %s deleted", name, user_id)
