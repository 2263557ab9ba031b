"""JSON schemas of request bodies, as Nova's v2.1 API defines them."""
