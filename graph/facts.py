"""Figure facts: statements of one quantity merged across articles.

A *statement* is one figure in one article. Statements become one **fact** when
they have the same subject, metric, date and unit and their values agree.

How values are matched: each statement stands for an interval of values it is
consistent with —

* the written precision: ``3.7 亿`` is 3.65–3.75 亿, ``72,000`` is 71,500–72,500
  (trailing zeros of an integer count as imprecision), never tighter than ±0.5 %;
* widened by the qualifier: ``约``/``左右`` (approx) ±5 %, ``超过``/``逾`` (over, at_least)
  up to +15 % above, ``近``/``不到`` (under, up_to) down to −15 % below;
* ranges are their [lo, hi] (± precision); a from-to change is matched on both ends,
  or on its end value against a plain value.

Statements whose intervals overlap are one fact (single linkage within the group).
Statements with no date are merged only within one story: without a date a
match across stories says nothing.

Across stories, a fact stated by two or more stories is **corroborated**; two
facts of one (subject, metric, date, unit) that disagree and do not both come from
one single story are both flagged **conflict** (within one story, two values of one
key are usually two things the date cannot tell apart: an intraday high and a close). Several articles of one story count once: they are sources of one
fact, not independent confirmation.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

__all__ = ["Statement", "FigureFact", "signed_value", "group_key", "build_facts"]

_NUMTOK = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@dataclass
class Statement:
    """One figure as stated by one article (raw offsets: ``raw[start:end] == surface``)."""

    doc_id: str
    idx: int
    story: str
    surface: str
    start: int
    end: int
    value: Optional[float]          # signed (value combined with the words' sign)
    range: Optional[list[float]]    # signed
    change: Optional[dict[str, float]]
    unit: Optional[str]
    kind: Optional[str]
    approx: str
    subject: Optional[str]
    metric: Optional[str]
    date: Optional[str]
    checkable: bool = True
    sentence: Optional[dict] = None  # {"text", "start", "end"} in the raw article

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("doc_id", "idx", "surface", "start", "end", "value", "range", "change",
                                              "approx", "sentence")}


@dataclass
class FigureFact:
    """A quantity (subject, metric, date, value/range/change, unit) with every statement of it."""

    id: str
    subject: Optional[str]
    metric: Optional[str]
    date: Optional[str]
    value: Optional[float]
    unit: Optional[str]
    range: Optional[list[float]] = None
    change: Optional[dict[str, float]] = None
    approx: str = "eq"
    kind: Optional[str] = None
    checkable: bool = True
    docs: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    corroborated: bool = False
    conflict: bool = False
    conflicts: list[dict] = field(default_factory=list)   # [{"fact", "value", "range", "change", "docs"}]

    def to_dict(self) -> dict:
        """JSON-ready dict (statements with their raw spans and sentences)."""
        d = {k: getattr(self, k) for k in ("id", "subject", "metric", "date", "value", "unit", "range", "change",
                                           "approx", "kind", "checkable", "docs", "stories", "corroborated",
                                           "conflict", "conflicts")}
        d["statements"] = [s.to_dict() for s in self.statements]
        return d

    def __repr__(self) -> str:
        flags = "".join([", corroborated" if self.corroborated else "", ", conflict" if self.conflict else ""])
        return (f"<FigureFact {self.subject} {self.metric} {self.date or 'undated'} {self.shown_value()} "
                f"{self.unit or ''} ({len(self.docs)} doc(s), {len(self.stories)} story(ies){flags})>")

    @staticmethod
    def columns() -> list[str]:
        return ["subject", "metric", "date", "value", "unit", "approx", "docs", "stories", "flags"]

    def row(self) -> list[Any]:
        flags = [f for f, on in (("corroborated", self.corroborated), ("conflict", self.conflict)) if on]
        return [self.subject, self.metric, self.date, self.shown_value(), self.unit, self.approx, self.docs,
                len(self.stories), flags]

    def shown_value(self) -> str:
        """The value as a short readable string (range lo–hi, change from→to)."""
        if self.range is not None:
            return f"{_fmt(self.range[0])}–{_fmt(self.range[1])}"
        if self.change is not None:
            return f"{_fmt(self.change.get('from'))}→{_fmt(self.change.get('to'))}"
        return _fmt(self.value)


def _fmt(v: Any) -> str:
    if v is None:
        return "?"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and abs(v) >= 10000:
        return f"{v:,}"
    return str(v)


def _num(x: Any) -> Optional[float]:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def signed_value(value: Any, sign: Optional[str]) -> Optional[float]:
    """The figure's value combined with the direction its words give.

    A written minus is kept; ``sign == "-"`` makes the value negative (never flips a
    written minus back): 赎回 3.7 亿 → -370000000, ``-3.7 億`` 赎回 → -370000000.
    """
    v = _num(value)
    if v is None:
        return None
    return -abs(v) if sign == "-" else v


def signed_range(rng: Any, sign: Optional[str]) -> Optional[list[float]]:
    """A range with the words' sign applied (a "-" range [a, b] becomes [-b, -a])."""
    if not rng or len(rng) != 2:
        return None
    lo, hi = _num(rng[0]), _num(rng[1])
    if lo is None or hi is None:
        return None
    if sign == "-":
        lo, hi = -abs(hi), -abs(lo)
    return [min(lo, hi), max(lo, hi)]


def _change(ch: Any) -> Optional[dict[str, float]]:
    if not isinstance(ch, dict):
        return None
    a, b = _num(ch.get("from")), _num(ch.get("to"))
    if a is None and b is None:
        return None
    return {"from": a, "to": b}


