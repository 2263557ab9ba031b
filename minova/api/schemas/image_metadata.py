"""Schemas of ``/images/{image_id}/metadata`` (Nova's image-metadata proxy, to 2.38)."""

from minova.api.schemas import response_types as rt
from minova.api.schemas import server_metadata

# The requests are a server's metadata's: Nova's proxy checks them with the
# same schemas before it writes them as image properties.
create = server_metadata.create
update_all = server_metadata.update_all
update = server_metadata.update

# --- responses (an image's properties need not be strings in the image API)

metadata_response = rt.strict({"metadata": {"type": "object"}})
meta_response = rt.strict({"meta": {"type": "object", "minProperties": 1,
                                    "maxProperties": 1}})
