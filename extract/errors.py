"""Errors that reach the user as one line (never a traceback for bad input)."""
from __future__ import annotations

__all__ = ["NarrexError", "InputError"]


class NarrexError(Exception):
    """Base class for errors narrex reports to the user as a single line."""


class InputError(NarrexError):
    """Unreadable, binary, empty or malformed input. ``str(err)`` names the file and the problem."""

    def __init__(self, problem: str, name: str | None = None):
        self.problem = problem
        self.name = name
        super().__init__(f"{name}: {problem}" if name else problem)
