"""View builders: turn the plain dicts minova passes around into Nova's JSON shapes."""
