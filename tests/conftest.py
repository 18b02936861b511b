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


def splice_pages(pages, seed: int, cuts: int, piece) -> list[str]:
    """Each page of ``pages`` (normalized with ``_numerals.norm``), then the page with ``piece(rnd)`` spliced in
    at ``cuts`` random places: real text with many matches of a scan, for the gated-scan tests."""
    import random

    from extract._numerals import norm

    rnd = random.Random(seed)
    out = []
    for p in pages:
        t = norm(p.read_text(encoding="utf-8"))
        out.append(t)
        cut = sorted(rnd.randrange(len(t) + 1) for _ in range(cuts))
        parts, prev = [], 0
        for c in cut:
            parts += [t[prev:c], piece(rnd)]
            prev = c
        out.append("".join(parts) + t[prev:])
    return out


def run_cli(*args: str) -> int:
    """Run ``narrex ARGS`` in-process; returns the exit code."""
    from narrex.cli import main

    try:
        main(list(args))
    except SystemExit as e:
        return int(e.code or 0)
    return 0
