"""Bind figures to what they are about: subject, metric, date, sign, checkable.

Reading order, like a reader's: the figure's own clause first, then its sentence, then the
paragraph, then the article. Cues come from ``corpora/figures/`` (metric_cues, subject_cues,
directions, yield_curves, fx_pairs, uncheckable_cues) and from the entity stage's mentions.

Dates: the nearest date in the figure's clause; else a date of an earlier clause of the
sentence that no other figure has taken (``1 月 30 日, IBIT 前一天跌了 5.8%, 录得 -5.3 亿``:
5.8% takes 前一天, -5.3 亿 gets 1 月 30 日); else the nearest earlier day in the paragraph;
else the article's story day (its most frequently mentioned day).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter
from typing import Optional

from . import _lexicon as L
from ._numerals import norm
from .dates import context_date
from .records import DateMention, Figure, Mention

__all__ = ["bind"]

_CURRENCIES = {"USD", "CNY", "HKD", "TWD", "JPY", "EUR", "GBP", "CHF"}
_SENT_END = re.compile(r"[。！？!?\n]")
# a comma between digits (1,000) is no boundary; the checks sit after the mark so the pattern
# starts with a character set (``re`` then skips to candidates in C)
_CLAUSE_END = re.compile(r"[。！？!?\n;；:：,，](?:(?<![,，])|(?<!\d.)|(?!\d))")
_SENT_MARKS = "。！？!?\n"  # the characters of _SENT_END


def _mark_ends(t: str, marks: str, lo: int = 0, hi: Optional[int] = None) -> list[int]:
    """Positions just after each occurrence of a character of ``marks`` in ``t[lo:hi]``, sorted:
    ``[m.end() for m in re.finditer("[marks]", t, lo, hi)]``, but ``str.find`` skips ahead far
    faster than ``re`` tests a character set at every position."""
    seg = t if lo == 0 and (hi is None or hi >= len(t)) else t[lo:hi]
    out: list[int] = []
    for ch in marks:
        if ch in seg:
            # end of piece k = lo + the lengths of pieces 0..k + one mark each: all in C
            pieces = seg.split(ch)
            pieces.pop()
            ends = accumulate(map(_PLUS_ONE, map(len, pieces)), initial=lo)
            next(ends)
            out += ends
    out.sort()
    return out


_PLUS_ONE = (1).__add__
_START = attrgetter("start")


_LEVEL_AFTER = re.compile(r"^\s*(?:了)?\s*(?:至|到|于)")

# entity-stage mention types -> figure subject types
_MENTION_TYPES = {"ETF": "etf", "ASSET": "asset", "INDEX": "index", "EXCHANGE": "venue"}
_CENTRAL_BANKS = {"Federal Reserve", "Bank of Japan", "ECB", "PBOC", "Japan Ministry of Finance"}


@lru_cache(maxsize=1)
def _subject_ids() -> dict[str, str]:
    """Entity id -> subject type, from the subject cue lexicon."""
    return {v[0]: v[1] for v in L.subject_cues()[0].values()}


class _MentionTypes(dict):
    """(entity, mention type) -> subject type, filled on first ask (the lexicon is fixed)."""

    def __init__(self, ids: dict[str, str]):
        super().__init__()
        self.ids = ids

    def __missing__(self, key: tuple[str, str]) -> Optional[str]:
        typ = self[key] = _mention_type(self.ids, *key)
        return typ


@lru_cache(maxsize=1)
def _mention_types() -> _MentionTypes:
    return _MentionTypes(_subject_ids())


def _mention_type(ids: dict[str, str], entity: str, mtype: str) -> Optional[str]:
    """The subject type of an entity-stage mention (None: not a figure subject)."""
    typ = ids.get(entity) or (_MENTION_TYPES.get(mtype) if entity not in _CENTRAL_BANKS else "cb")
    if entity in _CENTRAL_BANKS:
        typ = "cb"
    return typ


@lru_cache(maxsize=1)
def _cues_stay_in_sentence() -> bool:
    """No metric, direction or uncheckable cue holds a sentence mark (see :class:`_Doc`)."""
    words = [*L.metric_cues()[0], *L.directions()[0], *L.uncheckable()[0]]
    return not any(_SENT_END.search(w) for w in words)


def _unit_class(f: Figure) -> str:
    u = f.unit or ""
    c = _UNIT_CLASS.get(u)
    if c is None:
        c = _UNIT_CLASS[u] = _unit_class_of(u)
    return c


_UNIT_CLASS: dict[str, str] = {}


def _unit_class_of(u: str) -> str:
    if u in _CURRENCIES or u.endswith("_per_oz") or u.endswith("_per_bbl") or u.endswith("_per_t"):
        return "money"
    if u in ("days", "years", "trading_days", "months", "weeks", "hours", "minutes"):
        return "count"
    if "_per_" in u:
        return "fx"
    return u or "level"


class _Doc:
    """Positions of sentences, clauses, paragraphs and cues in one text.

    Clause marks and the metric, direction and uncheckable cues are only read inside the
    figure's own sentence (clause and sentence windows never leave it), so they are scanned
    per sentence on first use (:meth:`local`): most sentences hold no figure. No cue contains
    a sentence mark, so a cue never spans two sentences and the per-sentence scans find what
    one scan of the whole text would.
    """

    def __init__(self, text: str, mentions: list[Mention], dates: list[DateMention]):
        self.t = t = norm(text)
        # line ends are both paragraph and sentence ends: split on "\n" once
        nl = _mark_ends(t, "\n")
        self.para = [0] + nl
        ends = nl + _mark_ends(t, _SENT_MARKS.replace("\n", ""))
        ends.sort()
        self.sent = [0] + ends
        self._sent_memo: dict[int, tuple[int, int]] = {}
        self._clause_memo: dict[int, tuple[int, int]] = {}
        self._local: dict[int, tuple] = {}
        self._dirs: dict[int, list] = {}
        self._curves: Optional[list] = None
        sd, srx = L.subject_cues()
        types = _mention_types()
        subs: list[tuple[int, int, str, str]] = [
            (m.start, m.end, m.entity, typ) for m in mentions or () if (typ := types[m.entity, m.type])]
        # a subject cue inside a mention's span is the mention's: with the non-empty mention
        # spans sorted by start, a cue [a, b) overlaps one iff the largest end among those
        # starting before b exceeds a
        spans = sorted((a, b) for a, b, _, _ in subs if b > a)
        starts = [a for a, _ in spans]
        max_end = list(accumulate((b for _, b in spans), max))
        # the cue scan tries the regex only at the candidates of the numpy pass the dates stage and
        # the figure mask already made over this same text (memoized: no numpy call here)
        cands = L.scan_candidates(t)
        cues = ([(*m.span(), m.group()) for m in srx.finditer(t)] if cands is None
                else L.cue_spans(srx, t, cands[3]))
        if not spans:
            subs += [(a, b, *sd[w]) for a, b, w in cues]
        for a, b, w in cues if spans else ():
            k = bisect.bisect_left(starts, b)
            if k == 0 or max_end[k - 1] <= a:
                i, typ = sd[w]
                subs.append((a, b, i, typ))
        subs.sort()
        self.subjects = subs
        # the subjects' starts: a bisect over ints costs a fraction of one over tuples ((lo,) against
        # 4-tuples); bisect_left(starts, lo) == bisect_left(subs, (lo,))
        self.subject_starts = [s[0] for s in subs]
        self.dates = sorted(dates or [], key=_START)
        self.date_starts = [d.start for d in self.dates]
        self.story_day = context_date(self.dates)
        # the longest subject, the asset counts and whether a group is named: one pass over subs
        maxlen = 0
        assets: dict[str, int] = {}
        has_group = False
        for s, e, i, typ in subs:
            if e - s > maxlen:
                maxlen = e - s
            if typ == "asset":
                assets[i] = assets.get(i, 0) + 1
            elif typ == "group":
                has_group = True
        self.subject_maxlen = maxlen
        # ties go to the asset named first (a dict keeps first-seen order; a set would make
        # the choice depend on the hash seed)
        self.main_asset = max(assets, key=assets.__getitem__) if assets else None
        self.has_group = has_group

    def _scan_window(self, k: int) -> tuple[int, int]:
        """The span sentence ``k``'s cue scans cover."""
        sent, t = self.sent, self.t
        if not _cues_stay_in_sentence():  # pragma: no cover - a lexicon entry holds a sentence mark
            return 0, len(t)
        return sent[k], (sent[k + 1] if k + 1 < len(sent) else len(t))

    def local(self, i: int) -> tuple[list[int], list, None, list]:
        """(clause boundaries, metric cues, None, uncheckable cues) of the sentence holding
        position ``i``, each as the whole-text scan would list them there (the direction words
        are read by :meth:`directions`)."""
        k = bisect.bisect_right(self.sent, i) - 1
        r = self._local.get(k)
        if r is None:
            t = self.t
            a, b = self._scan_window(k)
            md, mrx = L.metric_cues()
            ud, urx = L.uncheckable()
            r = self._local[k] = (
                [a] + [m.end() for m in _CLAUSE_END.finditer(t, a, b)],
                [(m.start(), m.end(), md[m.group()]) for m in mrx.finditer(t, a, b)],
                None,
                [(m.start(), m.end(), ud[m.group()]) for m in urx.finditer(t, a, b)],
            )
        return r

    def frame(self, i: int) -> tuple[tuple, tuple[int, int], tuple[int, int]]:
        """``(self.local(i), self.clause(i), self.sentence(i))`` with one bisect and no nested
        calls: every figure asks for all three (~3k instructions saved per figure)."""
        sent = self.sent
        k = bisect.bisect_right(sent, i) - 1
        loc = self._local.get(k)
        if loc is None:
            loc = self.local(i)
        se = self._sent_memo.get(i)
        if se is None:
            b = sent[k + 1] if k + 1 < len(sent) else len(self.t)
            se = self._sent_memo[i] = (max(sent[k], i - 300), min(b, i + 300))
        cl = self._clause_memo.get(i)
        if cl is None:
            bounds = loc[0]
            j = bisect.bisect_right(bounds, i) - 1
            b = bounds[j + 1] if j + 1 < len(bounds) else len(self.t)
            cl = self._clause_memo[i] = (max(bounds[j], i - 120), min(b, i + 120))
        return loc, cl, se

    def directions(self, i: int) -> list:
        """Direction words of the sentence holding position ``i``: only signs read them, so they
        are scanned on first use (most figure sentences never ask)."""
        k = bisect.bisect_right(self.sent, i) - 1
        r = self._dirs.get(k)
        if r is None:
            a, b = self._scan_window(k)
            dd, drx = L.directions()
            r = self._dirs[k] = [(m.start(), m.end(), dd[m.group()])
                                 for m in drx.finditer(self.t, a, b) if dd[m.group()] != "q"]
        return r

    @property
    def curves(self) -> list:
        """Yield-curve cues of the whole text (read for yield figures only: built on first use)."""
        if self._curves is None:
            cd, crx = L.yield_curves()
            self._curves = [(m.start(), m.end(), cd[m.group()]) for m in crx.finditer(self.t)]
            self._curve_ends = [c[1] for c in self._curves]
        return self._curves

    @property
    def curve_ends(self) -> list[int]:
        self.curves
        return self._curve_ends

    def dates_in(self, lo: int, hi: int) -> list[DateMention]:
        """Date mentions lying inside [lo, hi)."""
        starts = self.date_starts
        a = bisect.bisect_left(starts, lo)
        if a == len(starts) or starts[a] >= hi:  # none starts in the window (the common case)
            return []
        b = bisect.bisect_left(starts, hi, a)
        return [d for d in self.dates[a:b] if d.end <= hi]

    def _span(self, bounds: list[int], i: int) -> tuple[int, int]:
        k = bisect.bisect_right(bounds, i) - 1
        a = bounds[k]
        b = bounds[k + 1] if k + 1 < len(bounds) else len(self.t)
        return a, b

    # windows are capped around the figure: a run-on "sentence" (one long forum line without
    # a full stop) must not make every lookup scan the whole text
    # memoized per position: every figure asks for its clause and sentence several times
    def sentence(self, i: int) -> tuple[int, int]:
        r = self._sent_memo.get(i)
        if r is None:
            a, b = self._span(self.sent, i)
            r = self._sent_memo[i] = (max(a, i - 300), min(b, i + 300))
        return r

    def clause(self, i: int) -> tuple[int, int]:
        r = self._clause_memo.get(i)
        if r is None:
            a, b = self._span(self.local(i)[0], i)
            r = self._clause_memo[i] = (max(a, i - 120), min(b, i + 120))
        return r

    def paragraph(self, i: int) -> tuple[int, int]:
        a, b = self._span(self.para, i)
        return max(a, i - 1500), b


