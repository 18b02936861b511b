"""The speed-ups in extract/claims.py must give exactly what the plain forms give.

Each fast path (a windowed search, a regex rewritten to start with its literal, bisect
lookups of clause and sentence boundaries) is checked against the straightforward form
on random strings built from the characters the patterns care about.
"""
import random
import re
from bisect import bisect_left

import pytest

from extract import claims as C

# the patterns as first written: any match must start at a clause start, tried at every position
_WHEN_PLAIN = re.compile(r"(?:^|(?<=[，,；;。！？!?\n\s“]))(?:而|但|每)?当" + C._WHEN.pattern.split("当))", 1)[1])
_YIN_ER_PLAIN = re.compile(r"(?<![原基诱成病主起])因" + C._YIN_ER.pattern.split("因)", 1)[1])


def _strings(pool, n, max_len, seed):
    rnd = random.Random(seed)
    for _ in range(n):
        s = "".join(rnd.choice(pool) for _ in range(rnd.randint(0, max_len)))
        pos = rnd.randint(0, len(s))
        yield s, pos, rnd.randint(pos, len(s))


def test_trail_window_gives_the_whole_search():
    words = [re.sub(r"\(\?<!\[[^\]]*\]\)", "", w) for w in C._TRAIL_WORDS.split("|")]
    pool = words + list("机议协员事社聚约易究务场但总或就正还也却存现实潜内外价格市场 \n“”")
    for s, _, _ in _strings(pool, 30000, 40, seed=1):  # runs longer than the window too
        whole = C._TRAIL.search(s)
        fast = C._trail(s)
        assert (whole and whole.start()) == (fast and fast.start()), s


def test_trail_run_longer_than_the_window():
    s = "价格" + "可能会进一步大幅" * 4
    assert C._trail(s).start() == C._TRAIL.search(s).start() == 2


@pytest.mark.parametrize(
    "fast, plain, pool",
    [
        (C._WHEN, _WHEN_PLAIN, list("而但每当前天时日元圆同及临的之候，,；;。！？!?\n “市场下跌价格") + ["当市场", "的时候", "之时", "时,"]),
        (C._YIN_ER, _YIN_ER_PLAIN, list("因为此素果子原基诱成病主起而，,。市场下跌价格") + ["因市场", "而下跌"]),
    ],
)
def test_literal_first_patterns_match_like_their_plain_forms(fast, plain, pool):
    assert fast.pattern != plain.pattern
    for s, pos, end in _strings(pool, 30000, 30, seed=2):
        got = [(m.span(), m.groupdict()) for m in fast.finditer(s, pos, end)]
        want = [(m.span(), m.groupdict()) for m in plain.finditer(s, pos, end)]
        assert got == want, (s, pos, end)


def _around(bounds, i, n):
    """The plain lookup: the boundaries before and after position i."""
    before = [b for b in bounds if b < i]
    after = [b for b in bounds if b >= i]
    return (before[-1] + 1 if before else 0, after[0] if after else n)


def test_segment_lookups_match_a_plain_scan():
    lex = C._lex()
    for s, _, _ in _strings(list("价格下跌市场，,。！？!?\n；;：:—1 2") + ["如果", "若"], 3000, 40, seed=3):
        seg = C._Segments(s, lex)
        cb = [m.start() for m in C._BOUNDARY.finditer(s)]
        sb = [b for b in cb if s[b] in C._SENT_PUNCT]
        for i in range(len(s) + 1):
            assert seg.clause(i) == _around(cb, i, len(s))
            assert seg.sentence(i) == _around(sb, i, len(s))
            assert seg.opens_cond(i) == bool(lex["cond_re"].match(s[i:i + 6]))


def test_numpy_boundaries_match_the_regex():
    # long texts take the numpy table path: digits around , and : (ASCII, fullwidth, Arabic-Indic) matter
    pool = list("价格下跌市场，,。！？!?\n；;：:—12３٣ a") + ["118,000", "16:00", "3,", ",4"]
    rnd = random.Random(4)
    for k in range(300):
        s = "".join(rnd.choice(pool) for _ in range(rnd.randint(256, 600)))
        if k % 50 == 0:
            s += "\U0001d7ce,\U0001d7cf"  # an astral digit: the regex path
        cb = [m.start() for m in C._BOUNDARY.finditer(s)]
        sb = [b for b in cb if s[b] in C._SENT_PUNCT]
        got_cb, got_sb, cstart, sstart, ck, sk = C._boundaries(s)
        assert (got_cb, got_sb) == (cb, sb), s
        # the starts: 0, then one past each boundary (numpy-made on the table path)
        assert (cstart, sstart) == ([0] + [b + 1 for b in cb], [0] + [b + 1 for b in sb]), s
        # the ranks: the clause and sentence index of every position, as a bisect gives it
        assert list(ck) == [bisect_left(cb, i) for i in range(len(s) + 1)], s
        assert list(sk) == [bisect_left(sb, i) for i in range(len(s) + 1)], s


