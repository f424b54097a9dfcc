"""storybinder: bind stories into clean, valid EPUBs."""

__version__ = "0.1.0"
