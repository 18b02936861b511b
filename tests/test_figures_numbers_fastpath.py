"""find_numbers reads a plain ASCII number (12, 5.8) without the full numeral grammar when
nothing after it could extend it; the numbers found must be those of the grammar alone."""
import random

import pytest

from extract import _numerals as N

_PIECES = ["12", "5", ".", "8", ",", "000", " ", "  ", "e", "E", "5", "-", "+", "万", "亿", "千", "十", "多", "余",
           "分之", "分", "又", "一", "三", "k", "K", "bn", "million", "M", "%", "美元", "个", "年", "：", "，", "\n",
           "٣", "x", "a", "(", ")", "/", "负", "点五", "成"]


def _cases() -> list[str]:
    rng = random.Random(11)
    fixed = ["12", "5.8%", "1,000 美元", "84 500", "3e5", "3.5亿", "10多亿", "三分之一", "1又1/2", "5k", "5 k",
             "2.5 million", "12.", "12.a", "7٣", "100万4782.88", "1.5 亿", "-3.2%", "3-5", "20x"]
    return fixed + ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 10))) for _ in range(4000)]


@pytest.fixture
def grammar_only(monkeypatch):
    """find_numbers with the plain-number shortcut switched off."""
    def run(t, cn_next):
        monkeypatch.setattr(N, "_simple_re", lambda: "(?P<simple>(?!x)x)")
        N._scan_re.cache_clear()
        try:
            return N.find_numbers(t, cn_next=cn_next)
        finally:
            monkeypatch.undo()
            N._scan_re.cache_clear()
    return run


@pytest.mark.parametrize("cn_next", [None, frozenset("个年美%")])
def test_plain_number_shortcut_matches_the_grammar(grammar_only, cn_next):
    cases = _cases()
    want = [grammar_only(s, cn_next) for s in cases]
    got = [N.find_numbers(s, cn_next=cn_next) for s in cases]
    for s, w, g in zip(cases, want, got):
        assert g == w, s


def test_plain_number_shortcut_matches_the_grammar_on_real_pages(grammar_only, seeds):
    from pathlib import Path

    from extract.figures import _unit_first_chars

    pages = sorted(Path(__file__).parent.glob("data/*/*.txt"))
    texts = list(seeds.values()) + [p.read_text(encoding="utf-8") for p in pages]
    for cn_next in (None, _unit_first_chars()):
        for t in texts:
            assert N.find_numbers(t, cn_next=cn_next) == grammar_only(t, cn_next), t[:80]


def test_number_body_ascii_check_is_exact():
    # find_numbers skips the _HAS_CN search for an ASCII body: exact only while every Chinese
    # numeral character is outside ASCII
    assert not any(c.isascii() for c in N.CN_CHARS)
    assert N._HAS_CN.pattern == f"[{N.CN_CHARS}]"


def test_skip_precheck_matches_the_skip_regex(seeds):
    # _atom runs _SKIP only when a character of _SKIP_FIRST follows the number; everywhere else
    # _SKIP must match the empty string with no 多/余 (checked at every position of the real
    # pages, and at every character _SKIP_FIRST leaves out)
    import re
    from pathlib import Path

    from extract import figures as F
    from extract._numerals import norm

    pages = sorted(Path(__file__).parent.glob("data/*/*.txt"))
    texts = [norm(t) for t in seeds.values()] + [norm(p.read_text(encoding="utf-8")) for p in pages]
    texts.append("".join(c for c in map(chr, range(0x110000)) if c not in F._SKIP_FIRST and not 0xD800 <= ord(c) < 0xE000))
    for t in texts:
        for pos in range(len(t)):
            if t[pos] not in F._SKIP_FIRST:
                m = F._SKIP.match(t, pos)
                assert m.end() == pos and m.group(1) is None, (t[pos:pos + 5], pos)
    assert all(re.match(r"\s", c) is None for c in map(chr, range(0x110000)) if c not in F._SKIP_FIRST)