def _nearest(items, lo: int, hi: int, fs: int, fe: int, types: Optional[frozenset] = None,
             prefer_before: bool = True, starts: Optional[list[int]] = None):
    """The item (start, end, ...) inside [lo, hi) nearest to the figure span [fs, fe); ``items`` sorted by start
    (``starts``: their starts, when the caller has them). ``types``: only subjects (start, end, id, type)
    of these types (None: any item); a set test, not a predicate call per item."""
    best, bd = None, None
    k = bisect.bisect_left(items, (lo,)) if starts is None else bisect.bisect_left(starts, lo)
    n = len(items)
    while k < n:
        it = items[k]
        k += 1
        s, e = it[0], it[1]
        if s >= hi:
            break
        if e > hi or (s < fe and fs < e) or (types is not None and it[3] not in types):
            continue
        d = fs - e if e <= fs else s - fe
        d = d * 2 + (0 if (e <= fs) == prefer_before else 1)
        if bd is None or d < bd:
            best, bd = it, d
    return best


def _nearest_before(items, lo: int, fs: int, maxlen: int, types: Optional[frozenset] = None,
                    top: Optional[int] = None, starts: Optional[list[int]] = None):
    """What ``_nearest(items, lo, fs, fs, fe, types)`` returns (the item inside [lo, fs) ending
    nearest before ``fs``; ties: the first by start), scanning back from ``fs`` instead of
    forward from ``lo``: a paragraph-wide window costs only the items near the figure.
    ``maxlen`` bounds every item's length, so the scan stops once no earlier item can end later.
    ``top``: scan only the items below this index (the caller knows the ones above fail).
    ``starts``: the items' starts, when the caller has them."""
    best, best_e = None, -1
    if top is None:
        top = bisect.bisect_left(items, (fs,)) if starts is None else bisect.bisect_left(starts, fs)
    k = top - 1
    while k >= 0:
        it = items[k]
        k -= 1
        s, e = it[0], it[1]
        if s < lo or s + maxlen < best_e:
            break
        if e > fs or (types is not None and it[3] not in types):
            continue
        if e >= best_e:
            best, best_e = it, e
    return best


