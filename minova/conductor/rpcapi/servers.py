"""What a user changes on a server without its compute host: server
groups, name and metadata, tags, the lock and an admin's state reset."""

from minova.conductor.rpcapi.client import _Client
from minova.context import RequestContext


class ServersAPI(_Client):
    """Server groups and a server's attributes, lock and state."""

    # --- server groups (1.3)

    def server_group_create(self, ctxt: RequestContext, name: str, policy: str,
                            rules: dict | None = None) -> dict:
        """A group of ``ctxt``'s project; ``rules`` only for anti-affinity (the api checks)."""
        return self._call(ctxt, "server_group_create", version="1.3", name=name, policy=policy,
                          rules=rules or {})

    def server_group_get(self, ctxt: RequestContext, group_uuid: str) -> dict:
        """The group with its live ``members``; ``InstanceGroupNotFound`` (404) also
        when it is another project's and ``ctxt`` is not an admin."""
        return self._call(ctxt, "server_group_get", version="1.3", group_uuid=group_uuid)

    def server_group_get_all(self, ctxt: RequestContext, all_projects: bool = False,
                             limit: int | None = None, offset: int = 0) -> list[dict]:
        """``ctxt``'s project's groups, oldest first (every project's: admins, all_projects)."""
        return self._call(ctxt, "server_group_get_all", version="1.3", all_projects=all_projects,
                          limit=limit, offset=offset)

    def server_group_delete(self, ctxt: RequestContext, group_uuid: str) -> None:
        """Delete the group; its member instances stay."""
        return self._call(ctxt, "server_group_delete", version="1.3", group_uuid=group_uuid)

    def server_group_uuids_for_instance(self, ctxt: RequestContext,
                                        instance_uuid: str) -> list[str]:
        """The uuids of the server groups the instance belongs to (at most one)."""
        return self._call(ctxt, "server_group_uuids_for_instance", version="1.6",
                          instance_uuid=instance_uuid)

    # --- what a user changes on a server (1.4); another project's server is
    # InstanceNotFound, a metadata or tag change outside Nova's states
    # InstanceInvalidState (409)

    def server_update(self, ctxt: RequestContext, instance_uuid: str, values: dict) -> dict:
        """Set ``display_name``, ``description``, ``access_ip_v4/6``; the instance after."""
        return self._call(ctxt, "server_update", version="1.4", instance_uuid=instance_uuid,
                          values=values)

    def server_metadata_update(self, ctxt: RequestContext, instance_uuid: str,
                               metadata: dict, delete: bool = False) -> dict:
        """Merge ``metadata`` (replace all with ``delete``); the server's metadata after."""
        return self._call(ctxt, "server_metadata_update", version="1.4",
                          instance_uuid=instance_uuid, metadata=metadata, delete=delete)

    def server_metadata_delete(self, ctxt: RequestContext, instance_uuid: str,
                               key: str) -> None:
        """``MetadataItemNotFound`` (404) when the server has no such key."""
        return self._call(ctxt, "server_metadata_delete", version="1.4",
                          instance_uuid=instance_uuid, key=key)

    def server_tag_add(self, ctxt: RequestContext, instance_uuid: str, tag: str) -> bool:
        """True if the tag was added, False if the server had it already."""
        return self._call(ctxt, "server_tag_add", version="1.4", instance_uuid=instance_uuid,
                          tag=tag)

    def server_tags_set(self, ctxt: RequestContext, instance_uuid: str,
                        tags: list[str]) -> list[str]:
        """Replace all tags; the server's tags after, sorted."""
        return self._call(ctxt, "server_tags_set", version="1.4", instance_uuid=instance_uuid,
                          tags=tags)

    def server_tag_delete(self, ctxt: RequestContext, instance_uuid: str, tag: str) -> None:
        """``InstanceTagNotFound`` (404) when the server does not have the tag."""
        return self._call(ctxt, "server_tag_delete", version="1.4", instance_uuid=instance_uuid,
                          tag=tag)

    def server_tags_delete_all(self, ctxt: RequestContext, instance_uuid: str) -> None:
        return self._call(ctxt, "server_tags_delete_all", version="1.4",
                          instance_uuid=instance_uuid)

    # --- a server's lock and an admin's state reset (1.14): the instance after

    def server_lock(self, ctxt: RequestContext, instance_uuid: str,
                    reason: str | None = None) -> dict:
        """Lock the server, ``locked_by`` the owner or an admin (as the caller is)."""
        return self._call(ctxt, "server_lock", version="1.14", instance_uuid=instance_uuid,
                          reason=reason)

    def server_unlock(self, ctxt: RequestContext, instance_uuid: str) -> dict:
        return self._call(ctxt, "server_unlock", version="1.14", instance_uuid=instance_uuid)

    def server_reset_state(self, ctxt: RequestContext, instance_uuid: str,
                           vm_state: str) -> dict:
        """Set ``vm_state`` (active or error) and clear the task_state."""
        return self._call(ctxt, "server_reset_state", version="1.14",
                          instance_uuid=instance_uuid, vm_state=vm_state)
