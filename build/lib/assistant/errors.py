"""Errors whose message is one Danish sentence for the user."""

from __future__ import annotations


class LoadError(ValueError):
    """A file that cannot be indexed; ``str(err)`` is a Danish sentence for the user."""
