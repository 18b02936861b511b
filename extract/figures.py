"""Figure recognition: numbers with unit, scale, qualifier, range and from->to change.

A character-level scan (compiled regexes over a 1:1 normalized copy of the text, no word
segmentation): find every numeral (``_numerals.find_numbers``), drop the ones that are dates,
ordinals, labels, list markers or prose counts, read the unit and qualifier words around
each, then join neighbours into ranges (``6.4 万至 7.1 万美元``), enumerations sharing a unit
(``30、60、90、120 天``) and changes (``从 3.3% 跃升至高达 9%``).

:func:`bind_figures` (in ``_binding``) then fills subject, metric, date, sign and checkable.
Lexicons live in ``corpora/figures/`` (see ``_lexicon``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from . import _lexicon as L
from ._numerals import CN_DIGITS, Number, find_numbers, norm
from .records import DateMention, Figure, Mention

__all__ = ["find_figures", "bind_figures"]

_PUNCT = set("。,，;；:：!！?？\n()（）[]【】「」“”\"'《》、")
_CLAUSE_END = set("。,，;；:：!！?？\n")
_RANGE_SEP = re.compile(r"^\s*(?:-|–|—|~|～|至|到)\s*$")
# (find_figures uses its form without anchors, fullmatched between two atoms: no slice)
_RANGE_SEP_FULL = re.compile(r"\s*(?:-|–|—|~|～|至|到)\s*")
_FROM = re.compile(r"(?:从|由)\s*(?:\x01+\s*的\s*)?$")
_CHANGE_MID = re.compile(
    r"^\s*(?:\x01+\s*)?(?:的)?\s*[^\d,.;:!?。，；：！？\x01]{0,8}?(?:至|到|为|成)\s*(?:高达|约|近|超过|逾|接近)?\s*(?:\x01+\s*的\s*)?$"
)
_CN_OK_UNITS = {"pct", "pp", "bp", "x", "USD", "CNY", "HKD", "TWD", "JPY", "EUR", "GBP", "CHF", "BTC", "ETH", "shares",
                "contracts", "years", "days", "trading_days", "months", "weeks", "hours", "minutes"}
_YEAR_AFTER_BAD = re.compile(r"^(?:前|后|以来|来|里|级|底|初|末|代|的时间里)")
_DAY_AFTER_BAD = re.compile(r"^(?:前|后|以来)")
_LEVEL_CUES = re.compile(r"(?:障碍|水平|价位|关口|支撑|阻力|点位|指数|报|收于|区间|delta|Delta|z-score|z值|评分|读数|在)\s*$")


_SKIP = re.compile(r"\s{0,2}([多余])?\s?")
# the characters _SKIP can start with: 多, 余 and whitespace (str.isspace is re's \s; all of
# it lies in the BMP)
_SKIP_FIRST = frozenset("多余" + "".join(c for c in map(chr, range(0x10000)) if c.isspace()))
# what str.rstrip() strips (all of it lies in the BMP)
_SPACES = frozenset(c for c in map(chr, range(0x10000)) if c.isspace())
_ENUM_SEP = re.compile(r"\s*[、/]\s*")


@dataclass(slots=True)
class _Atom:
    """A number with what stands around it, before ranges and changes are assembled."""

    start: int
    end: int
    n: Number
    value: Decimal
    unit: Optional[str] = None
    kind: Optional[str] = None
    approx: str = "eq"
    scale: Optional[Decimal] = None
    factor: Decimal = Decimal(1)
    bare: bool = True  # no unit word or symbol
    pre_unit: bool = False
    pair: Optional[tuple[Decimal, Decimal]] = None  # 两三个, 七八万: an approximate range


_PER = {"百": Decimal(100), "佰": Decimal(100), "千": Decimal(1000), "仟": Decimal(1000), "万": Decimal(10000), "十万": Decimal(10) ** 5,
        "百万": Decimal(10) ** 6, "千万": Decimal(10) ** 7, "万万": Decimal(10) ** 8, "亿": Decimal(10) ** 8,
        "百万万": Decimal(10) ** 10}
_PER_RE = re.compile("(" + "|".join(sorted(_PER, key=len, reverse=True)) + ")分之$")
_CHENG = re.compile(r"(\s?)成(?![交本员立功为长熟型分绩效果])(半|[一二三四五六七八九](?![成十百千万亿]))?")
# (the guard looks back from after 半, so the pattern starts with a literal and ``re`` jumps to each 半)
_HALF = re.compile(r"半(?<![一二三四五六七八九十\d]半)(码|个百分点|个基点|成)")
_STREAK = re.compile(r"(?:连续|过去|近|长达|累计|最近)\s*$")
_PAIR = re.compile(r"^(?:一两|两三|二三|三四|四五|五六|六七|七八|八九|三五)(?=[十百千万亿]?$)")


def _mask(t: str) -> tuple[bytearray, list[tuple[int, int]]]:
    """1 where a number must not be read as a figure: dates/times, labels, idioms; and those spans."""
    from .dates import date_spans

    mask = bytearray(len(t))
    spans = date_spans(t, t)
    cands = L.scan_candidates(t)  # (None for short texts: the plain scans)
    spans += L.label_spans(t, cands and cands[1])
    spans += L.idiom_spans(t, cands and cands[2])
    for a, b in spans:
        mask[a:b] = b"\x01" * (b - a)
    return mask, spans


def _with_dates_marked(t: str, spans: list[tuple[int, int]]) -> str:
    """``t`` with the characters of ``spans`` (dates, labels: see :func:`_mask`) replaced by \\x01, same length."""
    parts, last = [], 0
    for a, b in sorted(spans):
        if b <= last:
            continue
        a = max(a, last)
        parts.append(t[last:a])
        parts.append("\x01" * (b - a))
        last = b
    parts.append(t[last:])
    return "".join(parts)


def _clause_start(t: str, i: int, limit: int = 60) -> int:
    """Start of the clause holding position ``i`` (at most ``limit`` characters back); 1,000 is not a boundary."""
    lo = max(0, i - limit)
    hi = i
    while True:
        m = _LAST_CLAUSE_END.match(t, lo, hi)  # greedy: the last clause mark in [lo, hi)
        if m is None:
            return lo
        j = m.end() - 1
        if t[j] in ",，" and j > 0 and t[j - 1].isdigit() and j + 1 < len(t) and t[j + 1].isdigit():
            hi = j
            continue
        return j + 1


_LAST_CLAUSE_END = re.compile(".*[" + re.escape("".join(sorted(_CLAUSE_END))) + "]", re.S)


def _pre_qualifier(t: str, start: int) -> tuple[Optional[str], int]:
    """The qualifier word nearest before ``start`` within its gap (approx value, start of the word), if any."""
    # The words are searched in the 20 characters before ``start``, not only in the clause
    # holding it (``_clause_start``, which costs a regex call and a loop): a word before the
    # clause start has that clause mark (or a digit, for 1,000) after it, so it fails the gap
    # test below; and it ends before the clause start (no word holds a clause mark: see
    # _pre_qual_re), so it cannot hide a word of the clause as "inside a longer word". The
    # clause start is still read for the negation before 超过 (不超过 vs 不, 超过).
    rx = _pre_qual_re()
    lo = max(0, start - 20)
    m = rx.search(t, lo, start)  # (the words are plain literals: no lookaround sees outside)
    if m is None:  # no qualifier word at all in the 20 characters before (most numbers)
        return None, start
    pre, _ = L.qualifiers()
    best: Optional[tuple[str, int]] = None
    last_end = -1
    while m is not None:
        p0 = m.start()
        e = m.end()
        if e > last_end:  # (else inside a longer word found before: 超 in 买超)
            last_end = e
            approx, gap = pre[m.group()]
            between = t[e:start]
            if len(between.replace(" ", "")) <= gap and not any(ch.isdigit() or ch in _PUNCT for ch in between):
                cand = approx
                if approx == "over" and not _NEGATIONS.isdisjoint(t[max(lo, p0 - 3):p0]):
                    if not _NEGATIONS.isdisjoint(t[max(_clause_start(t, start, 20), p0 - 3):p0]):
                        cand = "up_to"
                if best is None or p0 >= best[1]:
                    best = (cand, p0) if cand != "eq" else None
        m = rx.search(t, p0 + 1, start)
    return best if best else (None, start)


_NEGATIONS = frozenset("不未没")


@lru_cache(maxsize=1)
def _post_words() -> tuple[str, ...]:
    return tuple(sorted(L.qualifiers()[1], key=len, reverse=True))


@lru_cache(maxsize=1)
def _pre_qual_re() -> re.Pattern:
    words = L.qualifiers()[0]
    if any(_CLAUSE_END.intersection(w) for w in words):  # _pre_qualifier relies on it
        raise ValueError("a qualifier word holds a clause mark")
    return L.alternation(words)


@lru_cache(maxsize=1)
def _post_qual_re() -> tuple[re.Pattern, int]:
    """The post qualifier words as one regex, and how far after a number a word that
    :func:`_post_qualifier` accepts can end (its gap plus its length; at most the 6 characters read)."""
    post = L.qualifiers()[1]
    return L.alternation(post), min(6, max((gap + len(w) for w, (_, gap) in post.items()), default=0))


def _post_qualifier(t: str, end: int) -> tuple[Optional[str], int]:
    # no qualifier word at all where an accepted one would lie (most figures): the words are
    # plain literals, so searching t between bounds is searching that slice
    rx, window = _post_qual_re()
    if rx.search(t, end, end + window) is None:
        return None, end
    seg = t[end:end + 6]
    _, post = L.qualifiers()
    for w in _post_words():
        approx, gap = post[w]
        k = seg.find(w)
        if k >= 0 and k <= gap and not any(ch in _PUNCT or ch.isdigit() for ch in seg[:k]):
            return approx, end + k + len(w)
    return None, end


def _atom(t: str, n: Number, mask: bytearray, lex: Optional[tuple] = None) -> Optional[_Atom]:
    """Read unit and qualifiers around number ``n``; None when it is not a figure.
    ``lex``: :func:`_atom_lexicons` (find_figures fetches it once, not once per number)."""
    if mask.find(1, n.start, n.end) >= 0:
        return None
    nf, post_units, post_re, pre_units, pre_re, pw, sym_last, pw_gate = lex or _atom_lexicons()
    before = t[max(0, n.start - 8):n.start]
    # glued to Latin letters or digits: a ticker, version or label (BTC2, V3, 3AC)
    prev = t[n.start - 1] if n.start > 0 else ""
    if prev and (prev.isascii() and (prev.isalpha() or prev == "_")) and not pre_re.search(t[max(0, n.start - 4):n.start]):
        return None
    # (pw_gate: the right-stripped window can end with a prefix word only if the character before
    # the number is whitespace or the last character of a prefix word)
    if ((prev in pw_gate and before.rstrip().endswith(pw)) if pw is not None else nf["prefix"].search(before)) \
            and not pre_re.search(before):
        return None
    a = _Atom(n.start, n.end, n, n.value, None, None, "eq", n.scale)  # (positional: a cheaper call)
    if n.approx_over:
        a.approx = "over"
    pm0 = _PAIR.match(t[n.start:n.end]) if n.chinese else None
    if pm0:  # 两三个交易日, 七八万: two neighbouring numerals are an approximate range
        from ._numerals import parse_cn

        mult = parse_cn("一" + t[n.start + 2:n.end]) if n.end - n.start > 2 else Decimal(1)
        a.pair = (parse_cn(t[n.start]) * mult, parse_cn(t[n.start + 1]) * mult)
        a.approx = "approx"
    # 百分之X, 千分之X, 万分之X ... : a share written as a fraction word
    fm = _PER_RE.search(before) if "分之" in before[-3:] else None  # X分之 right before (or before a final newline)
    if fm:
        a.start = n.start - len(fm.group())
        a.unit, a.kind, a.bare = "pct", "percent", False
        a.value = n.value * 100 / _PER[fm.group(1)]
    elif "分之" in t[n.start:n.end]:
        a.unit, a.kind, a.bare = "pct", "percent", False
        a.value = n.value * 100
    # unit symbol before: $, US$, USD, HK$ ...
    w5 = t[max(0, n.start - 5):n.start]
    # a symbol ends in the last 3 characters (symbol, optional space, optional final newline)
    pm = pre_re.search(w5) if not sym_last.isdisjoint(w5[-3:]) else None
    if pm and a.bare:
        sym = pm.group().strip()
        if sym.isalpha() and n.start - len(pm.group()) - 1 >= 0 and t[n.start - len(pm.group()) - 1].isascii() and t[n.start - len(pm.group()) - 1].isalpha():
            pass  # part of a longer Latin word
        else:
            u = pre_units[sym]
            a.unit, a.kind, a.bare, a.pre_unit = u.unit, u.kind, False, True
            a.start = n.start - len(pm.group())
    # sign / comparator glued before the number or the symbol
    if a.start > 0 and t[a.start - 1] in "+>＜<≥≤~≈":
        ch = t[a.start - 1]
        a.start -= 1
        a.approx = {">": "over", "<": "under", "≥": "at_least", "≤": "up_to", "~": "approx", "≈": "approx"}.get(ch, a.approx)
    if n.negative and a.pre_unit is False and t[n.start] in "-":
        pass  # the minus is part of the number span already
    # unit after
    pos = n.end
    # (_SKIP matches the empty string unless whitespace, 多 or 余 follows: most numbers)
    mm = _SKIP.match(t, pos) if t[pos:pos + 1] in _SKIP_FIRST else None
    skip = mm.end() - pos if mm else 0
    if a.bare:
        um = post_re.match(t, pos + skip)
        if um:
            u = post_units[um.group()]
            follow = t[um.end():um.end() + 1]
            latin_unit = um.group()[-1:].isascii() and um.group()[-1:].isalpha()
            if latin_unit and follow.isascii() and (follow.isalpha() or follow.isdigit()):
                um = None
            elif u.unit in ("x",) and um.group() in ("x", "X") and skip:
                um = None  # "3 x" is not a multiple; "3x" is
            if um:
                if n.chinese and (u.unit not in _CN_OK_UNITS):
                    return None
                if n.chinese and u.unit in ("shares", "contracts", "BTC", "ETH") and n.scale is None and n.value < 100:
                    return None  # 一份, 两张图, 一枚: prose counts
                if n.chinese and u.kind == "count" and n.value == 1 and not _pre_qualifier(t, n.start)[0]:
                    return None  # 最惨烈的一天, 一年: prose unless qualified (超过一年)
                if u.unit == "years" and (_YEAR_AFTER_BAD.match(t[um.end():um.end() + 4]) or (u.surface == "年" and n.value >= 1900)):
                    return None
                if u.unit == "days" and _DAY_AFTER_BAD.match(t[um.end():um.end() + 2]):
                    return None
                if u.unit == "CNY" and u.surface == "元" and n.chinese and n.value < 10 and n.scale is None:
                    pass
                a.unit, a.kind, a.bare = u.unit, u.kind, False
                a.factor = u.factor
                a.value = a.value * u.factor
                if mm and mm.group(1):
                    a.approx = "over"
                a.end = um.end()
                if u.unit == "level" and u.surface in ("Delta", "delta"):
                    a.end = n.end  # 25Delta: the number is the figure
    # 三成 (30%), 三成半 (35%), 七成六 (76%), 2.5成 (25%)
    cm = _CHENG.match(t, n.end) if "成" in t[n.end:n.end + 2] else None
    if a.bare and cm:
        a.value = n.value * 10
        tail = cm.group(2)
        if tail == "半":
            a.value += 5
        elif tail:
            a.value += CN_DIGITS[tail]
        a.unit, a.kind, a.bare, a.end = "pct", "percent", False, cm.end()
    if a.bare:
        if n.chinese:
            return None  # Chinese numerals without a unit are prose (一个, 两次, 三幕剧)
        cm = nf["classifier"].match(t, n.end)
        if cm:
            if n.scale is None and abs(n.value) < 1000:
                return None  # 3 家交易所, 100 家机构, 两个漏洞: counts of things in the prose
            a.unit, a.kind, a.bare, a.end = "count", "count", False, cm.end()  # 17.2 万人被强平: a statistic
        elif t[n.end:n.end + 2].lstrip(" ")[:1] == "日" and _STREAK.search(before):
            a.unit, a.kind, a.bare = "days", "count", False  # 连续 5 日
            a.end = t.index("日", n.end) + 1
    if a.bare:
        after_end = t[n.end:n.end + 3].lstrip(" ")
        first = after_end[:1]
        if first and first in ")）" and "(" not in t[_clause_start(t, n.start):n.start] and "（" not in t[_clause_start(t, n.start):n.start]:
            return None  # list marker 1)
        if first and first.isascii() and first.isalpha() and t[n.end:n.end + 1] != " ":
            return None
        if first and first in "月日号年时点分秒岁届楼层":
            return None
        if _LATIN_WORD_BEFORE.search(t[max(0, n.start - 12):n.start]) and not n.scale and not (
                _fx(t, a) or _zscore(t, a)):
            return None  # a product or model label: iPhone 15, Windows 11
    # qualifier words
    q, qpos = _pre_qualifier(t, a.start)
    if q:
        a.approx = q
    pq, pend = _post_qualifier(t, a.end)
    if pq and a.approx == "eq":
        a.approx = pq
    if t[a.end:a.end + 1] == "+" and not t[a.end + 1:a.end + 2].isdigit():
        a.end += 1
        a.approx = "over"
    return a


class _AnyChar(frozenset):
    def isdisjoint(self, other) -> bool:  # type: ignore[override]
        return False


_LATIN_WORD_BEFORE = re.compile(r"[A-Za-z][A-Za-z0-9]* $")


@lru_cache(maxsize=1)
def _atom_lex() -> tuple[Optional[tuple[str, ...]], frozenset, frozenset]:
    """Cheap exact pre-checks for two end-anchored regexes of :func:`_atom`: the not-figure
    prefix words (``prefix`` matches iff the window, right-stripped, ends with one; None when
    a word ends in a space and the shortcut would not be exact) and the last characters of
    the unit symbols written before a number; and the characters that can stand right before a
    number whose right-stripped window ends with a prefix word (their last characters, whitespace)."""
    words = [norm(r[1]) for r in L.rows("not_figures.tsv") if r[0] == "prefix"]
    exact = all(w and w == w.rstrip() for w in words)
    syms = L.units()[2]
    # (an empty symbol would match anywhere: then every character must pass the pre-check)
    last = frozenset(w[-1] for w in syms if w) if all(syms) else _AnyChar()
    gate = frozenset(w[-1] for w in words if w) | _SPACES
    return (tuple(words) if exact else None), last, gate


@lru_cache(maxsize=1)
def _atom_lexicons() -> tuple:
    """What :func:`_atom` reads: (not_figures, post units, post regex, pre units, pre regex,
    prefix words, last characters of the pre symbols, characters before a prefix word's end)."""
    return (L.not_figures(), *L.units(), *_atom_lex())


@lru_cache(maxsize=1)
def _unit_first_chars() -> frozenset:
    """First characters of every post unit, plus 成 (三成) and the pair numerals (两三个)."""
    post = L.units()[0]
    return frozenset({w[0] for w in post} | set("成") | set("一二两三四五六七八九十百千万亿"))


def _bare_ok(t: str, a: _Atom, in_group: bool) -> bool:
    """Keep a number written without unit as a level? (43.6, 超过 1, USD/JPY 160, 38–39)."""
    if in_group:
        return True
    v = abs(a.n.value)
    if a.approx != "eq":
        return True
    if a.n.value != a.n.value.to_integral_value():
        return True
    seg = t[_clause_start(t, a.start):a.start]
    if _LEVEL_CUES.search(seg.rstrip()[-12:] if seg else ""):
        return True
    return v >= 10 and not (1900 <= v <= 2100)


def _fx(t: str, a: _Atom) -> Optional[tuple[str, str]]:
    d, rx = L.fx_pairs()
    seg = t[_clause_start(t, a.start, 30):a.start]
    best = None
    for m in rx.finditer(seg):
        best = m
    if best and len(seg) - best.end() <= 6:
        return d[best.group()]
    return None


def _zscore(t: str, a: _Atom) -> bool:
    seg = t[_clause_start(t, a.start, 30):a.start].lower()
    return bool(re.search(r"z-?score|z\s*值|z分数|标准分", seg))


def _mk(text: str, a: _Atom) -> Figure:
    if a.pair is not None:
        lo, hi = (x * a.factor for x in a.pair)
        return Figure(surface=text[a.start:a.end], start=a.start, end=a.end, unit=a.unit, kind=a.kind,
                      approx=a.approx, range=[_clean(lo), _clean(hi)])
    # (positional, in Figure's field order: surface, start, end, value, unit, kind, approx, range,
    # change, sign -- a cheaper call than keywords, for the most common record)
    return Figure(text[a.start:a.end], a.start, a.end, _clean(a.value), a.unit, a.kind, a.approx, None, None,
                  "-" if a.n.negative else None)


def _clean(v: Decimal) -> Decimal:
    """Exact Decimal without trailing-zero noise (5.30E+8 -> 530000000)."""
    if v == v.to_integral_value():
        return Decimal(int(v))
    return v.normalize()


def find_figures(text: str) -> list[Figure]:
    """Figures in ``text`` (any script); offsets index ``text``.

    Returns one Figure per amount, percentage, price, multiple, rate, duration, range
    (``range`` set) or from->to change (``change`` set), left to right. Dates, ordinals, list
    markers, tickers, version labels and counts of things in the prose are not figures.
    Subject, metric and date are left empty (see :func:`bind_figures`).
    """
    if not text:
        return []
    t = norm(text)
    mask, masked = _mask(t)
    unit_first = _unit_first_chars()
    nums = find_numbers(text, t, cn_next=unit_first, skip=mask)
    lex = _atom_lexicons()
    atoms: list[_Atom] = []
    # (prose numerals -- 一个, 一些: no unit after them -- find_numbers already left out, given
    # cn_next: a Chinese numeral run is kept only before a unit's first character or after 分之,
    # and a fraction holds 分之)
    for n in nums:
        try:
            a = _atom(t, n, mask, lex)
        except (ArithmeticError, KeyError, IndexError):
            a = None
        if a is not None:
            atoms.append(a)
    taken = bytearray(len(t) + 1)  # characters inside a figure already found
    for x in atoms:
        taken[x.start:x.end] = b"\x01" * (x.end - x.start)
    # zero as the value of a rate (零利率, 接近零)
    zp = L.zero_patterns()
    for m in _zero_matches(t, zp):
        s = m.start() + m.group().find("零")
        if mask[s] or taken[s]:
            continue
        n = Number(s, s + 1, Decimal(0), Decimal(0), None, True)
        a = _Atom(start=s, end=s + 1, n=n, value=Decimal(0), unit="pct", kind="rate", bare=False)
        q, _ = _pre_qualifier(t, s)
        if q:
            a.approx = q
        atoms.append(a)
    post_units = L.units()[0]
    for m in _HALF.finditer(t):  # 半码 (12.5 bp), 半成 (5%), 半个百分点 (0.5 pp)
        if mask[m.start()] or taken[m.start()]:
            continue
        w = m.group(1)
        if w == "成":
            v, unit, kind = Decimal(5), "pct", "percent"
        else:
            u = post_units[w]
            v, unit, kind = Decimal("0.5") * u.factor, u.unit, u.kind
        n = Number(m.start(), m.start() + 1, Decimal("0.5"), Decimal("0.5"), None, True)
        atoms.append(_Atom(start=m.start(), end=m.end(), n=n, value=v, unit=unit, kind=kind, bare=False))
    for m in re.finditer("百分之百", t):  # 100%: the numeral 百 cannot start a number on its own
        if not mask[m.start()] and not taken[m.start()]:
            n = Number(m.start() + 3, m.end(), Decimal(100), Decimal(100), None, True)
            atoms.append(_Atom(start=m.start(), end=m.end(), n=n, value=Decimal(100), unit="pct", kind="percent", bare=False))
    atoms.sort(key=lambda x: x.start)
    # date spans as \x01 so change patterns can step over them (从 2/5 的 3.3% 飙升到 2/6 的 9%)
    td = _with_dates_marked(t, masked)
    out: list[Figure] = []
    i = 0
    grouped: set[int] = set()
    # enumerations sharing the last unit: 30、60、90、120 天
    for j in range(len(atoms) - 1, 0, -1):
        b = atoms[j]
        k = j
        while k > 0 and atoms[k - 1].bare and _ENUM_SEP.fullmatch(t, atoms[k - 1].end, atoms[k].start):
            k -= 1
        if k < j and not b.bare:
            for x in atoms[k:j]:
                x.unit, x.kind, x.bare = b.unit, b.kind, False
                x.value = x.n.value * (b.scale if (b.scale and not x.scale) else 1) * b.factor
                grouped.add(id(x))
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None:
            # from -> to change (_FROM searched between bounds: on the slice, without the slice;
            # its $ matches at the end bound as at the end of a string)
            if _FROM.search(td, max(0, a.start - 14), a.start) and _CHANGE_MID.match(td[a.end:b.start]) and _compatible(a, b):
                lo, hi = _share(a, b)
                fs = td.rfind("从", max(0, a.start - 14), a.start)
                if fs < 0:
                    fs = td.rfind("由", max(0, a.start - 14), a.start)
                f = Figure(surface=text[fs:b.end], start=fs, end=b.end, unit=b.unit or a.unit, kind=b.kind or a.kind,
                           approx=b.approx if b.approx != "eq" else a.approx,
                           change={"from": _clean(lo), "to": _clean(hi)})
                f.sign = "+" if hi > lo else "-" if hi < lo else None
                out.append(f)
                i += 2
                continue
            # range: 6.4 万至 7.1 万美元, 64k-71k, 38–39, 5%-8%
            # (fullmatch between bounds: _RANGE_SEP on the slice between the two, without the slice)
            if _RANGE_SEP_FULL.fullmatch(t, a.end, b.start) and _compatible(a, b) and not (a.unit and not a.pre_unit and b.bare):
                lo, hi = _share(a, b)
                if lo < hi and not (t[a.end:b.start].strip() == "-" and b.n.negative):
                    f = Figure(surface=text[a.start:b.end], start=a.start, end=b.end, unit=b.unit or a.unit,
                               kind=b.kind or a.kind, approx=a.approx if a.approx != "eq" else b.approx,
                               range=[_clean(lo), _clean(hi)])
                    if f.unit is None:
                        f.unit, f.kind = "level", "level"
                    out.append(f)
                    i += 2
                    continue
        if a.unit == "CNY" and t[a.end - 1:a.end] == "元":
            fx = _fx(t, a)
            if fx:  # 新台币兑美元收在 32.85 元: a rate, not an amount
                a.unit, a.kind = fx[0], "level"
        if a.bare:
            fx = _fx(t, a)
            if fx:
                a.unit, a.kind, a.bare = fx[0], "level", False
            elif _zscore(t, a):
                a.unit, a.kind, a.bare = "zscore", "zscore", False
            elif _bare_ok(t, a, id(a) in grouped):
                a.unit, a.kind = "level", "level"
            else:
                i += 1
                continue
        out.append(_mk(text, a))
        i += 1
    return out


def _zero_matches(t: str, zp: re.Pattern):
    """Matches of the zero-rate patterns: each starts at its 零 (zero_contexts.tsv puts the words
    before it in lookbehinds), so only the positions of 零 are tried, not every character."""
    p = t.find("零")
    while p >= 0:
        m = zp.match(t, p)
        if m is not None:
            yield m
            p = t.find("零", max(m.end(), p + 1))
        else:
            p = t.find("零", p + 1)


def _compatible(a: _Atom, b: _Atom) -> bool:
    if a.unit and b.unit and a.unit != b.unit:
        return False
    if a.n.chinese != b.n.chinese and (a.n.chinese or b.n.chinese):
        return a.scale is not None or b.scale is not None
    return True


def _share(a: _Atom, b: _Atom) -> tuple[Decimal, Decimal]:
    """Values of a pair sharing one scale word and unit factor (7–8 万美元, $20-50 亿, 5 到 10 亿)."""
    lo, hi = a.value, b.value
    if a.scale is None and b.scale is not None:
        shared = a.n.value * b.scale * b.factor
        if shared <= hi:
            lo = shared
    elif a.factor == 1 and b.factor != 1:
        lo = a.value * b.factor
    return lo, hi


def bind_figures(text: str, figures: list[Figure], mentions: list[Mention], dates: list[DateMention],
                 published: str | None = None) -> None:
    """Fill ``subject``, ``metric``, ``date`` (and ``sign``/``checkable``/``kind``) of ``figures`` in place.

    Uses the entity mentions (nearest in the clause first), the subject and metric cue
    lexicons of ``corpora/figures/`` and the resolved ``dates``. Returns None.
    """
    from ._binding import bind

    bind(text, figures, mentions, dates, published)
