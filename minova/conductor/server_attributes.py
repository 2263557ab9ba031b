"""The conductor's endpoints for what a user changes on a server (RPC 1.4).

Name, description, access IPs and hostname (PUT /servers/{id}), metadata and tags.
Thin doors onto ``minova.db.server_attributes``, which scopes every change
to the caller's project (another project's server is ``InstanceNotFound``)
and checks the server's state in the same transaction as the write.
Reads need no endpoint of their own: ``instance_get`` carries ``metadata``
and ``tags``.
"""

import oslo_messaging as messaging
from oslo_log import log as logging

from minova.db import server_attributes as db_attributes

LOG = logging.getLogger(__name__)


class ServerAttributesManager:
    """Endpoints on the ``conductor`` topic for server name, metadata and tags."""

    target = messaging.Target(version="1.4")

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def server_update(self, ctxt, instance_uuid: str, values: dict) -> dict:
        return db_attributes.update(ctxt, instance_uuid, values)

    def server_metadata_update(self, ctxt, instance_uuid: str, metadata: dict,
                               delete: bool = False) -> dict:
        return db_attributes.update_metadata(ctxt, instance_uuid, metadata, delete=delete)

    def server_metadata_delete(self, ctxt, instance_uuid: str, key: str) -> None:
        db_attributes.delete_metadata_item(ctxt, instance_uuid, key)

    def server_tag_add(self, ctxt, instance_uuid: str, tag: str) -> bool:
        return db_attributes.add_tag(ctxt, instance_uuid, tag)

    def server_tags_set(self, ctxt, instance_uuid: str, tags: list[str]) -> list[str]:
        return db_attributes.set_tags(ctxt, instance_uuid, tags)

    def server_tag_delete(self, ctxt, instance_uuid: str, tag: str) -> None:
        db_attributes.delete_tag(ctxt, instance_uuid, tag)

    def server_tags_delete_all(self, ctxt, instance_uuid: str) -> None:
        db_attributes.delete_all_tags(ctxt, instance_uuid)
