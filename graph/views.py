"""Query results: small records that print as tables (terminal and notebook) and serialize to JSON."""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any, Generic, Optional, TypeVar

__all__ = ["ResultList", "ArticleInfo", "Story", "ClaimView", "CausalChain", "rows_table"]

T = TypeVar("T")


def _cell(v: Any, width: int = 80) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        v = ", ".join(str(x) for x in v)
    s = str(v).replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def _disp_width(s: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if "\u1100" <= ch and (ch <= "\u115f" or "\u2e80" <= ch <= "\ua4cf" or "\uac00" <= ch <= "\ud7a3"
                                         or "\uf900" <= ch <= "\ufaff" or "\ufe30" <= ch <= "\ufe4f"
                                         or "\uff00" <= ch <= "\uff60" or "\uffe0" <= ch <= "\uffe6") else 1
               for ch in s)


def rows_table(header: list[str], rows: list[list[Any]]) -> str:
    """A plain-text table with aligned columns (CJK counted as two columns)."""
    cells = [[_cell(c) for c in r] for r in rows]
    widths = [max([_disp_width(h)] + [_disp_width(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(vals: list[str]) -> str:
        return "  ".join(v + " " * (w - _disp_width(v)) for v, w in zip(vals, widths)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    return "\n".join(out)


class ResultList(list, Generic[T]):
    """A list of results that prints as a table and serializes to JSON (``to_json``, ``to_dicts``)."""

    def __getitem__(self, i):  # slices stay ResultLists (they print as tables too)
        r = super().__getitem__(i)
        return ResultList(r) if isinstance(i, slice) else r

    def to_dicts(self) -> list[dict]:
        return [x.to_dict() for x in self]

    def to_json(self, **kw: Any) -> str:
        kw.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dicts(), **kw)

    def _header_rows(self) -> tuple[list[str], list[list[Any]]]:
        if not self:
            return ["(no results)"], []
        header = type(self[0]).columns()
        return header, [x.row() for x in self]

    def table(self) -> str:
        """The results as a text table."""
        h, r = self._header_rows()
        return rows_table(h, r)

    def __repr__(self) -> str:
        return self.table()

    __str__ = __repr__

    def _repr_html_(self) -> str:
        h, r = self._header_rows()
        head = "".join(f"<th>{html.escape(x)}</th>" for x in h)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(c, 200))}</td>" for c in row) + "</tr>" for row in r)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@dataclass
class ArticleInfo:
    """An ingested article."""

    doc_id: str
    source: Optional[str]
    title: Optional[str]
    published: Optional[str]
    script: Optional[str]
    story: str
    ingested_at: Optional[str] = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @staticmethod
    def columns() -> list[str]:
        return ["doc_id", "story", "published", "script", "title", "source"]

    def row(self) -> list[Any]:
        return [self.doc_id, self.story, self.published, self.script, self.title, self.source]


@dataclass
class Story:
    """Articles that tell the same story (reposts, translations)."""

    id: str
    docs: list[str]
    titles: list[Optional[str]] = field(default_factory=list)
    sources: list[Optional[str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @staticmethod
    def columns() -> list[str]:
        return ["story", "n", "docs", "titles"]

    def row(self) -> list[Any]:
        return [self.id, len(self.docs), self.docs, [t for t in self.titles if t]]


@dataclass
class ClaimView:
    """A causal claim with what its cause and effect are about and where it was written."""

    id: str
    doc_id: str
    story: str
    cause: Optional[dict]
    effect: Optional[dict]
    cue: Optional[dict]
    hedged: bool
    negated: bool
    attributed_to: Optional[str]
    sentence: Optional[dict]
    cause_entities: list[str] = field(default_factory=list)
    effect_entities: list[str] = field(default_factory=list)
    cause_facts: list[str] = field(default_factory=list)
    effect_facts: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    def text(self, part: str) -> str:
        span = getattr(self, part)
        return (span or {}).get("text") or ""

    def __repr__(self) -> str:
        return f"<Claim {self.id}: {self}>"

    def __str__(self) -> str:
        flags = "".join([" (hedged)" if self.hedged else "", " (negated)" if self.negated else ""])
        return f"{self.text('cause')} —[{self.text('cue')}]→ {self.text('effect') or '?'}{flags}"

    @staticmethod
    def columns() -> list[str]:
        return ["doc_id", "cause", "cue", "effect", "hedged", "negated", "attributed_to"]

    def row(self) -> list[Any]:
        return [self.doc_id, self.text("cause"), self.text("cue"), self.text("effect"), self.hedged, self.negated,
                self.attributed_to]


@dataclass
class CausalChain:
    """A chain of claims, read cause first: the effect of each step feeds the cause of the next."""

    steps: list[ClaimView]

    def to_dict(self) -> dict:
        return {"steps": [s.to_dict() for s in self.steps], "docs": sorted({s.doc_id for s in self.steps})}

    def __str__(self) -> str:
        if not self.steps:
            return ""
        parts = [self.steps[0].text("cause")]
        for s in self.steps:
            parts.append(f"—[{s.text('cue')}]→ {s.text('effect') or '?'}")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"<CausalChain {len(self.steps)} hop(s): {self}>"

    @staticmethod
    def columns() -> list[str]:
        return ["hops", "chain", "docs"]

    def row(self) -> list[Any]:
        return [len(self.steps), str(self), sorted({s.doc_id for s in self.steps})]
