"""narrex extraction: clean -> figures, dates, entities, causal claims.

Public API (interfaces.md)::

    from extract import clean, find_figures, extract_article
"""
from __future__ import annotations

from .clean import CleanDoc, clean
from .errors import InputError, NarrexError
from .figures import find_figures
from .pipeline import extract_article
from .records import (ArticleRecord, Claim, DateMention, DroppedLine, Entity, Figure, Mention, Span)

__all__ = [
    "clean",
    "find_figures",
    "extract_article",
    "CleanDoc",
    "ArticleRecord",
    "Claim",
    "DateMention",
    "DroppedLine",
    "Entity",
    "Figure",
    "Mention",
    "Span",
    "InputError",
    "NarrexError",
]
