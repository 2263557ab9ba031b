"""The image service's client (``nova.image`` in Nova), and nothing of the service itself.

``api`` is the one client every other piece uses to reach images: compute
hosts read records and download-and-verify bytes through it, and the api
service's controllers (``/image/v2`` and Nova's ``/v2.1/images`` proxy)
read and change records through it as their ``images`` facade.
``checksums`` is the hashing the download and the api's byte store both
apply, so both compute the same ``checksum`` and ``os_hash_value``.

The service lives with its users: the REST API and the byte store in
``minova.api.image`` (api host), the records behind the conductor's
``minova.conductor.images`` over ``minova.db.images``.
"""
