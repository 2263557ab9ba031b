"""minova: a small, readable compute control plane in the style of OpenStack Nova."""

__version__ = "0.1.0"
