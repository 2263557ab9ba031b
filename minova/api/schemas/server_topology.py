"""Response schema of ``GET /servers/{server_id}/topology`` (2.78)."""

from minova.api.schemas import response_types as rt

# minova's servers have no NUMA topology: always no nodes and no page size.
index_response = rt.strict({
    "nodes": {"type": "array", "maxItems": 0},
    "pagesize_kb": {"type": ["integer", "null"]},
})
