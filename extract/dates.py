"""Date and time expressions -> DateMention, resolved to ISO relative to the publication date.

Works on any script (the text is folded 1:1 by :func:`extract._numerals.norm`, offsets kept).
Values follow seed-gold ``dates.jsonl``: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``YYYY-Qn``,
``--MM`` (a month in no particular year), ``Thh:mm±hh:mm`` and intervals ``A/B``.

Reference date ("now") for relative words (昨天, 上周, 周一, 周末, 年内 ...):

1. ``published`` when given;
2. else a publication marker in the text (``发表于 2026-2-2``, ``发布时间: 2025-09-22``);
3. else the Monday after the latest explicitly dated day in the text: commentary is
   written after the events it reports, usually within the following week.

Years for dates written without one (``2 月 5 日``, ``10/10``, ``12 月``): the year of the
latest date written with a year; else, when a weekday is given with the date
(``9 月 17 日周三``), the most recent year in which that day falls on that weekday; else
the current year. A month belongs to the year before when it lies more than three months after the story's month
(``10/10`` in a February 2026 piece is 2025-10-10; ``6 月`` in a March piece is this June).

Anaphoric words (当天, 前一天, 前一交易日, 当时) resolve against the nearest preceding
explicit date in the text.
"""
from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Optional

from ._numerals import norm, parse_cn
from .records import DateMention

__all__ = ["find_dates", "date_spans", "context_date"]

_CN_NUM = "[一二三四五六七八九十]{1,3}"
_CN_AGO = "[一二两三四五六七八九十]{1,3}"
_M = r"(?P<m>1[0-2]|0?[1-9])"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9])"
_WD = "(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])"
_Y = r"(?P<y>(?:19|20)\d{2})"
_S = r"\s*"

