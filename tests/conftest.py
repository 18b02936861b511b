"""Shared fixtures: the bundled seed articles and their reference annotations (copied from seed-gold)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import corpora

HERE = Path(__file__).parent
GOLD = HERE / "data" / "seed-gold"


def load_gold(name: str) -> list[dict]:
    with open(GOLD / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def seed_names() -> list[str]:
    return sorted(p.name for p in corpora.path("articles").glob("*.txt"))


def seed_text(name: str) -> str:
    return corpora.path("articles", name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    return {n: seed_text(n) for n in seed_names()}


def run_cli(*args: str) -> int:
    """Run ``narrex ARGS`` in-process; returns the exit code."""
    from narrex.cli import main

    try:
        main(list(args))
    except SystemExit as e:
        return int(e.code or 0)
    return 0