@pytest.mark.parametrize("rx, anchor", [(C._SHI, "shi"), (C._CASE, "case")])
def test_clause_start_frames_match_like_finditer(rx, anchor):
    lex = C._lex()
    pool = list("在时的同此当，,；;。！？!?\n 市场下跌价格") + ["时，", "时,", "情况下", "背景下", "在市场", " 在"]
    for s, _, _ in _strings(pool, 20000, 40, seed=5):
        seg = C._Segments(s, lex)
        got = [(m.span(), m.groupdict()) for m in C._clause_matches(rx, C._ANCHORS[anchor], seg)]
        want = [(m.span(), m.groupdict()) for m in C._finditer(rx, C._ANCHORS[anchor], seg)]
        assert got == want, s


def test_conditional_precheck_matches_the_plain_rule():
    lex = C._lex()
    for s, _, _ in _strings(list("价格下跌市场，,。；而但") + ["如果", "若", "一旦", "所以"], 3000, 40, seed=6):
        seg = C._Segments(s, lex)
        for cs in seg.cstart:
            prev = seg.prev_clause(cs)
            plain = seg.opens_cond(cs) or bool(prev and seg.opens_cond(prev[0]))
            assert C._conditional(seg, cs, lex) == plain, (s, cs)


def test_claim_fields_in_the_order_find_claims_passes_them():
    # find_claims builds Claim positionally (cheaper than keywords): a reordered dataclass must fail here
    import dataclasses

    from extract.records import Claim

    assert [f.name for f in dataclasses.fields(Claim)] == [
        "cause", "effect", "cue", "hedged", "negated", "attributed_to", "sentence",
        "cause_entities", "effect_entities", "cause_figures", "effect_figures",
    ]


def test_yin_er_whole_text_scan_matches_the_per_sentence_scan():
    lex = C._lex()
    pool = list("因为此素原起而，,。！？!?\n；; 市场下跌价格") + ["因市场", "而下跌"]
    for s, _, _ in _strings(pool, 20000, 40, seed=7):
        seg = C._Segments(s, lex)
        got = [(m.span(), m.groupdict()) for m in C._YIN_ER.finditer(s)]
        assert got == [(m.span(), m.groupdict()) for m in C._finditer(C._YIN_ER, ("因",), seg)], s


def test_gated_cue_scan_finds_what_the_plain_trie_finds():
    lex = C._lex()
    words = list(lex["cues"])
    pool = words + [w[0] for w in words] + list("使令让用命人这是不中，。\n 市场下跌")
    for s, _, _ in _strings(pool, 20000, 30, seed=8):
        want = [(m.start(), m.end(), m.group()) for m in lex["cue_re"].finditer(s)]
        assert C._find_cues(s, lex) == want, s


def _real_texts() -> list[str]:
    import glob
    from pathlib import Path

    from extract.clean import clean

    root = Path(__file__).resolve().parent.parent
    files = sorted(glob.glob(str(root / "tests/data/pages/*.txt")) + glob.glob(str(root / "corpora/articles/*.txt")))
    return [clean(Path(f).read_text(encoding="utf-8")).text for f in files]


def test_trail_scan_on_real_text():
    # every clause of the real pages, and every clause cut at each of its characters (as _trim cuts spans)
    lex = C._lex()
    n = 0
    for text in _real_texts():
        seg = C._Segments(text, lex)
        for a, b in zip(seg.cstart, seg.cend):
            for e in range(a + 1, b + 1):
                s = text[a:e]
                whole = C._TRAIL.search(s)
                fast = C._trail(s)
                assert (whole and whole.start()) == (fast and fast.start()), s
                n += whole is not None
    assert n > 1000  # the runs are there to find


def test_spaces_are_all_of_isspace():
    # _LEAD_FIRST / _TRAIL_LAST / _is_pronoun test whitespace by set membership instead of str.isspace()
    assert C._SPACES == {c for c in map(chr, range(0x110000)) if c.isspace()}


