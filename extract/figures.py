"""Figure recognition (placeholder: finds nothing yet)."""
from __future__ import annotations

from .records import DateMention, Figure, Mention

__all__ = ["find_figures", "bind_figures"]


def find_figures(text: str) -> list[Figure]:
    """Figures in ``text`` (any script); offsets index ``text``."""
    return []


def bind_figures(text: str, figures: list[Figure], mentions: list[Mention], dates: list[DateMention],
                 published: str | None = None) -> None:
    """Fill ``subject``, ``metric``, ``date`` (and ``sign``/``checkable``) of ``figures`` in place."""
    return None
