"""Date and time expressions -> DateMention (placeholder: finds nothing yet)."""
from __future__ import annotations

from .records import DateMention

__all__ = ["find_dates"]


def find_dates(text: str, published: str | None = None) -> list[DateMention]:
    """Date mentions in ``text`` resolved relative to ``published`` (ISO date). Offsets index ``text``."""
    return []