# (kind, regex, characters it can start with -- D: a digit --, and for a digit-led pattern the
# characters that can follow its leading digit run past spaces -- 个: an "ago" unit (个月, 天, 周 ...))
_PATTERNS: list[tuple[str, str, str, str]] = [
    # full dates with optional time
    ("ymd", rf"{_Y}{_S}年{_S}{_M}{_S}月{_S}{_D}{_S}[日号](?:{_S}[（(]?{_WD}[)）]?)?", "D", "年"),
    ("ymd", rf"(?<![\d.]){_Y}[-/.]{_M}[-/.]{_D}(?![\d])(?:\s+(?P<hh>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?::\d\d)?)?", "D", "-/."),
    # month-day ranges: 2 月 4 日到 5 日, 1 月 26 日至 2 月 6 日, 1 月 26 日至昨日
    ("md_range", rf"{_M}{_S}月{_S}{_D}{_S}[日号]{_S}(?:至|到|-|–|—|~){_S}(?:(?P<m2>1[0-2]|0?[1-9]){_S}月{_S})?(?:(?P<d2>3[01]|[12]\d|0?[1-9]){_S}[日号]|(?P<rel2>昨日|昨天|今日|今天))", "D", "月"),
    ("slash_range", rf"(?<![\d/.,]){_M}/{_D}{_S}(?:至|到|-|–|~){_S}(?P<m2>1[0-2]|0?[1-9])/(?P<d2>3[01]|[12]\d|0?[1-9])(?![\d/])", "D", "/"),
    ("md", rf"(?P<rel>去年|今年|明年|前年){_S}{_M}{_S}月{_S}{_D}{_S}[日号](?:{_S}{_WD})?", "去今明前", ""),
    ("md", rf"(?<![\d.]){_M}{_S}月{_S}{_D}{_S}[日号](?:{_S}{_WD})?", "D", "月"),
    ("slash", rf"(?<![\d/.$])(?<!\d,){_M}/{_D}(?![\d/%])", "D", "/"),
    # months
    ("ym", rf"{_Y}{_S}年{_S}{_M}{_S}月(?:份)?(?P<part>上旬|中旬|下旬|初|底|末|中)?", "D", "年"),
    ("ym", rf"{_Y}{_S}年{_S}(?P<mc>十[一二]?|[一二三四五六七八九])月(?:份)?(?P<part>上旬|中旬|下旬|初|底|末|中)?", "D", "年"),
    ("quarter", rf"(?:{_Y}{_S}年{_S})?(?:第)?(?P<q>[一二三四1-4]){_S}季度(?P<qpart>初|末|底)?", "D第一二三四", "年季"),
    ("quarter", rf"(?:{_Y}{_S})?(?<![A-Za-z])Q(?P<q>[1-4])(?![0-9])", "DQ", "Q"),
    ("m", rf"(?P<rel>去年|今年|明年|前年){_S}{_M}{_S}月(?:份)?(?P<part>上旬|中旬|下旬|初|底|末)?(?![\d])", "去今明前", ""),
    ("m", rf"(?<![\d.]){_M}{_S}月(?:份)?(?P<part>上旬|中旬|下旬|初|底|末)?(?![\d])", "D", "月"),
    ("m", rf"(?P<rel>去年|今年|明年|前年){_S}(?P<mc>十[一二]?|[一二三四五六七八九])月(?:份)?(?P<part>上旬|中旬|下旬|初|底|末)?", "去今明前", ""),
    ("y", rf"(?<![\d.]){_Y}{_S}年(?!期|代)(?P<ypart>初|底|末|内|中)?", "D", "年"),
    # time of day
    ("time", r"(?P<tz>美东时间|美国东部时间|北京时间|香港时间|东京时间|UTC|GMT)\s*(?P<ampm>上午|下午|晚上|凌晨|早上|中午)\s*(?P<hh>\d{1,2})\s*[点:](?:\s*(?P<mi>[0-5]\d)\s*分?)?", "美北香东UG", ""),
    ("time", r"(?P<ampm>上午|下午|晚上|凌晨|早上|中午)\s*(?P<hh>\d{1,2})\s*[点:](?:\s*(?P<mi>[0-5]\d)\s*分?)?", "上下晚凌早中", ""),
    ("time", r"(?P<tz>美东时间|美国东部时间|北京时间|香港时间|东京时间|UTC|GMT)\s*(?P<hh>\d{1,2})\s*[点:](?:\s*(?P<mi>[0-5]\d)\s*分?)?", "美北香东UG", ""),
    ("time", r"(?<![\d:])(?P<hh>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?![\d:])", "D", ":"),
    # relative and anaphoric
    ("wd_pair", r"(?:周|星期)(?P<wd>[一二三四五六日天])(?:周|星期|、|和|至|到)(?P<wd2>[一二三四五六日天])", "周星", ""),
    ("weekend", r"(?P<w>上个周末|上周末|本周末|这个周末|周末)(?P<before>前)?", "上本这周", ""),
    ("week", r"(?P<w>上上周|上周|上週|上星期|本周|这周|这一周|新一周|下周|下星期|本星期)(?P<wd>[一二三四五六日天])?", "上本这新下", ""),
    ("wd", r"(?<![上下本这])" + _WD, "周星礼", ""),
    ("rel_day", r"(?P<w>前一交易日|前一个交易日|上一交易日|前一天|前一日|前日|当天|当日|同日|那天|那一天|次日|翌日|第二天|昨天|昨日|今天|今日|前天|明天|当时)", "前上当同那次翌第昨今明", ""),
    ("rel_month", r"(?P<w>上个月|上月|本月|这个月|下个月|月初|月底|月末|月中)", "上本这下月", ""),
    ("rel_year", r"(?P<w>去年|今年|明年|前年|年内|年初|年底|年末|年中|上半年|下半年)", "去今明前年上下", ""),
    ("rel_q", r"(?P<w>季度末|季末|本季度|上季度|下季度)", "季本上下", ""),
    # N units ago: 一周前, 两天前, 3 个交易日前, 三个月前, 5 年前 (a date, not a duration figure)
    ("ago", rf"(?<![\d.])(?P<n>\d{{1,3}}|{_CN_AGO}){_S}(?P<u>个交易日|交易日|天|个星期|星期|周|个月|年)前(?![天日年月])",
     "D一二两三四五六七八九十", "年个"),
]