def _fits(cues, uc: str):
    """The reading of a cue that fits unit class ``uc`` (or None)."""
    for c in cues:
        if uc in c.units or "any" in c.units:
            return c
    return None


def _first(items, lo: int, hi: int, types: Optional[frozenset], starts: Optional[list[int]] = None):
    """The first item (by start) inside [lo, hi) of one of ``types`` (``types``, ``starts``: as for :func:`_nearest`)."""
    k = bisect.bisect_left(items, (lo,)) if starts is None else bisect.bisect_left(starts, lo)
    while k < len(items) and items[k][0] < hi:
        if items[k][1] <= hi and (types is None or items[k][3] in types):
            return items[k]
        k += 1
    return None


_CHANGE_METRICS = {"price_change_pct", "drawdown_pct"}
_LEVEL_BEFORE = re.compile(r"(?:至|到)\s*$")


# (id of a cue tuple, unit class) -> (the tuple, its fitting reading or None): the fit test
# runs once per lexicon entry and unit class, not once per hit (the tuple is kept to make the
# id safe)
_FIT_MEMO: dict[tuple[int, str], tuple] = {}


def _metric(doc: _Doc, f: Figure, cl: tuple[int, int], se: tuple[int, int], loc: tuple,
            uc: str) -> Optional[object]:
    """The metric cue of ``f`` (``uc``: its unit class, which the caller has)."""
    # 跌 8 个基点至 3.95%: a number after 至 is the level reached, not the move
    w = doc.t[max(0, f.start - 3):f.start]
    level = ("至" in w or "到" in w) and _LEVEL_BEFORE.search(w) is not None
    metrics = loc[1]
    if not metrics:
        return None
    fs, fe = f.start, f.end
    memo = _FIT_MEMO
    for lo, hi in (cl, se):
        # the nearest cue whose fitting reading is a metric (a "-" reading only blocks: the
        # nearest fitting cue reading "-" makes the search fall back to the nearest other one)
        best, bd = None, None
        k = bisect.bisect_left(metrics, (lo,))
        n = len(metrics)
        while k < n:
            it = metrics[k]
            k += 1
            s, e = it[0], it[1]
            if s >= hi:
                break
            if e > hi or (s < fe and fs < e):
                continue
            cues = it[2]
            m = memo.get((id(cues), uc))
            if m is None or m[0] is not cues:
                m = memo[(id(cues), uc)] = (cues, _fits(cues, uc))
            c = m[1]
            if c is None or c.metric == "-" or (level and c.metric in _CHANGE_METRICS):
                continue
            d = (fs - e) * 2 if e <= fs else (s - fe) * 2 + 1
            if bd is None or d < bd:
                best, bd = c, d
        if best is not None:
            return best
        if lo == cl[0] and hi == cl[1] and uc == "money" and _nearest(doc.subjects, lo, hi, fs, fe, _ASSET, True, doc.subject_starts):
            return None  # an amount next to an asset and no cue: its price (see _bind_one)
    return None


