"""Building blocks of the response schemas (JSON Schema 2020-12, OpenAPI 3.1's).

Response schemas say what minova answers, strictly (no unknown keys), so
that the API unit tests, which check every answer against them, catch a
view and its schema drifting apart.
"""

link = {
    "type": "object",
    "properties": {
        "rel": {"type": "string", "enum": ["self", "bookmark", "next", "describedby"]},
        "href": {"type": "string"},
        "type": {"type": "string"},
    },
    "required": ["rel", "href"],
    "additionalProperties": False,
}

links = {"type": "array", "items": link}

# A collection's "next" link, present when the page is full.
collection_links = {"type": "array", "items": link, "maxItems": 1}

uuid = {"type": "string", "format": "uuid"}

string_or_null = {"type": ["string", "null"]}

# "2012-08-20T21:11:09Z" (Nova's isotime) or "2012-08-20T21:11:09.000000".
timestamp = {"type": "string"}
timestamp_or_null = {"type": ["string", "null"]}

string_map = {"type": "object", "additionalProperties": {"type": "string"}}

non_negative_integer = {"type": "integer", "minimum": 0}


def obj(properties: dict, required: list[str] | tuple[str, ...] = (),
        **extra) -> dict:
    """A closed object: these properties, the required ones always there."""
    schema = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


def strict(properties: dict, optional: tuple[str, ...] = (), **extra) -> dict:
    """A closed object whose properties are all required but the ``optional`` ones."""
    return obj(properties, [key for key in properties if key not in optional], **extra)
