"""The image service's pieces outside the REST layer.

``store`` keeps image bytes on the api host (under ``[image] store_path``);
``api`` is the client compute hosts use to read image records (through the
conductor) and download image bytes (over HTTP from the api's /image/v2).
"""
