"""find_claims' last step (dedup, sentence, flags, entities and figures per claim) against a plain rewrite.

The stage's loop takes shortcuts (per-position clause and sentence indexes, a running maximum that
rules out the overlap check, searches between pos and endpos instead of slices, bisects into the
mentions); the plain form below scans lists and slices the text. Both run on the same raw
candidates of real pages, so any difference comes from the final step.
"""
import glob
from pathlib import Path

import pytest

from extract import claims as C
from extract.clean import clean
from extract.entities import find_mentions
from extract.figures import find_figures

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(glob.glob(str(ROOT / "tests/data/pages/*.txt")) + glob.glob(str(ROOT / "corpora/articles/*.txt")))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _plain_claims(text: str, mentions: list, figures: list, author: str | None) -> list[dict]:
    lex = C._lex()
    seg = C._Segments(text, lex)
    found = C._find_cues(text, lex)
    seg.cue_starts, seg.cue_ends = [a for a, _, _ in found], [b for _, b, _ in found]
    blocked: list = []
    frames = C._from_frames(seg, lex, blocked)
    blocked.sort()
    raws = frames + C._from_cues(seg, lex, blocked, found)
    ms = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ms]
    fig_order = sorted(range(len(figures)), key=lambda i: figures[i].start)
    sent_ends = [i for i in range(len(text)) if C._BOUNDARY.match(text, i) and text[i] in C._SENT_PUNCT]
    clause_ends = [i for i in range(len(text)) if C._BOUNDARY.match(text, i)]

    def around(ends: list[int], i: int) -> tuple[int, int]:
        before = [b for b in ends if b < i]
        after = [b for b in ends if b >= i]
        return (before[-1] + 1 if before else 0, after[0] if after else len(text))

    def inside(a: int, b: int) -> tuple[list, list]:
        ids: list = []
        for m in ms:
            if a <= m.start and m.start < m.end <= b and m.entity not in ids:
                ids.append(m.entity)
        figs = [i for i in fig_order if a <= figures[i].start and figures[i].start < figures[i].end <= b]
        return ids, figs

    kept: list = []
    out = []
    for r in sorted(raws, key=lambda r: (r.cue[0], r.cause[0])):
        (c0, c1), (e0, e1), (p, q) = r.cause, r.effect, r.cue
        if any(_overlap(r.cause, kc) and _overlap(r.effect, ke) for kc, ke in kept[-8:]):
            continue
        if _overlap(r.cause, r.effect):
            continue
        kept.append((r.cause, r.effect))
        s0, s1 = around(sent_ends, p)
        cs, _ = around(clause_ends, p)
        hi = max(c1, e1, q)
        sa, sb = min(s0, c0, e0, p), max(s1, hi)
        negated = (
            r.neg
            or lex["neg_clause_re"].search(text[max(cs, min(c0, e0, p)):p]) is not None
            or lex["neg_sent_re"].search(text[s0:p]) is not None
        )
        ce, cf = inside(c0, c1)
        ee, ef = inside(e0, e1)
        out.append({
            "cause": (text[c0:c1], c0, c1), "effect": (text[e0:e1], e0, e1), "cue": (text[p:q], p, q),
            "hedged": r.cond or lex["hedge_re"].search(text[s0:hi]) is not None,
            "negated": negated,
            "attributed_to": C._attribution(text, s0, s1, p, ms, starts, lex, author),
            "sentence": (text[sa:sb], sa, sb),
            "cause_entities": ce, "effect_entities": ee, "cause_figures": cf, "effect_figures": ef,
        })
    return out


def _as_plain(claim) -> dict:
    span = lambda s: (s.text, s.start, s.end)  # noqa: E731
    return {
        "cause": span(claim.cause), "effect": span(claim.effect), "cue": span(claim.cue),
        "hedged": claim.hedged, "negated": claim.negated, "attributed_to": claim.attributed_to,
        "sentence": span(claim.sentence),
        "cause_entities": claim.cause_entities, "effect_entities": claim.effect_entities,
        "cause_figures": claim.cause_figures, "effect_figures": claim.effect_figures,
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: Path(p).name)
def test_final_step_matches_the_plain_rewrite(path: str) -> None:
    doc = clean(Path(path).read_text(encoding="utf-8"))
    text = doc.text
    mentions, figures = find_mentions(text), find_figures(text)
    author = (doc.byline or {}).get("author") or "byline"
    got = [_as_plain(c) for c in C.find_claims(text, mentions, figures, author=author)]
    assert got == _plain_claims(text, mentions, figures, author)
