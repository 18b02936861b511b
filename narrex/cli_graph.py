"""CLI commands of the graph stage: ingest, query, export (placeholder)."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the graph commands to ``app``."""
    return None