def _half_unit(surface: str, magnitude: float) -> float:
    """Half of the last written digit, in base units (see module docstring)."""
    floor = 0.005 * abs(magnitude)
    m = _NUMTOK.search(surface or "")
    if not m or magnitude == 0:
        return floor
    tok = m.group(0).replace(",", "")
    try:
        written = float(tok)
    except ValueError:
        return floor
    if written == 0:
        return floor
    scale = abs(magnitude) / written
    if "." in tok:
        step = 10.0 ** -len(tok.split(".")[1])
    else:
        stripped = tok.rstrip("0")
        step = 10.0 ** (len(tok) - len(stripped)) if stripped else 1.0
    return max(floor, 0.5 * step * scale)


def _interval(v: float, surface: str, approx: str) -> tuple[float, float]:
    m = abs(v)
    h = _half_unit(surface, m)
    if approx == "approx":
        lo, hi = m - max(h, 0.05 * m), m + max(h, 0.05 * m)
    elif approx in ("over", "at_least"):
        lo, hi = m - h, m + max(h, 0.15 * m)
    elif approx in ("under", "up_to"):
        lo, hi = m - max(h, 0.15 * m), m + h
    else:
        lo, hi = m - h, m + h
    return (lo, hi) if v >= 0 else (-hi, -lo)


def _intervals(s: Statement) -> list[tuple[float, float]]:
    if s.value is not None:
        return [_interval(s.value, s.surface, s.approx)]
    if s.range is not None:
        a = _interval(s.range[0], s.surface, "eq")
        b = _interval(s.range[1], s.surface, "eq")
        return [(min(a[0], b[0]), max(a[1], b[1]))]
    if s.change is not None:
        out = []
        for k in ("from", "to"):
            v = s.change.get(k)
            out.append(_interval(v, s.surface, "eq" if k == "from" else s.approx) if v is not None else (-math.inf, math.inf))
        return out
    return []


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    # open intervals: 3.7 (3.65–3.75) and 3.8 (3.75–3.85) only touch, they do not agree
    return (a[0] < b[1] and b[0] < a[1]) or a == b


def agree(a: Statement, b: Statement) -> bool:
    """True when two statements of one group can state the same quantity."""
    ia, ib = _intervals(a), _intervals(b)
    if not ia or not ib:
        return False
    if len(ia) == len(ib):
        return all(_overlap(x, y) for x, y in zip(ia, ib))
    # a change against a plain value or range: compare the change's end value
    return _overlap(ia[-1], ib[-1])


def group_key(s: Statement) -> Optional[tuple]:
    """Statements that may be one fact share this key; None for figures with no subject or metric."""
    if not s.subject or not s.metric:
        return None
    return (s.subject, s.metric, s.date, s.unit, None if s.date else s.story)


def _fact_id(key: Optional[tuple], rep: Statement) -> str:
    if key is None:
        return f"figure:{rep.doc_id}:{rep.idx}"
    subject, metric, date, unit, story = key
    anchor = f"{rep.doc_id}:{rep.idx}"
    digest = hashlib.sha1(anchor.encode()).hexdigest()[:8]
    return f"fact:{subject}|{metric}|{date or 'undated@' + str(story)}|{unit or ''}|{digest}"


def _rep_order(s: Statement) -> tuple:
    return (s.approx != "eq", s.doc_id, s.idx)


def build_facts(statements: Iterable[Statement]) -> list[FigureFact]:
    """Merge statements into facts (see the module docstring). Returns the facts, sorted by id."""
    groups: dict[Any, list[Statement]] = {}
    for s in statements:
        k = group_key(s)
        groups.setdefault(k if k is not None else ("__single__", s.doc_id, s.idx), []).append(s)
    facts: list[FigureFact] = []
    for gk, members in groups.items():
        key = None if gk[0] == "__single__" else gk
        members.sort(key=_rep_order)
        # single-linkage clustering by interval overlap (groups are small: one quantity on one date)
        parent = list(range(len(members)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                if find(i) != find(j) and agree(members[i], members[j]):
                    parent[find(j)] = find(i)
        clusters: dict[int, list[Statement]] = {}
        for i, s in enumerate(members):
            clusters.setdefault(find(i), []).append(s)
        group_facts = []
        for cl in clusters.values():
            cl.sort(key=_rep_order)
            rep = cl[0]
            docs = sorted({s.doc_id for s in cl})
            stories = sorted({s.story for s in cl})
            group_facts.append(FigureFact(
                id=_fact_id(key, rep), subject=rep.subject, metric=rep.metric, date=rep.date, value=rep.value,
                unit=rep.unit, range=rep.range, change=rep.change, approx=rep.approx, kind=rep.kind,
                checkable=any(s.checkable for s in cl), docs=docs, stories=stories,
                statements=sorted(cl, key=lambda s: (s.doc_id, s.idx)),
                corroborated=len(stories) > 1,
            ))
        for f in group_facts:
            # a conflict needs two stories: within one story (or one article) two values of one key are
            # usually two different things the date cannot tell apart (an intraday high and a close)
            f.conflicts = [{"fact": g.id, "value": g.value, "range": g.range, "change": g.change, "docs": g.docs}
                           for g in group_facts if g is not f and not (len(f.stories) == 1 and f.stories == g.stories)]
            f.conflict = bool(f.conflicts)
        facts.extend(group_facts)
    facts.sort(key=lambda f: f.id)
    return facts
