"""The qualifier readers of figures (fast forms) give what their plain definitions give, on real text."""
from pathlib import Path
from typing import Optional

import pytest

from extract import _lexicon as L
from extract import figures as F
from extract._numerals import norm

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "tests" / "data" / "pages").glob("*.txt")) + sorted((ROOT / "corpora" / "articles").glob("*.txt"))[:40]
TRICKY = ("不超过 3%,超过 5%;未 超过10%;买超 20 亿;大约  1 2 3;约为,约 7;近 9、逾 10,000;"
          "至少 3 成,最多  5,不到 1 年;几乎 4;约 5 左右,3 以上;5以内 6 上方,7 之 下")


def _pre_plain(t: str, start: int) -> tuple[Optional[str], int]:
    """The plain definition: the words of the clause before ``start`` (at most 20 characters)."""
    pre, _ = L.qualifiers()
    rx = L.alternation(pre)
    cs = F._clause_start(t, start, 20)
    seg = t[cs:start]
    best = None
    pos = 0
    last_end = -1
    while True:
        m = rx.search(seg, pos)
        if m is None:
            break
        pos = m.start() + 1
        if m.end() <= last_end:
            continue
        last_end = m.end()
        approx, gap = pre[m.group()]
        between = seg[m.end():]
        if len(between.replace(" ", "")) > gap or any(ch.isdigit() or ch in F._PUNCT for ch in between):
            continue
        p0 = cs + m.start()
        cand = approx
        if approx == "over" and not F._NEGATIONS.isdisjoint(t[max(cs, p0 - 3):p0]):
            cand = "up_to"
        if best is None or p0 >= best[1]:
            best = (cand, p0) if cand != "eq" else None
    return best if best else (None, start)


def _post_plain(t: str, end: int) -> tuple[Optional[str], int]:
    _, post = L.qualifiers()
    seg = t[end:end + 6]
    for w in sorted(post, key=len, reverse=True):
        approx, gap = post[w]
        k = seg.find(w)
        if k >= 0 and k <= gap and not any(ch in F._PUNCT or ch.isdigit() for ch in seg[:k]):
            return approx, end + k + len(w)
    return None, end


def _texts():
    yield norm(TRICKY)
    for f in FILES:
        yield norm(f.read_text(encoding="utf-8"))


@pytest.mark.parametrize("t", list(_texts()))
def test_qualifiers_match_plain_definitions(t):
    # every position after a qualifier word, a space or a digit: where numbers and their neighbours stand
    pre_hits = post_hits = 0
    for i in range(len(t) + 1):
        got = F._pre_qualifier(t, i)
        assert got == _pre_plain(t, i), (i, t[max(0, i - 20):i])
        pre_hits += got[0] is not None
        got = F._post_qualifier(t, i)
        assert got == _post_plain(t, i), (i, t[i:i + 6])
        post_hits += got[0] is not None
    if t.startswith(norm(TRICKY)[:10]):
        assert pre_hits and post_hits


RANGES = "6.4 万至 7.1 万美元,64k-71k, 38–39, 5%-8%, 3 ~ 4,7 到\n9,1 至 2 至 3;10 - 20;从 3.3% 跃升至 9%,由 5 降到 4;从\x01\x01 的 2"


@pytest.mark.parametrize("t", [norm(RANGES)] + [norm(f.read_text(encoding="utf-8")) for f in FILES[:12]])
def test_pair_prechecks_match_the_slices(t):
    # between every two numbers (and around each): the bounded fullmatch is _RANGE_SEP on the
    # slice, and _FROM searched between bounds is _FROM on the slice
    from extract._numerals import find_numbers

    nums = find_numbers(t, t)
    seps = froms = 0
    for x, y in zip(nums, nums[1:]):
        for a, b in ((x.end, y.start), (x.start, y.start), (x.end, y.end)):
            got = F._RANGE_SEP_FULL.fullmatch(t, a, b) is not None
            assert got == (F._RANGE_SEP.match(t[a:b]) is not None), t[a:b]
            seps += got
        for e in (y.start, y.end, x.end + 1):
            lo = max(0, e - 14)
            got = F._FROM.search(t, lo, e)
            assert (got and got.span()) == ((m := F._FROM.search(t[lo:e])) and (m.start() + lo, m.end() + lo))
            froms += got is not None
    if t == norm(RANGES):
        assert seps >= 6 and froms >= 2


@pytest.mark.parametrize("t", [norm("第 3 季度,图3、表 4,附录\u30005,No.7 与 #8,每  9 人,几 10 次,版本\t11")]
                         + [norm(f.read_text(encoding="utf-8")) for f in FILES[:12]])
def test_prefix_gate_is_exact(t):
    # _atom tests the not-figure prefix words only when the character before the number passes
    # the gate: at every position, the gate never hides a window that ends with a prefix word
    pw, _, gate = F._atom_lex()
    assert pw is not None
    hits = 0
    for i in range(len(t) + 1):
        before = t[max(0, i - 8):i]
        plain = before.rstrip().endswith(pw)
        assert ((t[i - 1] if i else "") in gate and plain) == plain, before
        hits += plain
    assert hits


@pytest.mark.parametrize("path", FILES[:12])
def test_mk_positional_matches_keywords(path):
    # _mk passes Figure's fields by position: the same record as by keyword, for every atom
    from extract._numerals import find_numbers
    from extract.records import Figure

    text = path.read_text(encoding="utf-8")
    t = norm(text)
    mask = F._mask(t)[0]
    seen = 0
    for n in find_numbers(text, t, cn_next=F._unit_first_chars(), skip=mask):
        a = F._atom(t, n, mask)
        if a is None or a.pair is not None:
            continue
        a.unit, a.kind = a.unit or "level", a.kind or "level"
        plain = Figure(surface=text[a.start:a.end], start=a.start, end=a.end, value=F._clean(a.value), unit=a.unit,
                       kind=a.kind, approx=a.approx, sign="-" if a.n.negative else None)
        assert F._mk(text, a) == plain
        seen += 1
    assert seen


@pytest.mark.parametrize("path", FILES)
def test_find_numbers_leaves_out_prose_numerals(path):
    # find_figures relies on it (it no longer tests them itself): every Chinese numeral that
    # find_numbers gives with cn_next has a unit's first character after it or 分之 before or in it
    from extract._numerals import find_numbers

    t = norm(path.read_text(encoding="utf-8"))
    unit_first = F._unit_first_chars()
    for n in find_numbers(t, t, cn_next=unit_first):
        if n.chinese:
            nxt = t[n.end:n.end + 2].lstrip(" ")[:1]
            assert nxt in unit_first or t[max(0, n.start - 2):n.start] == "分之" or "分之" in t[n.start:n.end]