def _plain_trim(text: str, a: int, b: int) -> tuple[int, int]:
    if a >= b:
        return a, b
    m = C._LEAD.match(text[a:b])
    if m:
        a += m.end()
        if a >= b:
            return a, b
    m = C._TRAIL.search(text[a:b])
    if m:
        b = a + m.start()
    return a, b


def _plain_refers_back(text: str, a: int, b: int, anaphora: bool) -> bool:
    s = text[a:b]
    return s.strip() in C._PRONOUNS or (anaphora and bool(C._PRONOUN_HEAD.match(s) or C._ANAPHOR_EVENT.match(s)))


def test_trim_and_refers_back_on_real_text():
    # every clause of the real pages cut at each character on either side, and whitespace-led spans
    lex = C._lex()
    for text in _real_texts() + ["  这一点，\u3000此举，\u00a0它们的， 若此态势持续下去，\t的了"]:
        seg = C._Segments(text, lex)
        for a0, b0 in zip(seg.cstart, seg.cend):
            for a, b in [(a0, e) for e in range(a0, b0 + 1)] + [(s, b0) for s in range(a0, b0)]:
                assert C._trim(text, a, b) == _plain_trim(text, a, b), (text[a:b], a, b)
                for anaphora in (True, False):
                    assert C._refers_back(text, a, b, anaphora) == _plain_refers_back(text, a, b, anaphora), text[a:b]


def test_nonobject_length_bound():
    # _from_cues looks an effect up in nonobject only when it is no longer than the longest entry
    lex = C._lex()
    assert lex["nonobject_len"] == max(map(len, lex["nonobject"]))


def test_numpy_cue_candidates_find_what_the_plain_trie_finds():
    # the real pages (long: the numpy path), and random strings of cue words padded to that path's length
    pytest.importorskip("numpy")
    lex = C._lex()
    words = list(lex["cues"])
    pool = words + [w[0] for w in words] + [w[1:] for w in words if len(w) > 1] + list("使令让用命人这是不中，。\n 市场下跌")
    rnd = random.Random(9)
    randoms = ["".join(rnd.choice(pool) for _ in range(rnd.randint(150, 400))) for _ in range(300)]
    n = 0
    for s in _real_texts() + randoms + ["价" * 255 + "让", "价" * 254 + "导致"]:
        a = C._utf16(s)
        if a is None:
            continue
        want = [(m.start(), m.end(), m.group()) for m in lex["cue_re"].finditer(s)]
        assert C._find_cues(s, lex, a) == want, s
        assert C._find_cues(s, lex, a, C._gate_scan(a)[0]) == want, s  # as _Segments finds them
        n += len(want)
    assert n > 5000


def test_numpy_literal_starts_match_a_find_per_literal():
    # the real pages (long: the numpy path), and random strings of the literals and their pieces padded
    # to that path's length, some ending in a literal's first character (the clipped last pair)
    pytest.importorskip("numpy")
    lits = C._literal_words()
    pool = list(lits) + [w[:2] for w in lits] + [w[1:] for w in lits if len(w) > 1] + list("价格下跌市场，。\n 日前")
    rnd = random.Random(10)
    randoms = ["".join(rnd.choice(pool) for _ in range(rnd.randint(150, 400))) for _ in range(300)]
    ends = ["价" * 255 + w[:k] for w in lits for k in (1, 2)]
    n = 0
    for s in _real_texts() + randoms + ends:
        a = C._utf16(s)
        if a is None:
            continue
        got = C._literal_starts(s, a)
        assert got == {w: C._occurrences(s, w) for w in lits}, s
        n += sum(map(len, got.values()))
    assert n > 5000


def test_sentences_and_marker_clauses_from_recorded_starts():
    # _sentences_with and _marker_clauses read the recorded starts: the same as a find over the text
    lex = C._lex()
    for s in _real_texts():
        seg = C._Segments(s, lex)
        for lits in C._ANCHORS.values():
            plain = sorted({seg.sentence(i) for w in lits for i in C._occurrences(s, w)})
            assert C._sentences_with(lits, seg) == plain
        for marker, _, common in lex["passive"]:
            plain = sorted({seg.clause(i) for i in C._occurrences(s, marker)})
            plain = [(a, b) for a, b in plain if all(ch in s[a:b] for ch in common)]
            assert C._marker_clauses(seg, marker, common) == plain


