"""find_numbers gives what its plain form gives on real text (the fast paths of the scan loop)."""
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from extract import figures as F
from extract._numerals import (CN_BIG, Number, _BIG_LAST, _BIG_TAIL, _CAPITALS, _HAS_CN, _scan_re, _split_scale,
                               find_numbers, norm, parse_arabic, parse_cn, scale_words)

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "tests" / "data" / "pages").glob("*.txt")) + sorted((ROOT / "corpora" / "articles").glob("*.txt"))
TRICKY = "三千多万、十余万、二十几万、一两个、七八万、三分之一、负三十二、10万4782.88、5.3 亿、0.5、007、12.50、万亿、壹万"


def _find_numbers_plain(text: str, normed: str | None = None, cn_next: frozenset | None = None,
                 skip: bytearray | None = None) -> list[Number]:
    """find_numbers as written before its fast paths (parse_arabic, generators over the run)."""
    t = normed if normed is not None else norm(text)
    out: list[Number] = []
    rx, (g_simple, g_num, g_neg, g_frac, g_mixed, g_latin, g_cn) = _scan_re(cn_next)
    search = rx.search
    pos = 0
    while True:
        m = search(t, pos)
        if m is None:
            return out
        start, end = m.span(g_simple)
        if start >= 0:  # a plain number (see _simple_re): what the grammar's "mixed" branch gives
            pos = end
            if skip is not None and skip.find(1, start, end) >= 0:
                continue
            val = parse_arabic(t[start:end])
            out.append(Number(start, end, val, val, None, False, False, False))
            continue
        start, end = m.span(g_num)
        pos = end  # the scan goes on after this numeral, kept or not
        # (the grammar never ends in a space; trimmed anyway, as the span is what callers see)
        while end > start and t[end - 1] == " ":
            end -= 1
        if skip is not None and skip.find(1, start, end) >= 0:
            continue
        neg, frac, mixed, latin, body = m.group(g_neg, g_frac, g_mixed, g_latin, g_cn)
        try:
            if frac:
                val = parse_cn(frac, True)
                out.append(Number(start, pos, -val if neg else val, val, None, True, negative=bool(neg)))
                continue
            if mixed:
                body = mixed
                if body[-1] not in _BIG_LAST:  # no scale word at the end (most numbers)
                    sc = None
                    base = parse_cn(body, True) if not body.isascii() and _HAS_CN.search(body) else parse_arabic(body)
                    val = base
                    over = False
                else:
                    head, sc, over = _split_scale(body)
                    base = parse_arabic(head) if sc is not None else parse_cn(body, True) if not body.isascii() and _HAS_CN.search(body) else parse_arabic(body)
                    val = base * sc if sc is not None else base
                if latin:
                    lat = scale_words()[latin]
                    val *= lat
                    sc = (sc or Decimal(1)) * lat
                over = over or "多" in body or "余" in body
                chinese = False  # starts with Arabic digits (a CJK scale word does not make it prose)
            else:
                if cn_next is not None:
                    nxt = t[pos:pos + 2].lstrip(" ")[:1]
                    if nxt not in cn_next and t[max(0, start - 2):start] != "分之":
                        continue
                if body in ("万", "亿", "兆") or all(ch in CN_BIG for ch in body):
                    continue
                if len(body) == 1 and body in _CAPITALS and t[max(0, start - 2):start] != "分之":
                    continue
                val = parse_cn(body, True)
                base, sc, over, chinese = val, None, any(ch in "多余几" for ch in body), True
                tail = _BIG_TAIL.search(body)
                if tail and tail.start() > 0:
                    try:
                        head_v = parse_cn(body[: tail.start()], True)
                        sc = parse_cn("一" + tail.group(2), True)
                        if head_v * sc == val:
                            base = head_v
                        else:
                            sc = None
                    except ValueError:
                        sc = None
        except (ValueError, InvalidOperation, ArithmeticError):
            continue
        out.append(Number(start, end, -val if neg else val, base, sc, chinese, over, bool(neg)))


@pytest.mark.parametrize("path", [None] + FILES)
def test_find_numbers_matches_plain(path):
    t = norm(TRICKY if path is None else path.read_text(encoding="utf-8"))
    mask = F._mask(t)[0]
    for kw in ({}, {"cn_next": F._unit_first_chars()}, {"cn_next": F._unit_first_chars(), "skip": mask}):
        got, plain = find_numbers(t, t, **kw), _find_numbers_plain(t, t, **kw)
        assert [repr(n) for n in got] == [repr(n) for n in plain]
        assert got
