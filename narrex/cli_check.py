"""CLI commands of the fact-check stage: market, check (placeholder)."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the market-data and check commands to ``app``."""
    return None
