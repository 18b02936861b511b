"""The extraction pipeline: raw text -> clean -> dates -> entities -> figures -> claims -> ArticleRecord.

Each stage works on the cleaned, Simplified text and returns records with offsets
into it; this module maps every offset back to the raw article so that
``raw[start:end] == surface`` holds for everything an ArticleRecord carries.
"""
from __future__ import annotations

import gc
import hashlib
import os
from typing import Iterable, Iterator, Optional

from .clean import CleanDoc, clean
from .records import ArticleRecord, Claim, DateMention, Entity, Figure, Mention

__all__ = ["extract_article", "extract_doc", "doc_id_for", "iter_extract"]


def doc_id_for(clean_text: str) -> str:
    """Stable document id: a content hash of the cleaned, Simplified text.

    The same article saved in another encoding or with other chrome around it
    cleans to the same text and so gets the same id.
    """
    norm = "\n".join(filter(None, map(str.strip, clean_text.split("\n"))))  # stripped non-blank lines
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def _to_raw(doc: CleanDoc, objs: Iterable, text_attr: str) -> list:
    """``objs`` (records or Spans; None skipped) moved to raw offsets in place, with ``text_attr`` set to the raw text.

    The stages build their records afresh on every call (nothing caches or shares them:
    tests/test_pipeline_records.py checks it), so they are updated in place rather than
    copied. The usual non-empty span inside the text costs one list lookup per end; any
    other span goes through ``doc.span_to_raw``. ``text_attr`` is "text" (Spans) or
    "surface" (Mentions, Figures, DateMentions): one loop each, since a plain attribute store
    costs a fraction of ``setattr`` with a name (~65k objects per 2 MB of articles).
    """
    offsets, raw, span_to_raw = doc.offsets, doc.raw, doc.span_to_raw
    n = len(offsets)
    out: list = []
    add = out.append
    if text_attr == "text":
        for o in objs:
            if o is None:
                continue
            start, end = o.start, o.end
            if 0 <= start < end <= n:
                a, b = offsets[start], offsets[end - 1] + 1
            else:
                a, b = span_to_raw(start, end)
            o.text = raw[a:b]
            o.start = a
            o.end = b
            add(o)
        return out
    if text_attr != "surface":
        raise ValueError(f"text_attr must be 'text' or 'surface', not {text_attr!r}")
    for o in objs:
        if o is None:
            continue
        start, end = o.start, o.end
        if 0 <= start < end <= n:
            a, b = offsets[start], offsets[end - 1] + 1
        else:
            a, b = span_to_raw(start, end)
        o.surface = raw[a:b]
        o.start = a
        o.end = b
        add(o)
    return out


def _entity_index(mentions: list[Mention]) -> dict[str, Entity]:
    """id -> Entity for the entities this article mentions.

    Gazetteer entities come with all their aliases. An entity found outside the gazetteer
    (discovered names, tenor bonds) is described from this article alone: its id, the type
    of its first mention and the surfaces seen here. (A gazetteer mention carries the entry's
    own id, so ids are looked up as ids, not resolved as aliases.) The process-wide registry behind
    ``lookup`` holds what earlier articles said about a name, which would make the record
    depend on what the process (or a ``--jobs`` worker) extracted before.
    """
    from . import entities as _entities
    from ._gazetteer import gazetteer

    entries = gazetteer().entries
    first: dict[str, Mention] = {}  # id -> its first mention
    surfaces: dict[str, dict[str, None]] = {}  # id -> its surfaces in this article, first seen first
    for m in mentions:
        own = surfaces.get(m.entity)
        if own is None:
            first[m.entity] = m
            surfaces[m.entity] = {m.entity: None, m.surface: None}
        else:
            own[m.surface] = None
    index: dict[str, Entity] = {}
    for eid, own in surfaces.items():
        if eid in entries:  # mentions carry the gazetteer's own ids
            cid, typ, aliases = _entities._gazetteer_entity(eid)
            index[eid] = Entity(cid, cid, typ, list(aliases))  # a fresh list: callers may extend it
        else:
            index[eid] = Entity(eid, eid, first[eid].type, list(own))
    return index


def extract_doc(doc: CleanDoc, source: Optional[str] = None, published: Optional[str] = None) -> ArticleRecord:
    """Run the extraction stages on an already cleaned document."""
    from . import claims as _claims
    from . import dates as _dates
    from . import entities as _entities
    from . import figures as _figures

    text = doc.text
    published = published or getattr(doc, "published", None)
    dates: list[DateMention] = _dates.find_dates(text, published)
    mentions: list[Mention] = _entities.find_mentions(text)
    figures: list[Figure] = _figures.find_figures(text)
    _figures.bind_figures(text, figures, mentions, dates, published)
    author = (doc.byline or {}).get("author")
    claims: list[Claim] = _claims.find_claims(text, mentions, figures, author=author)

    index = _entity_index(mentions)

    for c in claims:
        _to_raw(doc, (c.cause, c.effect, c.cue, c.sentence), "text")
    if not _loaded:
        _after_first_article()
    return ArticleRecord(
        doc_id=doc_id_for(text),
        source=source,
        title=doc.title,
        published=published,
        script=doc.script,
        raw_text=doc.raw,
        clean_text=text,
        dropped=list(doc.dropped),
        entities=_to_raw(doc, mentions, "surface"),
        figures=_to_raw(doc, figures, "surface"),
        dates=_to_raw(doc, dates, "surface"),
        claims=claims,
        byline=dict(doc.byline or {}),
        entity_index=index,
    )


def _clear_text_memos() -> None:
    """Empty the memo caches keyed on strings taken from articles (not on lexicon data).

    Names, numerals and short conversions recur across the articles of an archive, so a few pure
    functions keep bounded LRU memos of their results. The bench's ``e2e_cold`` stage clears them
    before every article: its throughput is what extraction gets when nothing recurs at all.
    """
    from . import _discovery, _gazetteer, _lexicon, _numerals, dates

    for f in (_discovery._name_before, _gazetteer.norm, _gazetteer.to_simplified, _gazetteer.to_traditional,
              _numerals.parse_cn, _numerals.norm, dates._scan, _lexicon.scan_candidates):
        f.cache_clear()


def extract_article(raw_text: str, source: Optional[str] = None, published: Optional[str] = None) -> ArticleRecord:
    """Clean and extract one article.

    Returns an ArticleRecord whose figures, mentions, dates and claims carry offsets
    into ``raw_text`` (``raw_text[start:end] == surface``). ``published`` (ISO date)
    anchors relative dates; when omitted, a date found in the page chrome is used.
    """
    return extract_doc(clean(raw_text), source=source, published=published)


_loaded = False


def _after_first_article() -> None:
    """Move what the first article loaded out of the garbage collector's way (once per process).

    The lexicons, the spaCy pipeline and the converters (~70,000 tracked objects) live as long as
    the process. A full collection walks every tracked object (~40 ms here), and an archive run
    triggers one every few hundred articles; ``gc.freeze()`` moves the objects alive now to the
    permanent generation, which collections skip. The cost: cyclic garbage that exists at this
    moment is never collected (objects freed by reference counting are unaffected).
    ``NARREX_GC_FREEZE=0`` turns it off.
    """
    global _loaded
    _loaded = True
    if os.environ.get("NARREX_GC_FREEZE", "1") != "0":
        gc.freeze()


def iter_extract(items: Iterable[tuple[str, Optional[str], Optional[str]]]) -> Iterator[ArticleRecord]:
    """Extract a stream of ``(raw_text, source, published)`` tuples, one record each."""
    for raw, source, published in items:
        yield extract_article(raw, source=source, published=published)
