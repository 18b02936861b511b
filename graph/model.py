"""From ArticleRecords to graph nodes and edges.

``prepare(record)`` turns one ArticleRecord (its JSON dict) into what the store
writes and the graph shows: mentions, entities, figure statements (signed
values, sentence spans), claims with what their cause and effect are about.
``GraphModel`` holds the ``networkx.MultiDiGraph`` and keeps it in step as
articles arrive.

Node ids and types (node attribute ``type``):

* ``article:{doc_id}`` Article · ``story:{id}`` Story · ``entity:{id}`` Entity
* ``fact:{subject}|{metric}|{date}|{unit}|{anchor}`` Figure (a FigureFact; ``figure:{doc}:{idx}`` for an unbound figure)
* ``claim:{doc_id}:{idx}`` Claim

Edge keys (edge attribute ``type``): MENTIONS (article→entity), STATES (article→figure),
ABOUT (figure→entity), ASSERTS (article→claim), CAUSE / EFFECT (claim→entity|figure),
ATTRIBUTED_TO (claim→entity), BELONGS_TO (article→story), CONFLICTS_WITH (figure→figure).
Every node and edge carries ``doc_id`` (or ``docs``) and a raw span (``start``, ``end``)
so any fact can be quoted back from the original text.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Optional

import networkx as nx

from .facts import FigureFact, Statement, build_facts, group_key, signed_range, signed_value, _change

__all__ = ["Prepared", "prepare", "GraphModel", "normalize_name", "sentence_span", "entity_node", "article_node"]

_SENT_END = "。！？!?\n；;"
_SENT_END_RE = re.compile("[" + re.escape(_SENT_END) + "]")
_SPACES = re.compile(r"\s+")


def _to_simplified(s: str) -> str:
    from extract._gazetteer import to_simplified  # the one cached OpenCC converter

    return to_simplified(s)


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """A lookup key for a name: Simplified script, case-folded, no spaces or middle dots."""
    s = _SPACES.sub("", name or "").replace("·", "").replace("・", "")
    return _to_simplified(s).casefold()


def sentence_span(raw: str, start: int, end: int, limit: int = 400) -> dict:
    """The sentence of ``raw`` around [start, end): {"text", "start", "end"} (raw offsets)."""
    a = start
    while a > 0 and start - a < limit and raw[a - 1] not in _SENT_END:
        a -= 1
    b = end
    while b < len(raw) and b - end < limit and raw[b] not in _SENT_END:
        b += 1
    if b < len(raw) and raw[b] != "\n":
        b += 1  # keep the sentence's own end mark
    while a < b and raw[a].isspace():
        a += 1
    return {"text": raw[a:b], "start": a, "end": b}


class _Sentences:
    """``sentence_span`` for many spans of one text: sentence ends found once, each span by bisection."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.ends = [m.start() for m in _SENT_END_RE.finditer(raw)]

    def span(self, start: int, end: int, limit: int = 400) -> dict:
        """Same result as ``sentence_span(raw, start, end, limit)`` for offsets inside the text."""
        raw, ends, n = self.raw, self.ends, len(self.raw)
        if start > n or end > n:
            return sentence_span(raw, start, end, limit)
        i = bisect_left(ends, start)  # ends[i - 1] is the last sentence end before ``start``
        a = max(ends[i - 1] + 1 if i else 0, start - limit, 0)
        j = bisect_left(ends, end)  # ends[j] is the first sentence end at or after ``end``
        b = min(ends[j] if j < len(ends) else n, end + limit)
        if b < n and raw[b] != "\n":
            b += 1  # keep the sentence's own end mark
        text = raw[a:b]
        stripped = text.lstrip()
        if len(stripped) != len(text):
            a += len(text) - len(stripped)
            text = stripped
        return {"text": text, "start": a, "end": b}


def entity_node(eid: str) -> str:
    return f"entity:{eid}"


def article_node(doc_id: str) -> str:
    return f"article:{doc_id}"


def story_node(sid: str) -> str:
    return f"story:{sid}"


def claim_node(doc_id: str, idx: int) -> str:
    return f"claim:{doc_id}:{idx}"


@dataclass
class Prepared:
    """One article, ready for the store and the graph."""

    record: dict
    doc_id: str
    mentions: list[dict]
    entities: dict[str, dict]                 # id -> {id, name, type, aliases}
    statements: list[Statement]               # story is filled in when the story is known
    claims: list[dict]                        # claim dict + links {"cause": {"entities", "figures"}, "effect": …}
    figures: list[dict] = field(default_factory=list)


