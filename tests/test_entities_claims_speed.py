"""Throughput guard: entity matching and claim extraction must stay well below jieba's segmentation cost.

The project target is end-to-end extraction at >= 3x ``jieba.lcut``; these two stages together
get a generous share of that budget. Timed interleaved (best of several rounds) so machine load
affects both sides alike; the bound is loose enough not to flake on a busy machine.
"""
from __future__ import annotations

import time

import pytest

import corpora


def _best(fn, items, rounds=3):
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for it in items:
            fn(*it)
        best = min(best, time.perf_counter() - t)
    return best


def test_entities_and_claims_are_faster_than_jieba():
    jieba = pytest.importorskip("jieba")
    from extract.claims import find_claims
    from extract.clean import clean
    from extract.entities import find_mentions

    raws = [p.read_text(encoding="utf-8") for p in sorted(corpora.path("articles").glob("*.txt"))]
    texts = [clean(r).text for r in raws]
    jieba.initialize()
    mentions = [find_mentions(t) for t in texts]  # warm up: pipeline and lexicons load once
    find_claims(texts[0], mentions[0], [])
    t_jieba = _best(jieba.lcut, [(r,) for r in raws])
    t_ours = _best(find_mentions, [(t,) for t in texts]) + _best(find_claims, [(t, m, []) for t, m in zip(texts, mentions)])
    assert t_jieba / t_ours >= 1.5, f"entities+claims {t_ours * 1000:.0f} ms vs jieba.lcut {t_jieba * 1000:.0f} ms"
