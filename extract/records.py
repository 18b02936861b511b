"""Record types shared by every stage (the contracts of interfaces.md).

Plain dataclasses that carry character offsets, like spaCy's ``Span``: every
record says where in the text it was found, so downstream stages can quote the
original article. ``to_dict()`` gives the JSON form (field names of
interfaces.md); Decimals become JSON numbers.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

__all__ = [
    "Span",
    "DroppedLine",
    "Mention",
    "Entity",
    "Figure",
    "DateMention",
    "Claim",
    "ArticleRecord",
    "to_jsonable",
    "dumps",
]


def to_jsonable(obj: Any) -> Any:
    """Convert records, Decimals and containers into plain JSON-serializable values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj) if not f.name.startswith("_")}
    if isinstance(obj, Decimal):
        if obj == obj.to_integral_value():
            return int(obj)
        return float(obj)
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    return obj


def dumps(obj: Any, **kw: Any) -> str:
    """JSON text of a record (non-ASCII written as is)."""
    kw.setdefault("ensure_ascii", False)
    return json.dumps(to_jsonable(obj), **kw)


class _Record:
    __slots__ = ()  # the records are slotted dataclasses: no per-instance dict

    def to_dict(self) -> dict:
        """The record as a JSON-ready dict (interfaces.md field names)."""
        return to_jsonable(self)

    def to_json(self) -> str:
        return dumps(self)


@dataclass(slots=True)
class Span(_Record):
    """A piece of the raw article: ``raw[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class DroppedLine(_Record):
    """A raw line removed by the cleaner. ``line`` is 0-based in ``raw.split("\\n")``."""

    line: int
    text: str
    reason: str
    kind: str = "chrome"  # chrome, notice, disclaimer, social, ad, counter, duplicate_title, image_placeholder, byline, forum_reply
    span_start: Optional[int] = None  # set when only part of the line was dropped (offset inside the line)


@dataclass(slots=True)
class Mention(_Record):
    """An entity seen in an article (raw offsets)."""

    surface: str
    start: int
    end: int
    entity: str
    type: str


@dataclass(slots=True)
class Entity(_Record):
    """A canonical entity: one id across scripts and languages."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Figure(_Record):
    """A number with its unit, qualifier and binding.

    Offsets index the text the figure was found in (for ArticleRecords: the raw text).
    Exactly one of ``value``, ``range``, ``change`` is set.
    """

    surface: str
    start: int
    end: int
    value: Optional[Decimal] = None
    unit: Optional[str] = None
    kind: Optional[str] = None
    approx: str = "eq"
    range: Optional[list[Decimal]] = None
    change: Optional[dict[str, Decimal]] = None
    sign: Optional[str] = None
    subject: Optional[str] = None
    metric: Optional[str] = None
    date: Optional[str] = None
    checkable: bool = True  # False for forecasts, scenarios, hypotheticals, thresholds, model levels, tenors


@dataclass(slots=True)
class DateMention(_Record):
    """A date or period expression resolved to ISO (``YYYY-MM-DD``, ``YYYY-MM``, ``A/B`` …)."""

    surface: str
    start: int
    end: int
    iso: str
    granularity: str


@dataclass(slots=True)
class Claim(_Record):
    """A causal claim: cause → effect, signalled by a cue."""

    cause: Span
    effect: Optional[Span]
    cue: Span
    hedged: bool = False
    negated: bool = False
    attributed_to: Optional[str] = None
    sentence: Optional[Span] = None
    cause_entities: list[str] = field(default_factory=list)
    effect_entities: list[str] = field(default_factory=list)
    cause_figures: list[int] = field(default_factory=list)  # indexes into ArticleRecord.figures
    effect_figures: list[int] = field(default_factory=list)


@dataclass
class ArticleRecord(_Record):
    """Everything narrex extracted from one article."""

    doc_id: str
    source: Optional[str]
    title: Optional[str]
    published: Optional[str]
    script: str
    raw_text: str
    clean_text: str
    dropped: list[DroppedLine] = field(default_factory=list)
    entities: list[Mention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    byline: dict[str, str] = field(default_factory=dict)  # e.g. {"author": "Jeff Park", "compiler": "深潮 TechFlow"}
    entity_index: dict[str, Entity] = field(default_factory=dict)  # canonical entities mentioned, by id