@lru_cache(maxsize=1)
def _regexes() -> tuple[dict[str, tuple], re.Pattern]:
    """One alternation per start character (patterns in list order: specific before general;
    for digits, per character after the digit run), and a regex of all start characters.

    Scanning finds candidate start characters once, then tries one ``match`` there: far
    faster than a regex pass per pattern or one alternation tried at every position.
    """
    by_char: dict[str, list[str]] = {}
    for i, (_, p, first, after) in enumerate(_PATTERNS):
        p = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}_{i}>", p)
        # a digit-led pattern is filed under "D" + each character that can follow the leading
        # digit run (every such pattern consumes the whole run, then needs that character)
        for ch in [*first.replace("D", ""), *("D" + a for a in after)]:
            by_char.setdefault(ch, []).append(f"(?P<alt_{i}>{p})")
    # candidate starts: a digit run, or one of the words a non-digit pattern starts with; every
    # branch starts with a literal (the digit guard looks back past the digit), so ``re`` skips
    # to candidate characters in C instead of trying the branches at every position
    from ._lexicon import trie_branches

    # (the digits' lookahead captures the character after the run that _scan dispatches on)
    digits = [d + r"(?<!\d.)(?=" + _AFTER_DIGIT_MARK + ")" for d in "0123456789"]
    cn = [c + "(?=" + _AFTER_CN4 + ")" for c in "一二三四"] + [c + "(?=" + _AFTER_CN + ")" for c in "两五六七八九十"]
    trig = re.compile("|".join(digits + cn + trie_branches(_TRIGGER_WORDS)))
    return {c: _with_groups(re.compile("|".join(ps))) for c, ps in by_char.items()}, trig


# the trigger's lookaheads: every digit-led pattern has 年, 月, a separator, 季度, Q or an "ago"
# unit after its first digit run; a Chinese numeral starts a quarter (一季度) or an "ago" (两天前)
_AGO = r"\s*(?:个交易日|交易日|天|个星期|星期|周|个月|年)前"
_AFTER_DIGIT = r"\d*(?:\s*[年月/\-.:季Q]|" + _AGO + ")"
# the same with the marker captured (None after an "ago" unit): what _AFTER_RUN reads there -- the
# first branch is tried first, and either branch consumes the whole digit run
_AFTER_DIGIT_MARK = r"\d*(?:\s*([年月/\-.:季Q])|" + _AGO + ")"
_AFTER_CN = "[一二两三四五六七八九十]{0,2}" + _AGO
_AFTER_CN4 = r"\s*季度|" + _AFTER_CN


def _trigger_rows() -> Optional[list[tuple]]:
    r"""``_lexicon.PairGate`` rows of the trigger (see :func:`_regexes`): a digit not after a digit
    (``(?<!\d.)``) before what the lookahead allows next; the Chinese numerals likewise; the
    trigger words by first character (``_lexicon.pattern_rows``)."""
    from ._lexicon import pattern_rows, trie_branches

    words = pattern_rows(trie_branches(_TRIGGER_WORDS))
    if words is None:
        return None
    # (first, second, third, rejected before), written out from the lookaheads: after the digit, a
    # marker; an "ago" unit (个交易日, 个星期, 个月, 交易日, 天前, 周前, 星期, 年前); more digits or
    # spaces, then one of those. A Chinese numeral: 季度; an "ago" unit; spaces or numerals, then one
    marks, ago, ago2 = "年月/\\-.:季Q", "个交天星周年", "交星月易前期"
    cn = "[一二两三四五六七八九十]"
    return [
        ("[0-9]", f"[{marks}]", None, r"\d"), ("[0-9]", f"[{ago}]", f"[{ago2}]", r"\d"),
        ("[0-9]", r"[\d\s]", rf"[\d\s{marks}{ago}]", r"\d"),
        ("[一二三四]", "[季]", "[度]", None), (cn, f"[{ago}]", f"[{ago2}]", None),
        (cn, rf"[\s]", rf"[\s季{ago}]", None), (cn, cn, rf"[\s{cn[1:-1]}{ago}]", None),
        *words,
    ]


