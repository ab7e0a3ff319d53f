"""Errors whose message is one Danish sentence for the user."""

from __future__ import annotations


class LoadError(ValueError):
    """A file that cannot be indexed; ``str(err)`` is a Danish sentence for the user."""


class StoreError(RuntimeError):
    """The catalog's or the workspace's database cannot be used (a PostgreSQL that is down, an unknown URL);
    ``str(err)`` is a Danish sentence for the user."""
