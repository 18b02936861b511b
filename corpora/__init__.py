"""Data files shipped with narrex: lexicons, cue lists, gazetteer, bundled articles and market snapshot.

Lexicons are data, not code: every stage loads what it needs from here via :func:`path`.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["path", "root"]


def root() -> Path:
    """Directory holding the shipped data files (works from a non-editable install)."""
    return Path(str(resources.files(__name__)))


def path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``path("articles", "000_x.txt")``."""
    return root().joinpath(*parts)