def _off(x: Any) -> int:
    """An offset from a record field (missing or malformed -> 0)."""
    if type(x) is int:
        return x if x > 0 else 0
    try:
        return max(0, int(x))
    except (TypeError, ValueError, OverflowError):
        return 0


def _within(items: list, starts: list[int], span: Optional[dict]) -> list:
    """The items (sorted by start, ``starts`` their starts) lying inside ``span``."""
    if not isinstance(span, dict):
        return []
    a, b = _off(span.get("start")), _off(span.get("end"))
    out = []
    for i in range(bisect_left(starts, a), bisect_right(starts, b)):
        it = items[i]
        end = it["end"] if isinstance(it, dict) else _off(it[1].get("end"))
        if end <= b:
            out.append(it)
    return out


@lru_cache(maxsize=16384)
def _resolve_attribution(name: Optional[str]) -> Optional[tuple[str, str, Optional[str]]]:
    """(entity id, name, type) for an attribution; names outside the gazetteer get a normalized id."""
    if not name:
        return None
    try:
        from extract.entities import lookup

        ent = lookup(name)
    except Exception:  # the gazetteer is another stage; a failure there must not stop ingest
        ent = None
    if ent is not None:
        return ent.id, ent.name, ent.type
    return _to_simplified(name.strip()), name.strip(), None


def prepare(record: dict, sentences: bool = True) -> Prepared:
    """Derive mentions, entities, statements and claim links from an ArticleRecord dict.

    ``sentences=False`` leaves the statements' sentence spans out (the store does not keep them).
    """
    raw = record.get("raw_text") or ""
    doc_id = record["doc_id"]
    entities: dict[str, dict] = {}
    for eid, e in (record.get("entity_index") or {}).items():
        entities[eid] = {"id": eid, "name": e.get("name") or eid, "type": e.get("type"),
                         "aliases": list(e.get("aliases") or [])}
    mentions = []
    for i, m in enumerate(record.get("entities") or []):
        eid = m.get("entity")
        if not eid:
            continue
        ent = entities.setdefault(eid, {"id": eid, "name": eid, "type": m.get("type"), "aliases": []})
        if m.get("surface") and m["surface"] not in ent["aliases"]:
            ent["aliases"].append(m["surface"])
        mentions.append({"idx": i, "entity": eid, "surface": m.get("surface", ""), "start": _off(m.get("start")),
                         "end": _off(m.get("end")), "type": m.get("type")})

    figures = list(record.get("figures") or [])
    statements = []
    sentences = _Sentences(raw) if sentences and raw and figures else None
    for i, f in enumerate(figures):
        sign = f.get("sign")
        statements.append(Statement(
            doc_id=doc_id, idx=i, story=doc_id, surface=f.get("surface") or "", start=_off(f.get("start")),
            end=_off(f.get("end")), value=signed_value(f.get("value"), sign), range=signed_range(f.get("range"), sign),
            change=_change(f.get("change")), unit=f.get("unit"), kind=f.get("kind"), approx=f.get("approx") or "eq",
            subject=f.get("subject"), metric=f.get("metric"), date=f.get("date"),
            checkable=bool(f.get("checkable", True)),
            sentence=sentences.span(_off(f.get("start")), _off(f.get("end"))) if sentences else None,
        ))

    claims = []
    author = (record.get("byline") or {}).get("author")
    m_sorted = sorted(mentions, key=lambda m: m["start"])
    m_starts = [m["start"] for m in m_sorted]
    f_sorted = sorted(((j, f) for j, f in enumerate(figures)), key=lambda jf: _off(jf[1].get("start")))
    f_starts = [_off(f.get("start")) for _, f in f_sorted]
    for i, c in enumerate(record.get("claims") or []):
        links: dict[str, dict[str, list]] = {}
        for role in ("cause", "effect"):
            span = c.get(role)
            ents = list(dict.fromkeys(c.get(f"{role}_entities") or []))
            figs = list(dict.fromkeys(c.get(f"{role}_figures") or []))
            # what the claim's own stage did not link, the spans tell: mentions and figures inside them
            for m in _within(m_sorted, m_starts, span):
                if m["entity"] not in ents:
                    ents.append(m["entity"])
            for j, _f in _within(f_sorted, f_starts, span):
                if j not in figs:
                    figs.append(j)
            figs = [j for j in figs if isinstance(j, int) and 0 <= j < len(figures)]
            for eid in ents:
                entities.setdefault(eid, {"id": eid, "name": eid, "type": None, "aliases": []})
            links[role] = {"entities": ents, "figures": figs}
        attributed = c.get("attributed_to") or author
        attr = _resolve_attribution(attributed)
        if attr is not None:
            entities.setdefault(attr[0], {"id": attr[0], "name": attr[1], "type": attr[2], "aliases": [attr[1]]})
        claims.append({"idx": i, "claim": c, "links": links, "attributed_entity": attr[0] if attr else None})
    return Prepared(record=record, doc_id=doc_id, mentions=mentions, entities=entities, statements=statements,
                    claims=claims, figures=figures)