_ASSET = frozenset({"asset"})


def _subject(doc: _Doc, f: Figure, types: Optional[frozenset], metric: Optional[str],
             cl: tuple[int, int], se: tuple[int, int]) -> Optional[str]:
    ok = None if not types or "*" in types else types
    subs, starts = doc.subjects, doc.subject_starts
    hit = _nearest(subs, cl[0], cl[1], f.start, f.end, ok, True, starts)
    if hit:
        return hit[2]
    s0, s1 = se
    hit = _nearest_before(subs, s0, f.start, doc.subject_maxlen, ok, starts=starts)  # earlier in the sentence
    if hit:
        return hit[2]
    hit = _nearest(subs, f.end, s1, f.start, f.end, ok, False, starts)
    if hit:
        return hit[2]
    if metric == "liquidations_usd":
        return "Crypto market"  # market-wide liquidations when the sentence names no asset
    if metric == "net_flow_usd" and doc.has_group:
        return "US spot bitcoin ETFs"  # an aggregate flow when the sentence names no fund
    p0, _ = doc.paragraph(f.start)
    lo = p0
    hit = _nearest_before(subs, lo, f.start, doc.subject_maxlen, ok, starts=starts)
    if hit is None and max(0, f.start - 1500) < p0:
        # the wider window: the subjects starting in [p0, f.start) were all refused just now,
        # so the backward scan goes on from the last one starting before p0
        lo = max(0, f.start - 1500)
        hit = _nearest_before(subs, lo, f.start, doc.subject_maxlen, ok, top=bisect.bisect_left(starts, p0))
    if hit:
        # an earlier sentence is about its topic: its first fitting subject, not its last
        h0, _ = doc.sentence(hit[0])
        first = _first(subs, max(h0, lo), hit[1], ok, starts)
        return (first or hit)[2]
    if types and ("asset" in types) and doc.main_asset:
        return doc.main_asset
    return None


