"""Binding's cue scans tried only at the shared numpy pass's candidates (``_lexicon.scan_candidates``,
``cue_spans``) find what the plain ``finditer`` finds: on the real pages, and on them with every cue
spliced in next to Latin letters, digits, spaces and CJK (the Latin guards), at the text's ends,
over the whole text and over windows of it."""
import random
from pathlib import Path

import pytest

from extract import _binding as B
from extract import _lexicon as L
from conftest import splice_pages
from extract.records import Figure

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "tests/data/pages").glob("*.txt")) + sorted((ROOT / "corpora/articles").glob("*.txt"))
AROUND = ["", " ", "x", "A", "1", "在", "。", "\n"]


def _texts() -> list[str]:
    words = sorted(L.subject_cues()[0])

    def piece(rnd) -> str:
        w = rnd.choice(words)
        # also a cue cut short (a prefix the gate lets through, the regex refuses)
        w = w[:rnd.randrange(1, len(w) + 1)] if rnd.random() < 0.3 else w
        return rnd.choice(AROUND) + w + rnd.choice(AROUND)

    out = splice_pages(PAGES, 5, 80, piece)
    for w in words:  # at the text's very start and end
        out.append(w + out[0][:400] + w)
    return [t for t in out if max(map(ord, t)) <= 0xFFFF]


TEXTS = _texts()


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_subject_cues_at_candidates_match_the_plain_finditer(i):
    t = TEXTS[i]
    srx = L.subject_cues()[1]
    L.scan_candidates.cache_clear()
    cands = L.scan_candidates(t)
    assert cands is not None
    plain = [(*m.span(), m.group()) for m in srx.finditer(t)]
    assert L.cue_spans(srx, t, cands[3]) == plain
    # windows: a candidate before ``lo`` or a match running past ``hi`` must not leak in
    rnd = random.Random(i)
    for _ in range(5):
        lo, hi = sorted(rnd.randrange(len(t) + 1) for _ in range(2))
        assert L.cue_spans(srx, t, cands[3], lo, hi) == [(*m.span(), m.group()) for m in srx.finditer(t, lo, hi)]


def test_the_gate_skips_most_positions_and_binding_reads_it(monkeypatch):
    t = max(TEXTS[:2 * len(PAGES):2], key=len)  # the longest real page
    cands = L.scan_candidates(t)
    assert len(cands[3]) < len(t) / 10
    # _Doc's subjects from the gated scan equal those of the plain scan (scan_candidates None)
    gated = B._Doc(t, [], []).subjects
    monkeypatch.setattr(L, "scan_candidates", lambda s: None)
    assert B._Doc(t, [], []).subjects == gated
    assert len(gated) > 10


def test_binding_figures_same_with_and_without_the_gate(monkeypatch):
    from extract import figures as F

    for p in PAGES[:6]:
        raw = p.read_text(encoding="utf-8")
        a, b = F.find_figures(raw), F.find_figures(raw)
        B.bind(raw, a, [], [])
        with monkeypatch.context() as m:
            m.setattr(L, "scan_candidates", lambda s: None)
            B.bind(raw, b, [], [])
        key = lambda f: (f.start, f.end, f.subject, f.metric, f.sign, f.checkable)  # noqa: E731
        assert list(map(key, a)) == list(map(key, b))
        assert isinstance(a[0], Figure) if a else True