def _frame_pairs(seg):
    """(fast, plain) match lists of the frames tried only at their possible starts."""
    yw = sorted(i for w in C._ANCHORS["yinwei_er"] for i in seg.starts(w))
    return [
        (C._matches_at(C._WHEN, C._when_starts(seg), seg), C._finditer(C._WHEN, C._ANCHORS["when"], seg)),
        (C._matches_at(C._YINWEI_ER, yw, seg), C._finditer(C._YINWEI_ER, C._ANCHORS["yinwei_er"], seg)),
        (C._paren_matches(seg), C._finditer(C._PAREN_REASON, C._ANCHORS["paren"], seg)),
    ]


def test_frames_tried_at_their_starts_match_like_finditer():
    lex = C._lex()
    pool = list("而但每当时前日元因为由于（）()，,；;。！？!?\n “市场下跌价格") + ["（因", "(由于", "当市场", "因为", "而是"]
    texts = [s for s, _, _ in _strings(pool, 20000, 40, seed=11)]
    texts += [s * 3 for s, _, _ in _strings(pool, 300, 120, seed=12)]
    # runs of 1 to 70 characters before a bracket (a match's part before it holds 2 to 60)
    texts += [pre + "价" * k + mid + "（因为市场下跌）" for k in range(71) for pre in ("", "，", "（") for mid in ("", "(")]
    n = 0
    for s in texts + _real_texts():
        seg = C._Segments(s, lex)
        for fast, plain in _frame_pairs(seg):
            got = [(m.span(), m.groupdict()) for m in fast]
            assert got == [(m.span(), m.groupdict()) for m in plain], s
            n += len(got)
    assert n > 3000


def test_attribution_clause_precheck():
    # _may_attribute never rules out a clause _ATTR_CLAUSE matches (real clauses and random ones)
    lex = C._lex()
    pool = list("据根报道称表示认为指出写道强调警告示为出调告，,。 市场下跌价格\n") + ["根据", "据路透", "写道", "表示"]
    spans = [(s, 0, len(s)) for s, _, _ in _strings(pool, 20000, 30, seed=13)]
    for s in _real_texts():
        seg = C._Segments(s, lex)
        spans += [(s, a, b) for a, b in zip(seg.cstart, seg.cend)]
    hits = 0
    for s, a, b in spans:
        if b > a and C._ATTR_CLAUSE.match(s[a:b]):
            hits += 1
            assert C._may_attribute(s, a, b), s[a:b]
    assert hits > 500


def test_unsorted_mentions_and_figures_give_the_same_claims():
    # find_claims skips sorting mentions and figures that come sorted: the sorting path must agree
    from extract.entities import find_mentions
    from extract.figures import find_figures

    n = 0
    for s in _real_texts()[:12]:
        ms, figs = find_mentions(s), find_figures(s)
        want = C.find_claims(s, ms, figs)
        k = next((i for i in range(len(ms) // 2, len(ms)) if ms[i - 1].start != ms[i].start), 0)
        rot = ms[k:] + ms[:k]  # (ties keep their order: the stable sort gives ms back)
        got = C.find_claims(s, rot, figs[::-1])
        last = len(figs) - 1
        for c in got:
            c.cause_figures = [last - i for i in c.cause_figures]
            c.effect_figures = [last - i for i in c.effect_figures]
        assert got == want
        n += sum(bool(c.cause_figures or c.effect_figures or c.cause_entities) for c in want)
    assert n > 20


def test_attribution_scans_match_the_anchored_patterns():
    # _attribution runs the attr_*_scan forms on "，" + the text: the same matches, one character on,
    # as the ^-anchored attr_*_re forms on the text (real sentences cut at each cue-like point, random strings)
    lex = C._lex()
    (prefix_scan, _), (verb_scan, _) = lex["attr_scans"]
    pool = list("据根报道称表示认为指出写道强调也则，,。；： 市场下跌价格\n") + ["根据", "据路透", "分析师表示", "据悉", "进一步"]
    texts = [s for s, _, _ in _strings(pool, 20000, 40, seed=14)]
    for s in _real_texts():
        seg = C._Segments(s, lex)
        texts += [s[a:b] for a, b in zip(seg.sstart, seg.send)]
    n = 0
    for s in texts:
        for plain, scan in ((lex["attr_prefix_re"], prefix_scan), (lex["attr_verb_re"], verb_scan)):
            want = [m.span("src") for m in plain.finditer(s)]
            assert [(m.start("src") - 1, m.end("src") - 1) for m in scan.finditer("，" + s)] == want, s
            n += len(want)
    assert n > 500
