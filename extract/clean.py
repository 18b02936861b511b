"""Cleaning stage (placeholder until the real cleaner lands): raw text -> CleanDoc.

Converts Traditional to Simplified character by character and keeps every line.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .records import DroppedLine

__all__ = ["CleanDoc", "clean"]


@dataclass
class CleanDoc:
    """The cleaned body of an article with a map back to the raw text."""

    raw: str
    text: str
    script: str
    dropped: list[DroppedLine] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list, repr=False)  # offsets[i] = raw position of text[i]
    byline: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    published: str | None = None  # ISO date found in the page chrome (e.g. a post header), if any

    def to_raw(self, i: int) -> int:
        """Raw offset of clean offset ``i`` (``i == len(text)`` maps to the end of the last kept char)."""
        if i < len(self.offsets):
            return self.offsets[i]
        return (self.offsets[-1] + 1) if self.offsets else 0

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw (start, end) of the clean span [start, end)."""
        if end <= start:
            r = self.to_raw(start)
            return r, r
        return self.to_raw(start), self.to_raw(end - 1) + 1


def clean(raw: str) -> CleanDoc:
    import opencc

    conv = opencc.OpenCC("t2s")
    text = "".join(conv.convert(ch) if len(conv.convert(ch)) == 1 else ch for ch in raw)
    return CleanDoc(raw=raw, text=text, script="simplified", offsets=list(range(len(raw))))