def _figs_in(figures: list[Figure], lo: int, hi: int) -> list[Figure]:
    """Figures starting in [lo, hi); ``figures`` sorted by start (see :func:`bind`)."""
    starts = [g.start for g in figures] if not hasattr(figures, "starts") else figures.starts
    return figures[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]


class _Sorted(list):
    """Figures sorted by start, with their starts for bisect."""

    def __init__(self, figures):
        super().__init__(sorted(figures, key=_START))
        self.starts = [g.start for g in self]


_TENOR = re.compile(r"(\d+)\s*年期")


def _yield_subject(doc: _Doc, f: Figure, figures: list[Figure]) -> Optional[str]:
    s0, s1 = doc.sentence(f.start)
    tenor = None
    for g in _figs_in(figures, s0, f.start):
        if g is not f and g.unit == "years" and g.value is not None:
            tenor = g.value
    if tenor is None:
        m = None
        for m in _TENOR.finditer(doc.t, s0, f.start):
            pass
        if m:
            tenor = int(m.group(1))
    # the nearest country/market cue before the yield (any distance: a yield names its curve once)
    k = bisect.bisect_right(doc.curve_ends, f.start) - 1
    if k < 0:
        return None
    tpl = doc.curves[k][2]
    return tpl.replace("{n}", str(int(tenor))) if tenor is not None else tpl.replace(" {n}Y", "").replace("{n}Y ", "")


