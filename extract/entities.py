"""Entity mentions and linking (placeholder: finds nothing yet)."""
from __future__ import annotations

from .records import Entity, Mention

__all__ = ["find_mentions", "lookup"]


def find_mentions(text: str) -> list[Mention]:
    """Entity mentions in ``text`` (offsets index ``text``), each linked to a canonical id."""
    return []


def lookup(name: str) -> Entity | None:
    """The canonical entity for an id, name or alias in any script, or None."""
    return None