def _trigger_starts(t: str, trig: re.Pattern):
    """The matches of ``trig.finditer(t)``, found at the candidates of ``_lexicon.scan_candidates``
    when it has them (a match there is what finditer finds: it resumes after each match)."""
    from ._lexicon import scan_candidates

    cands = scan_candidates(t)
    if cands is None:
        yield from trig.finditer(t)
        return
    match = trig.match
    end = 0
    for p in cands[0]:
        if p >= end and (tm := match(t, p)) is not None:
            end = tm.end()  # (no trigger matches the empty string)
            yield tm


def _with_groups(rx: re.Pattern) -> tuple[re.Pattern, dict[int, tuple[int, tuple[tuple[int, str], ...]]]]:
    """``rx`` and, per index of an ``alt_i`` group: (i, ((index in m.groups(), name), ...)) of
    pattern i's own groups -- reading m.groups() is far cheaper than m.groupdict() of all."""
    own: dict[int, list[tuple[int, str]]] = {}
    alts: dict[int, int] = {}
    for name, gi in rx.groupindex.items():
        base, _, i = name.rpartition("_")
        if base == "alt":
            alts[gi] = int(i)
        else:
            own.setdefault(int(i), []).append((gi - 1, base))
    return rx, {gi: (i, ((gi - 1, "alt"), *own.get(i, ()))) for gi, i in alts.items()}


_TRIGGER_WORDS = [
    "去年", "今年", "明年", "前年", *("第" + q for q in "一二三四1234"), *("Q" + q for q in "1234"),
    "美东时间", "美国东部时间", "北京时间", "香港时间", "东京时间", "UTC", "GMT",
    "上午", "下午", "晚上", "凌晨", "早上", "中午", "周", "星期", "礼拜",
    "上上周", "上周", "上週", "上星期", "本周", "本星期", "这周", "这一周", "这个周末", "这个月", "新一周", "下周", "下星期",
    "下个月", "下半年", "下季度", "上个周末", "上个月", "上月", "上半年", "上季度", "本周末", "本月", "本季度",
    "前一交易日", "前一个交易日", "上一交易日", "前一天", "前一日", "前日", "前天", "当天", "当日", "当时", "同日",
    "那天", "那一天", "次日", "翌日", "第二天", "昨天", "昨日", "今天", "今日", "明天",
    "月初", "月底", "月末", "月中", "年内", "年初", "年底", "年末", "年中", "季度末", "季末",
]


_CN_WD = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PUB_WORDS = ("发表于", "发布于", "发布时间", "发表时间", "发帖时间", "更新时间", "Posted", "Published")
_PUB_TAIL = r"\s*[:：]?\s*(?P<y>(?:19|20)\d{2})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})"
_PUB = re.compile("(?:" + "|".join(_PUB_WORDS) + ")" + _PUB_TAIL)
# the same words, one regex per first character: each then starts with a literal, which ``re``
# finds with a tight loop, while _PUB's character set is tested through a call per character
# (the set scan cost as much as all the rest of date resolution)
_PUB_BY_FIRST = tuple(
    re.compile(re.escape(c) + "(?:" + "|".join(re.escape(w[1:]) for w in _PUB_WORDS if w[0] == c) + ")" + _PUB_TAIL)
    for c in dict.fromkeys(w[0] for w in _PUB_WORDS))


def _pub_search(t: str) -> Optional[re.Match]:
    """``_PUB.search(t)``: the leftmost match of the per-first-character regexes (at one position
    only the words starting with its character can match, tried in _PUB's order)."""
    best = None
    for rx in _PUB_BY_FIRST:
        m = rx.search(t)
        if m is not None and (best is None or m.start() < best.start()):
            best = m
    return best


class _M:
    """One raw match: kind, span and named groups."""

    __slots__ = ("kind", "start", "end", "g")

    def __init__(self, kind: str, start: int, end: int, g: dict):
        self.kind, self.start, self.end, self.g = kind, start, end, g