def _date(doc: _Doc, f: Figure, figures: list[Figure], cl: tuple[int, int], se: tuple[int, int]) -> Optional[str]:
    if f.change is not None:
        inside = doc.dates_in(f.start, f.end)
        if len(inside) >= 2 and all(len(d.iso) == 10 for d in inside[:2]):
            return f"{inside[0].iso}/{inside[-1].iso}"
    c0, c1 = cl
    own = [d for d in doc.dates_in(c0, c1) if d.granularity != "time" and not (f.start <= d.start < f.end)]
    if own:
        before = [d for d in own if d.end <= f.start]
        return (before[-1] if before else own[0]).iso
    s0 = se[0]
    earlier_in_sentence = doc.dates_in(s0, f.start)
    if earlier_in_sentence:
        # dates of earlier clauses of the sentence, unless another figure's clause took them
        claimed: set[int] = set()
        for g in _figs_in(figures, s0, f.start):
            if g is f:
                continue
            g0, _ = doc.clause(g.start)
            gb = doc.dates_in(g0, g.start)
            if gb:
                claimed.add(id(gb[-1]))
        cands = [d for d in earlier_in_sentence if id(d) not in claimed and d.granularity != "time"]
        if cands:
            last_clause = doc.clause(cands[-1].start)
            same = [d for d in cands if doc.clause(d.start) == last_clause]
            days = [d for d in same if d.granularity == "day"]
            return (days[-1] if days else same[-1]).iso
    # the paragraph's last earlier day (or range), else its last earlier date: scanned back
    # from the figure, so a long paragraph costs only the dates it has to pass
    p0, _ = doc.paragraph(f.start)
    starts, dates = doc.date_starts, doc.dates
    k = bisect.bisect_left(starts, f.start)
    stop = bisect.bisect_left(starts, p0, 0, k)
    last = None
    while k > stop:
        k -= 1
        d = dates[k]
        g = d.granularity
        if d.end > f.start or g == "time":
            continue
        if g == "day" or g == "range":
            return d.iso
        if last is None:
            last = d
    if last is not None:
        return last.iso
    return doc.story_day


def _sign(doc: _Doc, f: Figure, cl: tuple[int, int], se: tuple[int, int]) -> Optional[str]:
    if f.change is not None:
        return f.sign
    if f.value is not None and f.value < 0:
        return "-"
    dirs = doc.directions(f.start)
    for lo, hi in (cl, se):
        hit = _nearest(dirs, lo, hi, f.start, f.end)
        if hit:
            s, e, sign = hit
            if sign == "0" or (e <= f.start and _LEVEL_AFTER.match(doc.t[e:f.start])):
                return None
            return sign
    return None


