"""A user's key pairs, for the REST layer's ``/os-keypairs``.

Keys are generated and fingerprinted in the conductor (the private key of
a generated pair is in the create's answer only, never stored). Which
user a request may act for is policy, checked by the controller; the
conductor scopes every call to the ``user_id`` it is given.
"""

from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext


class KeypairAPI:
    """Key pairs (ssh keys and x509 certificates) of a user."""

    def __init__(self, conductor_api: conductor_rpcapi.ConductorAPI) -> None:
        self.conductor_api = conductor_api

    def create_key_pair(self, ctxt: RequestContext, user_id: str, key_name: str,
                        key_type: str = "ssh", public_key: str | None = None) -> dict:
        """Import ``public_key``, or generate a pair when it is None (the answer then
        carries ``private_key``). InvalidKeypair (400), KeyPairExists (409),
        KeypairLimitExceeded (the key_pairs quota)."""
        return self.conductor_api.keypair_create(ctxt, user_id, key_name, key_type=key_type,
                                                 public_key=public_key)

    def get_key_pairs(self, ctxt: RequestContext, user_id: str, limit: int | None = None,
                      marker: str | None = None) -> list[dict]:
        """The user's key pairs by name, after the one named ``marker`` (MarkerNotFound)."""
        return self.conductor_api.keypair_get_all(ctxt, user_id, limit=limit, marker=marker)

    def get_key_pair(self, ctxt: RequestContext, user_id: str, key_name: str) -> dict:
        """KeypairNotFound (404), also for another user's key pair of that name."""
        return self.conductor_api.keypair_get(ctxt, user_id, key_name)

    def delete_key_pair(self, ctxt: RequestContext, user_id: str, key_name: str) -> None:
        """KeypairNotFound (404)."""
        self.conductor_api.keypair_delete(ctxt, user_id, key_name)
