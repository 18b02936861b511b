"""extract._trie: the trie regex finds, at each position, the longest word that starts there."""
from __future__ import annotations

import random
import re

from extract._trie import trie_pattern


def _longest_at(words: list[str], text: str, i: int):
    hits = [w for w in words if text.startswith(w, i)]
    return max(hits, key=len) if hits else None


def test_trie_pattern_takes_the_longest_word_at_each_position():
    rng = random.Random(3)
    for _ in range(200):
        words = sorted({"".join(rng.choice("比特币ab") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 8))})
        rx = re.compile(trie_pattern(words))
        text = "".join(rng.choice("比特币abx") for _ in range(30))
        for i in range(len(text)):
            m = rx.match(text, i)
            assert (m.group() if m else None) == _longest_at(words, text, i), (words, text, i)


def test_emit_writes_each_character():
    rx = re.compile(trie_pattern(["ETF", "ETH"], emit=lambda c: f"[{c}{c.lower()}]"))
    assert rx.fullmatch("eth") and rx.fullmatch("ETF") and not rx.fullmatch("ET")
