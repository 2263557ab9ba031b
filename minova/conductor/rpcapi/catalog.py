"""Flavors, images, host aggregates and key pairs: what a cloud offers its
servers, as the api's facades read and change it through the conductor."""

from minova.conductor.rpcapi.client import _Client
from minova.context import RequestContext


class CatalogAPI(_Client):
    """Flavors (extra specs, access), images, aggregates and key pairs."""

    # --- flavors and images

    def flavor_get_all(self, ctxt: RequestContext) -> list[dict]:
        return self._call(ctxt, "flavor_get_all")

    def flavor_get(self, ctxt: RequestContext, flavorid: str) -> dict:
        return self._call(ctxt, "flavor_get", flavorid=flavorid)

    def flavor_create(self, ctxt: RequestContext, values: dict) -> dict:
        return self._call(ctxt, "flavor_create", values=values)

    def flavor_delete(self, ctxt: RequestContext, flavorid: str) -> None:
        return self._call(ctxt, "flavor_delete", flavorid=flavorid)

    def image_get_all(self, ctxt: RequestContext, filters: dict | None = None,
                      limit: int | None = None, marker: str | None = None) -> list[dict]:
        """Images ``ctxt`` may see, newest first (public, community and its project's;
        all for an admin). ``filters`` as ``minova.db.images.image_get_all`` takes them."""
        return self._call(ctxt, "image_get_all", filters=filters or {}, limit=limit, marker=marker)

    def image_get(self, ctxt: RequestContext, image_id: str) -> dict:
        """One image; ``ImageNotFound`` also when ``ctxt`` may not see it."""
        return self._call(ctxt, "image_get", image_id=image_id)

    def image_create(self, ctxt: RequestContext, values: dict) -> dict:
        """A new ``queued`` image owned by ``ctxt``'s project."""
        return self._call(ctxt, "image_create", values=values)

    def image_update(self, ctxt: RequestContext, image_id: str, values: dict,
                     properties: dict | None = None, remove_properties: list | None = None,
                     expected_status: str | list | None = None) -> dict:
        """Change columns (``values``) and custom properties of an image ``ctxt`` owns.

        ``expected_status`` makes it a compare-and-swap on the status
        (``ImageStatusConflict`` when the image moved on meanwhile).
        """
        return self._call(ctxt, "image_update", image_id=image_id, values=values,
                          properties=properties, remove_properties=remove_properties,
                          expected_status=expected_status)

    def image_delete(self, ctxt: RequestContext, image_id: str) -> dict:
        """Delete an image record ``ctxt`` owns (``ImageProtected`` if protected);
        returns the deleted record. The caller removes the bytes."""
        return self._call(ctxt, "image_delete", image_id=image_id)

    # --- host aggregates (1.1)

    def aggregate_get_all(self, ctxt: RequestContext) -> list[dict]:
        """Every aggregate with ``hosts``, ``metadata`` and ``availability_zone``."""
        return self._call(ctxt, "aggregate_get_all", version="1.1")

    def aggregate_get(self, ctxt: RequestContext, aggregate_id: int) -> dict:
        return self._call(ctxt, "aggregate_get", version="1.1", aggregate_id=aggregate_id)

    def aggregate_create(self, ctxt: RequestContext, name: str,
                         availability_zone: str | None = None) -> dict:
        """``AggregateNameExists`` (409) when the name is taken."""
        return self._call(ctxt, "aggregate_create", version="1.1", name=name,
                          availability_zone=availability_zone)

    def aggregate_update(self, ctxt: RequestContext, aggregate_id: int, values: dict) -> dict:
        """``values``: ``name`` and/or ``availability_zone``."""
        return self._call(ctxt, "aggregate_update", version="1.1", aggregate_id=aggregate_id,
                          values=values)

    def aggregate_delete(self, ctxt: RequestContext, aggregate_id: int) -> None:
        """Refused (``InvalidAggregateActionDelete``) while the aggregate has hosts."""
        return self._call(ctxt, "aggregate_delete", version="1.1", aggregate_id=aggregate_id)

    def aggregate_add_host(self, ctxt: RequestContext, aggregate_id: int, host: str) -> dict:
        return self._call(ctxt, "aggregate_add_host", version="1.1", aggregate_id=aggregate_id,
                          host=host)

    def aggregate_remove_host(self, ctxt: RequestContext, aggregate_id: int,
                              host: str) -> dict:
        return self._call(ctxt, "aggregate_remove_host", version="1.1", aggregate_id=aggregate_id,
                          host=host)

    def aggregate_set_metadata(self, ctxt: RequestContext, aggregate_id: int,
                               metadata: dict) -> dict:
        """Set keys; a None value deletes the key."""
        return self._call(ctxt, "aggregate_set_metadata", version="1.1", aggregate_id=aggregate_id,
                          metadata=metadata)

    # --- flavor extra specs (1.1)

    def flavor_extra_specs_update(self, ctxt: RequestContext, flavorid: str,
                                  specs: dict) -> dict:
        """Merge ``specs`` into the flavor's extra specs; returns them all."""
        return self._call(ctxt, "flavor_extra_specs_update", version="1.1", flavorid=flavorid,
                          specs=specs)

    def flavor_extra_specs_delete(self, ctxt: RequestContext, flavorid: str,
                                  key: str) -> None:
        return self._call(ctxt, "flavor_extra_specs_delete", version="1.1", flavorid=flavorid,
                          key=key)

    # --- a flavor's description and image caching (1.6)

    def flavor_update(self, ctxt: RequestContext, flavorid: str, values: dict) -> dict:
        """Set the flavor's ``description`` (nothing else changes); the flavor after."""
        return self._call(ctxt, "flavor_update", version="1.6", flavorid=flavorid, values=values)

    def aggregate_cache_images(self, ctxt: RequestContext, aggregate_id: int,
                               image_ids: list[str]) -> list[str]:
        """Check the images and cast a cache request to each up host of the
        aggregate; the hosts asked (``AggregateNotFound``, ``ImageNotFoundForBuild``,
        ``ImageNotActive`` when it cannot)."""
        return self._call(ctxt, "aggregate_cache_images", version="1.6", aggregate_id=aggregate_id,
                          image_ids=image_ids)

    # --- keypairs and flavor access (1.7)

    def keypair_create(self, ctxt: RequestContext, user_id: str, name: str,
                       key_type: str = "ssh", public_key: str | None = None) -> dict:
        """Import ``public_key`` or, when None, generate a pair (the answer then
        carries ``private_key``, which is not stored). InvalidKeypair (400),
        KeyPairExists (409)."""
        return self._call(ctxt, "keypair_create", version="1.7", user_id=user_id, name=name,
                          key_type=key_type, public_key=public_key)

    def keypair_get(self, ctxt: RequestContext, user_id: str, name: str) -> dict:
        """KeypairNotFound (404) when the user has no keypair of that name."""
        return self._call(ctxt, "keypair_get", version="1.7", user_id=user_id, name=name)

    def keypair_get_all(self, ctxt: RequestContext, user_id: str, limit: int | None = None,
                        marker: str | None = None) -> list[dict]:
        """The user's keypairs by name, after the one named ``marker`` (MarkerNotFound)."""
        return self._call(ctxt, "keypair_get_all", version="1.7", user_id=user_id, limit=limit,
                          marker=marker)

    def keypair_delete(self, ctxt: RequestContext, user_id: str, name: str) -> None:
        return self._call(ctxt, "keypair_delete", version="1.7", user_id=user_id, name=name)

    def flavor_access_add(self, ctxt: RequestContext, flavorid: str,
                          project_id: str) -> list[str]:
        """Share a flavor with a project (FlavorAccessExists, 409); its projects after."""
        return self._call(ctxt, "flavor_access_add", version="1.7", flavorid=flavorid,
                          project_id=project_id)

    def flavor_access_remove(self, ctxt: RequestContext, flavorid: str,
                             project_id: str) -> list[str]:
        """Unshare (FlavorAccessNotFound, 404); the flavor's projects after."""
        return self._call(ctxt, "flavor_access_remove", version="1.7", flavorid=flavorid,
                          project_id=project_id)