_AFTER_RUN = re.compile(r"\d*\s*([年月/\-.:季Q])?")


@lru_cache(maxsize=4)
def _scan(t: str) -> tuple:
    """Non-overlapping date/time matches in normalized text ``t``, left to right."""
    by_char, trig = _regexes()
    out = []
    last = 0
    for tm in _trigger_starts(t, trig):
        pos = tm.start()
        if pos < last:
            continue
        ch = t[pos]
        if ch.isdigit():  # the trigger saw one of these after the digit run, or an "ago" unit
            # (its lookahead captured the character: _AFTER_RUN.match(t, pos).group(1))
            k = tm.lastindex
            ch = "D" + (tm.group(k) if k else "个")
        entry = by_char.get(ch)
        if entry is None:
            continue
        rx, alts = entry
        m = rx.match(t, pos)
        if m is None or m.end() <= pos:
            continue
        i, names = alts[m.lastindex]
        gs = m.groups()
        g = {}
        for j, name in names:  # (a loop, not a comprehension: no function call per match)
            if gs[j] is not None:
                g[name] = gs[j]
        e = m.end()
        while e > pos and t[e - 1].isspace():
            e -= 1
        out.append(_M(_PATTERNS[i][0], pos, e, g))
        last = e
    return tuple(out)


def _iter(t: str):
    return _scan(t)


def date_spans(text: str, normed: Optional[str] = None) -> list[tuple[int, int]]:
    """Spans of date and time expressions (no resolution): what figure scanning must skip."""
    t = normed if normed is not None else norm(text)
    return [(m.start, m.end) for m in _iter(t)]


# --- resolution --------------------------------------------------------------------------------
def _month(g: dict) -> int:
    if "m" in g:
        return int(g["m"])
    return int(parse_cn(g["mc"]))


def _monday(d: _dt.date) -> _dt.date:
    return d - _dt.timedelta(days=d.weekday())


def _iso_range(a: _dt.date, b: _dt.date) -> str:
    return f"{a.isoformat()}/{b.isoformat()}"


def _month_end(y: int, m: int) -> int:
    nxt = _dt.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - _dt.timedelta(days=1)).day


def _safe_date(y: int, m: int, d: int) -> Optional[_dt.date]:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _parse_iso(s: Optional[str]) -> Optional[_dt.date]:
    if not s:
        return None
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.match(r"(\d{4})-(\d{1,2})$", s)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), 1)
    return None


def _prev_business(d: _dt.date) -> _dt.date:
    d -= _dt.timedelta(days=1)
    while d.weekday() >= 5:
        d -= _dt.timedelta(days=1)
    return d


class _Ctx:
    """What the resolver knows: the reference date and the story's anchor year/month."""

    def __init__(self, t: str, ms: list[_M], published: Optional[str], today: _dt.date):
        self.published = _parse_iso(published)
        pub = self.published
        if pub is None:
            pm = _pub_search(t)
            if pm:
                pub = _safe_date(int(pm.group("y")), int(pm.group("m")), int(pm.group("d")))
        # latest date written with a year
        with_year = []
        for m in ms:
            g = m.g
            if m.kind == "ymd":
                d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
                if d:
                    with_year.append(d)
            elif m.kind == "ym":
                with_year.append(_dt.date(int(g["y"]), _month(g), 1))
            elif m.kind == "y":
                with_year.append(_dt.date(int(g["y"]), 1, 1))
        if pub is not None:
            self.anchor_year, self.anchor_month = pub.year, pub.month
        elif with_year:
            latest = max(with_year)
            self.anchor_year, self.anchor_month = latest.year, latest.month
        else:
            self.anchor_year, self.anchor_month = today.year, today.month
            for m in ms:  # a weekday written with a yearless date fixes the year
                if m.kind == "md" and "wd" in m.g and "rel" not in m.g:
                    mo, dd, wd = int(m.g["m"]), int(m.g["d"]), _CN_WD[m.g["wd"]]
                    for y in range(today.year, today.year - 12, -1):
                        d = _safe_date(y, mo, dd)
                        if d and d.weekday() == wd and d <= today:
                            self.anchor_year, self.anchor_month = y, mo
                            break
                    break
            else:
                # the story month: the most frequent yearless month-day month
                months = [int(m.g["m"]) for m in ms if m.kind in ("md", "slash") and "m" in m.g]
                if months:
                    mo = max(set(months), key=months.count)
                    y = today.year if mo <= today.month else today.year - 1
                    self.anchor_year, self.anchor_month = y, mo
        self.pub = pub
        self.now: Optional[_dt.date] = pub  # set after explicit days are resolved when pub is None

    def year_for(self, month: int, rel: Optional[str] = None) -> int:
        y = self.anchor_year
        if rel:
            return y + {"去年": -1, "今年": 0, "明年": 1, "前年": -2}[rel]
        if month > self.anchor_month + 3:  # 10/10 in a February piece is last October; 6 月 in March is this June
            return y - 1
        return y


