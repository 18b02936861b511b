"""Causal claims (placeholder: finds nothing yet)."""
from __future__ import annotations

from .records import Claim, Figure, Mention

__all__ = ["find_claims"]


def find_claims(text: str, mentions: list[Mention], figures: list[Figure], author: str | None = None) -> list[Claim]:
    """Causal claims in ``text``; spans index ``text``."""
    return []