def _checkable(doc: _Doc, f: Figure, cl: tuple[int, int], se: tuple[int, int], loc: tuple) -> bool:
    if f.metric == "tenor":
        return False
    unchk = loc[3]
    if not unchk:
        return True
    c0, c1 = cl
    s0, s1 = se
    k = bisect.bisect_left(unchk, (s0,))
    while k < len(unchk) and unchk[k][0] < s1:
        s, e, scope = unchk[k]
        k += 1
        lo, hi = (c0, c1) if scope == "clause" else (s0, s1)
        if lo <= s and e <= hi:
            return False
    return True


def bind(text: str, figures: list[Figure], mentions: list[Mention], dates: list[DateMention],
         published: Optional[str] = None) -> None:
    """Fill subject, metric, date, sign, kind and checkable of ``figures`` in place."""
    if not figures:
        return
    doc = _Doc(text, mentions, dates)
    t = doc.t
    ordered = _Sorted(figures)
    for f in ordered:
        try:
            _bind_one(doc, t, f, ordered)
        except (ValueError, IndexError, KeyError, ArithmeticError):  # never fail the article on one figure
            continue


def _bind_one(doc: _Doc, t: str, f: Figure, figures: list[Figure]) -> None:
    uc = _unit_class(f)
    # the figure's clause, sentence and sentence scans: asked once here, passed to the helpers
    loc, cl, se = doc.frame(f.start)
    after = t[f.end:f.end + 4]
    cue = None
    if uc == "count" and (t[f.start:f.end].endswith("年期") or after.lstrip().startswith(("期", "年期"))):
        f.metric, f.checkable = "tenor", False
    elif uc == "fx":
        f.metric = "fx_level"
        d, rx = L.fx_pairs()
        c0 = cl[0]
        for m in rx.finditer(t, c0, f.start):
            f.subject = d[m.group()][1]
    elif uc == "zscore":
        f.metric = "zscore"
    else:
        cue = _metric(doc, f, cl, se, loc, uc)
        if cue is not None:
            f.metric = cue.metric
            if cue.kind and not (f.kind in ("count",)):
                f.kind = cue.kind
        elif f.unit == "shares":
            f.metric = "shares_created"
    if f.metric == "tenor" and f.unit == "years":
        f.subject = _yield_subject(doc, f, figures)
    elif f.metric == "tenor":
        c0, c1 = cl
        hit = _nearest(doc.subjects, c0, c1, f.start, f.end, starts=doc.subject_starts)
        f.subject = hit[2] if hit else None
    elif f.metric in ("yield_pct", "yield_change_bp"):
        f.subject = _yield_subject(doc, f, figures)
    elif f.subject is None:
        f.subject = _subject(doc, f, cue.subjects if cue is not None else None, f.metric, cl, se)
    if f.metric == "price_usd" and uc != "money":
        f.metric = "price_level" if uc == "level" else f.metric
    # a money figure about an asset named in its clause, with no other cue, is its price
    if f.metric is None and uc == "money":
        hit = _nearest(doc.subjects, cl[0], cl[1], f.start, f.end, _ASSET, True, doc.subject_starts)
        if hit:
            f.metric, f.kind, f.subject = "price_usd", "price", hit[2]
    if f.metric is None and uc == "pct":
        s = _sign(doc, f, cl, se)
        if s in ("+", "-"):
            f.metric = "price_change_pct"
    if f.metric == "tenor":
        f.date = None
    else:
        f.date = _date(doc, f, figures, cl, se)
    signed = cue.signed if cue is not None else f.metric in ("shares_created", "price_change_pct")
    if f.change is not None:
        pass
    elif f.value is not None and f.value < 0:
        f.sign = "-"
    elif signed:
        f.sign = _sign(doc, f, cl, se)
    else:
        f.sign = None
    f.checkable = f.checkable and _checkable(doc, f, cl, se, loc)