def _resolve_explicit(m: _M, ctx: _Ctx) -> Optional[tuple[str, str, Optional[_dt.date]]]:
    """(iso, granularity, day) for expressions that need no 'now'."""
    g, k = m.g, m.kind
    if k == "ymd":
        d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (d.isoformat(), "day", d) if d else None
    if k in ("md", "slash"):
        mo, dd = int(g["m"]), int(g["d"])
        d = _safe_date(ctx.year_for(mo, g.get("rel")), mo, dd)
        return (d.isoformat(), "day", d) if d else None
    if k == "slash_range":
        a = _safe_date(ctx.year_for(int(g["m"])), int(g["m"]), int(g["d"]))
        b = _safe_date(ctx.year_for(int(g["m2"])), int(g["m2"]), int(g["d2"]))
        if a and b and a <= b:
            return _iso_range(a, b), "range", b
        return None
    if k == "md_range" and "rel2" not in g:
        mo = int(g["m"])
        a = _safe_date(ctx.year_for(mo), mo, int(g["d"]))
        mo2 = int(g.get("m2") or mo)
        b = _safe_date(ctx.year_for(mo2), mo2, int(g["d2"]))
        if a and b and a <= b:
            return _iso_range(a, b), "range", b
        return None
    if k in ("ym", "m"):
        if k == "m" and "rel" not in g and _is_general_month(m, ctx):
            return f"--{_month(g):02d}", "month", None
        mo = _month(g)
        y = int(g["y"]) if k == "ym" else ctx.year_for(mo, g.get("rel"))
        part = g.get("part")
        if part in ("上旬", "中旬", "下旬"):
            a, b = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, _month_end(y, mo))}[part]
            return _iso_range(_dt.date(y, mo, a), _dt.date(y, mo, b)), "range", None
        return f"{y:04d}-{mo:02d}", "month", None
    if k == "quarter" and "y" in g:
        return f"{int(g['y'])}-Q{_CN_Q[g['q']]}", "quarter", None
    if k == "y":
        if g.get("ypart") == "内":
            return g["y"], "year", None
        return g["y"], "year", None
    return None


_GENERAL_MONTH = re.compile(r"(?:历史上|往年|每年|通常|季节性|月度回报)[^。，,；;]{0,12}$")
_GENERAL_AFTER = re.compile(r"^\s*(?:份)?\s*(?:历史上|往往|通常|一般|向来|素来)")


def _is_general_month(m: _M, ctx: _Ctx) -> bool:
    """A month named as a season of every year (历史上 10 月 ...): no year applies."""
    t = _TEXT["t"]
    return bool(_GENERAL_MONTH.search(ctx_text_before(m)) or _GENERAL_AFTER.match(t[m.end: m.end + 8]))


_TEXT = {"t": ""}


def ctx_text_before(m: _M) -> str:
    t = _TEXT["t"]
    return t[max(0, m.start - 16): m.start]


