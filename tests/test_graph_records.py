"""Hand-built ArticleRecords for the graph tests (no dependence on extraction quality), and tests of the builders."""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Optional

import networkx as nx

from extract.records import ArticleRecord, Claim, Entity, Figure, Mention, Span


def _find(raw: str, surface: str, after: int = 0) -> int:
    i = raw.find(surface, after)
    assert i >= 0, f"{surface!r} not in text"
    return i


def make_record(raw: str, *, doc_id: Optional[str] = None, figures=(), mentions=(), claims=(), entities=(),
                title: Optional[str] = None, byline: Optional[dict] = None) -> ArticleRecord:
    """An ArticleRecord over ``raw`` (raw == clean text) with spans located by their surface.

    figures: dicts with ``surface`` plus Figure fields; mentions: (surface, entity_id, type);
    claims: dicts with ``cause``, ``cue``, ``effect`` surfaces plus Claim fields;
    entities: Entity objects for ``entity_index``.
    """
    figs = []
    for f in figures:
        f = dict(f)
        s = f.pop("surface")
        a = _find(raw, s, f.pop("after", 0))
        for k in ("value",):
            if f.get(k) is not None:
                f[k] = Decimal(str(f[k]))
        figs.append(Figure(surface=s, start=a, end=a + len(s), **f))
    ments = []
    for surface, eid, typ in mentions:
        a = _find(raw, surface)
        ments.append(Mention(surface=surface, start=a, end=a + len(surface), entity=eid, type=typ))
    cls = []
    for c in claims:
        c = dict(c)
        spans = {}
        for k in ("cause", "cue", "effect"):
            s = c.pop(k)
            if s is None:
                spans[k] = None
                continue
            a = _find(raw, s)
            spans[k] = Span(text=s, start=a, end=a + len(s))
        cls.append(Claim(cause=spans["cause"], effect=spans["effect"], cue=spans["cue"], **c))
    return ArticleRecord(
        doc_id=doc_id or hashlib.sha256(raw.encode()).hexdigest()[:16], source=None, title=title, published=None,
        script="simplified", raw_text=raw, clean_text=raw, figures=figs, entities=ments, claims=cls,
        entity_index={e.id: e for e in entities}, byline=byline or {},
    )


def graph_signature(g: nx.MultiDiGraph) -> tuple:
    """Nodes and edges with attributes, order-free: equal graphs give equal signatures."""
    def dump(d):
        return json.dumps(d, sort_keys=True, ensure_ascii=False, default=str)

    nodes = sorted((n, dump(d)) for n, d in g.nodes(data=True))
    edges = sorted((u, v, str(k), dump(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return nodes, edges


def test_make_record_spans_quote_the_raw_text():
    raw = "周三 IBIT 赎回了 3.7 亿美元。"
    rec = make_record(raw, figures=[{"surface": "3.7 亿美元", "value": 370000000, "unit": "USD", "sign": "-"}],
                      mentions=[("IBIT", "IBIT", "ETF")])
    f = rec.figures[0]
    assert raw[f.start:f.end] == "3.7 亿美元"
    assert raw[rec.entities[0].start:rec.entities[0].end] == "IBIT"
