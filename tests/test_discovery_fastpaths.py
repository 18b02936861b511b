"""Discovery's fast paths agree with their plain definitions on real text.

- ``_Taken`` (sorted disjoint spans, one bisection per check) answers as a per-character occupancy map would,
  before and after spans (overlapping ones too) are added.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from extract._discovery import _Taken
from extract.nlp import get_nlp

_ROOT = Path(__file__).resolve().parent.parent


def _real_texts() -> list[str]:
    paths = sorted((_ROOT / "tests/data/pages").glob("*.txt")) + sorted((_ROOT / "corpora/articles").glob("*.txt"))[:20]
    return [p.read_text(encoding="utf-8") for p in paths]


@pytest.fixture(scope="module")
def docs():
    nlp = get_nlp()
    return [(t, nlp(t).user_data["narrex_mentions"]) for t in _real_texts()]


class _Occupancy:
    """The plain definition: a set of taken character offsets."""

    def __init__(self, spans):
        self.occ: set[int] = set()
        for sp in spans:
            self.add(sp[0], sp[1])

    def add(self, a: int, b: int) -> None:
        self.occ.update(range(a, b))

    def hits(self, a: int, b: int) -> bool:
        return not self.occ.isdisjoint(range(a, b))


def test_taken_answers_as_an_occupancy_map(docs):
    rng = random.Random(5)
    assert sum(len(m) for _, m in docs) > 500
    for text, ments in docs:
        n = len(text)
        fast, plain, unordered = _Taken(ments, ordered=True), _Occupancy(ments), _Taken(rng.sample(ments, len(ments)))
        for _ in range(60):
            for _ in range(40):
                a = rng.randrange(n + 1)
                b = a + rng.choice((0, 1, 2, 5, 30, -1))
                assert fast.hits(a, b) == plain.hits(a, b) == unordered.hits(a, b), (a, b)
            for s, e, *_ in rng.sample(ments, min(3, len(ments))):  # at, next to and across mentions
                for a, b in ((s, e), (s - 1, s), (e, e + 1), (s + 1, e - 1), (s - 3, e + 3)):
                    assert fast.hits(a, b) == plain.hits(a, b) == unordered.hits(a, b), (a, b)
            a = rng.randrange(n)
            b = a + rng.choice((1, 3, 20, 200))
            for t in (fast, plain, unordered):
                t.add(a, b)
        assert sorted(fast.spans) == fast.spans and fast.starts == [sp[0] for sp in fast.spans]
        assert all(x[1] <= y[0] for x, y in zip(fast.spans, fast.spans[1:]))  # still disjoint


def test_lower_may_contain_is_a_superset_of_the_lowered_search():
    import sys

    from extract._discovery import _TO_ASCII_LOWER, _lower_may_contain

    # the characters outside ASCII whose lowercase has an ASCII character in it
    odd = [chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000 and any(x.isascii() for x in chr(c).lower())]
    assert sorted(odd) == sorted(_TO_ASCII_LOWER)
    keys = ("nasdaq", "s&p 500", "kospi", "i", "纳斯达克")
    texts = _real_texts() + ["NASDAQ收跌", "Nas达daq", "nas\u0130daq", "\u212aOSPI", "\u0130", "S&P 500"]
    hits = 0
    for t in texts:
        for k in keys:
            want = k in t.lower()
            hits += want
            if want:
                assert _lower_may_contain(t, (k,)), (k, t[:60])
            assert _lower_may_contain(t, (k,)) == want or not t.isascii()  # exact on ASCII text
    assert hits > 5


def test_regexes_tried_at_the_tokenizer_starts_find_what_a_whole_text_scan_finds():
    from extract._discovery import _LATIN_NAME, _lex, _matches_at

    tok = get_nlp().tokenizer
    rxs = (_lex()["title_re"], _lex()["cjk_suffix_re"], _LATIN_NAME)
    found = [0, 0, 0]
    rng = random.Random(11)
    texts = _real_texts()
    # titled people are rare in real pages: also put every title (with a name) into one
    for title in _lex()["titles"]:
        t = rng.choice(texts)
        at = rng.randrange(len(t))
        texts.append(t[:at] + f"，{title}王小明表示，" + t[at:] + f"{title} Janet Yellen说")
    for text in texts:
        starts = tok(text).user_data.get("narrex.starts")
        if tok._tables is None:
            pytest.skip("numpy missing: discovery scans the whole text")
        assert starts is not None
        for k, (rx, at) in enumerate(zip(rxs, starts)):
            assert at == sorted(set(at))
            plain = [(m.span(), m.group()) for m in rx.finditer(text)]
            assert [(m.span(), m.group()) for m in _matches_at(rx, text, at)] == plain, (k, text[:60])
            assert [(m.span(), m.group()) for m in _matches_at(rx, text, None)] == plain
            found[k] += len(plain)
    assert min(found) > 20, found  # the texts exercise all three


def test_scale_before_reads_as_the_regex_on_the_two_characters_before():
    from extract._discovery import _SCALE_BEFORE, _scale_before

    texts = _real_texts()
    # every mention start, plus the awkward cases: scale + space / no-break space / newline, string start
    extra = ["5 美元", "5\u00a0美元", "5\n美元", "亿\n\n美元", "美元", "k美元", " 美元", "\n5美元", "5\t美元", "５ 美元"]
    seen = [0, 0]
    for t in texts + extra:
        for s in range(len(t) + 1):
            want = bool(_SCALE_BEFORE.search(t[max(0, s - 2):s]))
            assert _scale_before(t, s) == want, (s, t[max(0, s - 2):s])
            seen[want] += 1
    assert min(seen) > 100, seen


def test_last_cue_is_the_last_match_of_the_case_insensitive_cue_regex():
    from extract._discovery import _last_cue, _lex

    lex = _lex()
    plain = lex["tenor_cue_re"]
    # the scanner's first class holds every character that can start a cue under re.I (all code points)
    firsts = "".join(sorted({k[0] for k in lex["tenor_cues"]}))
    can_start = re.compile("[" + re.escape(firsts) + "]", re.I).fullmatch
    cls = lex["tenor_cue_at"].pattern
    cls = cls[1:cls.index("]")]
    assert all(chr(x) in cls for x in range(0x110000) if can_start(chr(x))), cls
    rng = random.Random(3)
    texts = _real_texts() + ["USTreasury美国美债 ust UST jgbs JGB日本国债 ſt \u212aus usT美國 德国Bund gilts 中国CGB",
                             "美国的 UST 与日本 JGBs 以及 Treasury 收益率，英国Gilt",
                             "看USTreasury", "USTREASURY", "日本国债"]  # overlapping cues last: finditer resumes after one
    hits = 0
    for t in texts:
        spans = [(0, len(t))] + [tuple(sorted((rng.randrange(len(t) + 1), rng.randrange(len(t) + 1)))) for _ in range(40)]
        for a, z in spans:
            ms = list(plain.finditer(t, a, z))
            want = ms[-1].group() if ms else None
            assert _last_cue(t, a, z) == want, (a, z, t[a:z][:60])
            hits += want is not None
    assert hits > 100