def find_dates(text: str, published: str | None = None, today: Optional[_dt.date] = None) -> list[DateMention]:
    """Date mentions in ``text`` resolved relative to ``published`` (ISO date). Offsets index ``text``.

    Returns DateMentions in text order; expressions that cannot be resolved are left out.
    ``today`` (default: the system date) is only used when the text gives no year at all.
    """
    if not text:
        return []
    t = norm(text)
    _TEXT["t"] = t
    today = today or _dt.date.today()
    ms = list(_iter(t))
    ctx = _Ctx(t, ms, published, today)
    resolved: list[Optional[tuple[str, str, Optional[_dt.date]]]] = [None] * len(ms)
    days: list[_dt.date] = []
    for i, m in enumerate(ms):
        r = _resolve_explicit(m, ctx)
        resolved[i] = r
        if r and r[2] is not None:
            days.append(r[2])
    if ctx.now is None:
        # an article is never written after today: cap the inferred "now" there (but not before its own dates)
        if days:
            latest = max(days)
            ctx.now = max(latest, min(_monday(latest) + _dt.timedelta(days=7), today))
        else:
            ctx.now = min(_dt.date(ctx.anchor_year, ctx.anchor_month, _month_end(ctx.anchor_year, ctx.anchor_month)), today)
    now = ctx.now
    out: list[DateMention] = []
    last_day: Optional[_dt.date] = None
    last_any: Optional[tuple[str, str]] = None
    for i, m in enumerate(ms):
        r = resolved[i]
        if r is None:
            r = _resolve_relative(m, ctx, now, last_day, last_any)
        if r is None:
            continue
        iso, gran, day = r
        if m.kind == "time":
            iso, gran = _time_iso(m, ctx), "time"
        out.append(DateMention(surface=text[m.start:m.end], start=m.start, end=m.end, iso=iso, granularity=gran))
        if gran == "day" and day is not None:
            last_day = day
        elif gran == "day":
            last_day = _parse_iso(iso)
        if gran != "time":
            last_any = (iso, gran)
    return out


def _time_iso(m: _M, ctx: _Ctx) -> str:
    g = m.g
    hh = int(g["hh"])
    mi = int(g.get("mi") or 0)
    if g.get("ampm") in ("下午", "晚上") and hh < 12:
        hh += 12
    tz = g.get("tz")
    off = ""
    if tz in ("美东时间", "美国东部时间"):
        # EST from early November to mid March, EDT otherwise (approximate DST window)
        mo = ctx.now.month if ctx.now else ctx.anchor_month
        off = "-05:00" if (mo <= 3 or mo >= 11) else "-04:00"
    elif tz in ("北京时间", "香港时间"):
        off = "+08:00"
    elif tz == "东京时间":
        off = "+09:00"
    elif tz in ("UTC", "GMT"):
        off = "+00:00"
    return f"T{hh:02d}:{mi:02d}{off}"