def _span_attrs(span: Optional[dict], prefix: str = "") -> dict:
    if not span:
        return {}
    return {f"{prefix}text": span.get("text"), f"{prefix}start": span.get("start"), f"{prefix}end": span.get("end")}


class GraphModel:
    """The networkx view of the store, with the indexes the queries use."""

    def __init__(self) -> None:
        self.g = nx.MultiDiGraph()
        self.articles: dict[str, dict] = {}          # doc_id -> {doc_id, source, title, published, script, story, seq}
        self.prepared: dict[str, Prepared] = {}
        self.by_key: dict[Any, list[Statement]] = {}
        self.facts: dict[str, FigureFact] = {}
        self.facts_of_key: dict[Any, list[str]] = {}
        self.fact_of: dict[tuple[str, int], str] = {}
        self.claim_fig_refs: dict[tuple[str, int], list[tuple[str, str]]] = {}
        self.aliases: dict[str, set[str]] = {}        # normalized alias -> entity ids
        self._claim_views: Optional[list] = None      # cache of KnowledgeGraph._claim_views
        self._claim_index: Any = None                 # cache of KnowledgeGraph._claim_index

    # -- entities ------------------------------------------------------------------------

    def _ensure_entity(self, eid: str, info: Optional[dict] = None) -> str:
        node = entity_node(eid)
        info = info or {}
        if node not in self.g:
            self.g.add_node(node, type="Entity", id=eid, name=info.get("name") or eid,
                            entity_type=info.get("type"), aliases=list(info.get("aliases") or []))
        else:
            attrs = self.g.nodes[node]
            for a in info.get("aliases") or []:
                if a not in attrs["aliases"]:
                    attrs["aliases"].append(a)
            if not attrs.get("entity_type") and info.get("type"):
                attrs["entity_type"] = info["type"]
            if attrs.get("name") == eid and info.get("name"):
                attrs["name"] = info["name"]
        for a in [eid, info.get("name") or ""] + list(info.get("aliases") or []):
            if a:
                self.aliases.setdefault(normalize_name(a), set()).add(eid)
        return node

    # -- articles ------------------------------------------------------------------------

    def add_article(self, prep: Prepared, story: str, meta: dict) -> None:
        """Add one article's nodes and edges and refresh the figure facts it touches."""
        doc = prep.doc_id
        rec = prep.record
        an = article_node(doc)
        self._claim_views = None
        self._claim_index = None
        info = {"doc_id": doc, "source": rec.get("source"), "title": rec.get("title"),
                "published": rec.get("published"), "script": rec.get("script"), "story": story, **meta}
        self.articles[doc] = info
        self.prepared[doc] = prep
        self.g.add_node(an, type="Article", **{k: v for k, v in info.items()},
                        start=0, end=len(rec.get("raw_text") or ""), byline=dict(rec.get("byline") or {}))
        sn = story_node(story)
        if sn not in self.g:
            self.g.add_node(sn, type="Story", id=story, docs=[])
        self.g.nodes[sn]["docs"] = sorted(set(self.g.nodes[sn]["docs"]) | {doc})
        self.g.add_edge(an, sn, key="BELONGS_TO", type="BELONGS_TO", doc_id=doc)

        for eid, e in prep.entities.items():
            self._ensure_entity(eid, e)
        for m in prep.mentions:
            self.g.add_edge(an, entity_node(m["entity"]), key=f"MENTIONS:{m['idx']}", type="MENTIONS", doc_id=doc,
                            start=m["start"], end=m["end"], surface=m["surface"])

        for cl in prep.claims:
            c = cl["claim"]
            cn = claim_node(doc, cl["idx"])
            self.g.add_node(cn, type="Claim", doc_id=doc, idx=cl["idx"], story=story,
                            cue=(c.get("cue") or {}).get("text"), hedged=bool(c.get("hedged")),
                            negated=bool(c.get("negated")), attributed_to=c.get("attributed_to"),
                            **_span_attrs(c.get("cause"), "cause_"), **_span_attrs(c.get("effect"), "effect_"),
                            **_span_attrs(c.get("sentence"), "sentence_"),
                            start=(c.get("sentence") or c.get("cause") or {}).get("start"),
                            end=(c.get("sentence") or c.get("effect") or c.get("cause") or {}).get("end"))
            sent = c.get("sentence") or c.get("cause") or {}
            self.g.add_edge(an, cn, key="ASSERTS", type="ASSERTS", doc_id=doc, start=sent.get("start"),
                            end=sent.get("end"))
            for role in ("cause", "effect"):
                span = c.get(role) or {}
                for eid in cl["links"][role]["entities"]:
                    self.g.add_edge(cn, entity_node(eid), key=role.upper(), type=role.upper(), doc_id=doc,
                                    start=span.get("start"), end=span.get("end"), text=span.get("text"))
                for j in cl["links"][role]["figures"]:
                    self.claim_fig_refs.setdefault((doc, j), []).append((cn, role.upper()))
            if cl["attributed_entity"]:
                self.g.add_edge(cn, entity_node(cl["attributed_entity"]), key="ATTRIBUTED_TO", type="ATTRIBUTED_TO",
                                doc_id=doc, start=sent.get("start"), end=sent.get("end"))

        touched = set()
        for s in prep.statements:
            s.story = story
            k = group_key(s)
            k = k if k is not None else ("__single__", s.doc_id, s.idx)
            self.by_key.setdefault(k, []).append(s)
            touched.add(k)
        for k in touched:
            self._refresh_group(k)

    def _refresh_group(self, key: Any) -> None:
        for fid in self.facts_of_key.pop(key, []):
            fact = self.facts.pop(fid, None)
            if fact:
                for s in fact.statements:
                    self.fact_of.pop((s.doc_id, s.idx), None)
            if fid in self.g:
                self.g.remove_node(fid)
        facts = build_facts(self.by_key.get(key, []))
        self.facts_of_key[key] = [f.id for f in facts]
        for f in facts:
            self._add_fact(f)
        for f in facts:
            for c in f.conflicts:
                self.g.add_edge(f.id, c["fact"], key="CONFLICTS_WITH", type="CONFLICTS_WITH",
                                docs=f.docs, doc_id=f.docs[0], start=f.statements[0].start, end=f.statements[0].end)

    def _add_fact(self, f: FigureFact) -> None:
        self.facts[f.id] = f
        rep = f.statements[0]
        self.g.add_node(f.id, type="Figure", subject=f.subject, metric=f.metric, date=f.date, value=f.value,
                        unit=f.unit, range=f.range, change=f.change, approx=f.approx, kind=f.kind,
                        checkable=f.checkable, docs=f.docs, stories=f.stories, corroborated=f.corroborated,
                        conflict=f.conflict, doc_id=rep.doc_id, start=rep.start, end=rep.end, surface=rep.surface)
        for s in f.statements:
            self.fact_of[(s.doc_id, s.idx)] = f.id
            self.g.add_edge(article_node(s.doc_id), f.id, key=f"STATES:{s.idx}", type="STATES", doc_id=s.doc_id,
                            idx=s.idx, start=s.start, end=s.end, surface=s.surface,
                            sentence=(s.sentence or {}).get("text"))
            for cn, role in self.claim_fig_refs.get((s.doc_id, s.idx), []):
                if cn in self.g:
                    self.g.add_edge(cn, f.id, key=f"{role}:{s.doc_id}:{s.idx}", type=role, doc_id=s.doc_id,
                                    start=s.start, end=s.end, text=s.surface)
        if f.subject:
            known = entity_node(f.subject) in self.g
            self._ensure_entity(f.subject, None if known else _lookup_info(f.subject))
            self.g.add_edge(f.id, entity_node(f.subject), key="ABOUT", type="ABOUT", doc_id=rep.doc_id,
                            start=rep.start, end=rep.end, docs=f.docs)

    def entity_ids(self, name: str) -> list[str]:
        """Ids of the entities seen in the graph under ``name`` (any script, case-insensitive)."""
        return sorted(self.aliases.get(normalize_name(name), ()))


@lru_cache(maxsize=16384)
def _lookup_info_cached(eid: str) -> tuple:
    d = _lookup_info_uncached(eid)
    return (d.get("name"), d.get("type"), tuple(d.get("aliases") or ()))


def _lookup_info(eid: str) -> dict:
    name, typ, aliases = _lookup_info_cached(eid)
    return {"name": name, "type": typ, "aliases": list(aliases)}


def _lookup_info_uncached(eid: str) -> dict:
    try:
        from extract.entities import lookup

        e = lookup(eid)
    except Exception:
        e = None
    if e is None:
        return {"name": eid}
    return {"name": e.name, "type": e.type, "aliases": list(e.aliases or [])}
