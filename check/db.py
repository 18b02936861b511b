"""The check over a narrex database: article records from the graph, market data beside them."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Optional, Union

from extract.errors import InputError, NarrexError

from .market import MarketStore
from .report import ArticleResult
from .snapshot import ensure_snapshot
from .verdict import check_record

__all__ = ["open_market", "load_records", "check_db"]


def _existing_db(path: Union[str, Path]) -> str:
    p = str(path)
    if not os.path.exists(p):
        raise InputError("no such database (run `narrex ingest … --db FILE` first)", p)
    with open(p, "rb") as f:
        head = f.read(16)
    if head and head != b"SQLite format 3\x00":
        raise InputError("not a narrex database (not an SQLite file); left untouched", p)
    return p


def open_market(path: Union[str, Path, None], snapshot: bool = True, must_exist: bool = False) -> MarketStore:
    """The market store in database ``path`` (created if missing unless ``must_exist``), snapshot loaded."""
    if path is not None and must_exist:
        _existing_db(path)
    elif path is not None and os.path.exists(str(path)):
        _existing_db(path)
    try:
        conn = sqlite3.connect(":memory:" if path is None else str(path), timeout=30)
        store = MarketStore(conn)
    except sqlite3.DatabaseError as e:
        raise InputError(f"cannot open database ({e})", str(path)) from None
    if snapshot:
        ensure_snapshot(store)
    return store


def load_records(path: Union[str, Path], doc: Optional[str] = None) -> list[dict]:
    """ArticleRecord dicts of the articles ingested into ``path`` (all, or those whose doc_id starts with ``doc``).

    Uses ``graph.KnowledgeGraph`` when it offers ``article_record``; otherwise reads the graph's
    ``articles.record`` column directly.
    """
    p = _existing_db(path)
    recs: list[dict] = []
    try:
        from graph import KnowledgeGraph  # type: ignore[attr-defined]
    except ImportError:
        KnowledgeGraph = None
    if KnowledgeGraph is not None and hasattr(KnowledgeGraph, "article_record"):
        kg = KnowledgeGraph.open(p)
        try:
            for a in kg.articles():
                did = a["doc_id"] if isinstance(a, dict) else getattr(a, "doc_id")
                if doc and not did.startswith(doc):
                    continue
                rec = kg.article_record(did)
                recs.append(rec if isinstance(rec, dict) else rec.to_dict())
        finally:
            close = getattr(kg, "close", None)
            if close:
                close()
    else:
        conn = sqlite3.connect(p, timeout=30)
        try:
            rows = conn.execute("SELECT doc_id, record FROM articles ORDER BY seq").fetchall()
        except sqlite3.DatabaseError:
            raise InputError("no ingested articles in this database (run `narrex ingest` first)", p) from None
        finally:
            conn.close()
        for did, rec in rows:
            if doc and not did.startswith(doc):
                continue
            recs.append(json.loads(rec))
    if doc and not recs:
        raise NarrexError(f"{p}: no article with doc id {doc!r}")
    return recs


def check_db(path: Union[str, Path], doc: Optional[str] = None, store: Optional[MarketStore] = None) -> list[ArticleResult]:
    """Check every ingested article (or one, by doc id prefix); returns one ArticleResult per article."""
    records = load_records(path, doc)
    own = store is None
    store = store or open_market(path, must_exist=True)
    try:
        out = []
        for r in records:
            out.append(ArticleResult(doc_id=r.get("doc_id", ""), title=r.get("title"), source=r.get("source"),
                                     published=r.get("published"), verdicts=check_record(r, store),
                                     n_figures=len(r.get("figures") or [])))
        return out
    finally:
        if own:
            store.close()