def _resolve_relative(m: _M, ctx: _Ctx, now: _dt.date, last_day, last_any):
    g, k = m.g, m.kind
    if k == "time":
        return ("", "time", None)
    if k == "ymd" or k == "md" or k == "slash":
        return None
    if k == "md_range" and "rel2" in g:
        mo = int(g["m"])
        a = _safe_date(ctx.year_for(mo), mo, int(g["d"]))
        off = {"昨日": -1, "昨天": -1, "今日": 0, "今天": 0}[g["rel2"]]
        b = now + _dt.timedelta(days=off)
        if a and a <= b:
            return _iso_range(a, b), "range", b
        return None
    if k == "quarter":
        q = _CN_Q[g["q"]]
        y = now.year
        if q > (now.month - 1) // 3 + 1 + 1:
            y -= 1
        return f"{y}-Q{q}", "quarter", None
    if k == "wd":
        wd = _CN_WD[g["wd"]]
        d = now - _dt.timedelta(days=(now.weekday() - wd) % 7)
        return d.isoformat(), "day", d
    if k == "wd_pair":
        a_wd, b_wd = _CN_WD[g["wd"]], _CN_WD[g["wd2"]]
        b = now - _dt.timedelta(days=(now.weekday() - b_wd) % 7)
        a = b - _dt.timedelta(days=(b_wd - a_wd) % 7)
        return _iso_range(a, b), "range", None
    if k == "week":
        w = g["w"]
        base = _monday(now) + _dt.timedelta(days=7 * {"上上周": -2, "上周": -1, "上週": -1, "上星期": -1, "下周": 1, "下星期": 1}.get(w, 0))
        if "wd" in g:
            d = base + _dt.timedelta(days=_CN_WD[g["wd"]])
            return d.isoformat(), "day", d
        return _iso_range(base, base + _dt.timedelta(days=6)), "range", None
    if k == "weekend":
        w = g["w"]
        if w in ("本周末", "这个周末"):
            sat = _monday(now) + _dt.timedelta(days=5)
        else:  # the most recent weekend before now
            sat = now - _dt.timedelta(days=(now.weekday() - 5) % 7 or 7)
            if w in ("上个周末", "上周末") and now.weekday() >= 5:
                sat -= _dt.timedelta(days=7)
        if g.get("before"):
            fri = sat - _dt.timedelta(days=1)
            return fri.isoformat(), "day", fri
        return _iso_range(sat, sat + _dt.timedelta(days=1)), "range", None
    if k == "rel_day":
        w = g["w"]
        if w == "当时":
            return (last_any[0], last_any[1], None) if last_any else None
        if w in ("昨天", "昨日", "今天", "今日", "前天", "明天"):
            d = now + _dt.timedelta(days={"昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "前天": -2, "明天": 1}[w])
            return d.isoformat(), "day", d
        if last_day is None:
            return None
        if w in ("当天", "当日", "同日", "那天", "那一天"):
            d = last_day
        elif w in ("前一交易日", "前一个交易日", "上一交易日"):
            d = _prev_business(last_day)
        elif w in ("前一天", "前一日", "前日"):
            d = last_day - _dt.timedelta(days=1)
        else:
            d = last_day + _dt.timedelta(days=1)
        return d.isoformat(), "day", d
    if k == "rel_month":
        w = g["w"]
        y, mo = now.year, now.month
        if w in ("上个月", "上月"):
            y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
        elif w == "下个月":
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
        return f"{y:04d}-{mo:02d}", "month", None
    if k == "rel_year":
        w = g["w"]
        y = now.year + {"去年": -1, "明年": 1, "前年": -2}.get(w, 0)
        if w == "上半年":
            return f"{y}-01/{y}-06", "range", None
        if w == "下半年":
            return f"{y}-07/{y}-12", "range", None
        return str(y), "year", None
    if k == "ago":
        n = int(g["n"]) if g["n"].isdigit() else int(parse_cn(g["n"]))
        u = g["u"]
        if u == "天":
            d = now - _dt.timedelta(days=n)
        elif u in ("周", "星期", "个星期"):
            d = now - _dt.timedelta(days=7 * n)
        elif u in ("个交易日", "交易日"):
            d = now
            for _ in range(min(n, 400)):
                d = _prev_business(d)
        elif u == "个月":
            y, mo = divmod(now.year * 12 + now.month - 1 - n, 12)
            return f"{y:04d}-{mo + 1:02d}", "month", None
        else:
            return f"{now.year - n:04d}", "year", None
        return d.isoformat(), "day", d
    if k == "rel_q":
        w = g["w"]
        q = (now.month - 1) // 3 + 1
        y = now.year
        if w == "上季度":
            y, q = (y - 1, 4) if q == 1 else (y, q - 1)
        elif w == "下季度":
            y, q = (y + 1, 1) if q == 4 else (y, q + 1)
        return f"{y}-Q{q}", "quarter", None
    return None


def context_date(dates: list[DateMention]) -> Optional[str]:
    """The story's day: the most frequent day-granularity date (ties: the earliest mentioned), or None."""
    days = [d.iso for d in dates if d.granularity == "day" and len(d.iso) == 10]
    if not days:
        return None
    best = max(set(days), key=lambda x: (days.count(x), -days.index(x)))
    return best
