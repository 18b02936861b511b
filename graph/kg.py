"""``KnowledgeGraph``: the Python API of the graph stage (interfaces.md).

The SQLite store is the system of record; the ``networkx.MultiDiGraph`` (``kg.nx``)
is built from it on first use and kept in step on ingest. When another process
commits to the same database the graph is rebuilt on next use
(``PRAGMA data_version`` tells).
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
from datetime import datetime, timezone
from typing import Any, Optional, Union

import networkx as nx
import numpy as np

from extract.errors import InputError
from extract.records import ArticleRecord, Entity, to_jsonable

from .causal import ClaimIndex, Query
from .facts import FigureFact
from .model import GraphModel, _off, claim_node, normalize_name, prepare
from .store import Store, dumps_json
from .stories import BAND_ROWS, NUM_PERM, NUM_SHARED_MIN, Fingerprint, band_keys, fingerprint, match_rows
from .views import ArticleInfo, CausalChain, ClaimView, ResultList, Story

__all__ = ["KnowledgeGraph", "PreparedArticle", "prepare_article"]

_PATHLIKE_EXT = re.compile(r"\.(txt|html?|md|text|json|jsonl)$", re.I)


#: candidate articles for story matching, by story: those sharing an LSH band (near duplicates;
#: the _POSTINGS newest per band, so a crowd of copies cannot make the lookup grow with the
#: database), or at least NUM_SHARED_MIN distinctive numbers (all of them: the translation rule)
_POSTINGS = 8
_CANDIDATES = ("SELECT a.story_id, a.seq FROM articles a WHERE a.seq IN ("
               + " UNION ".join(f"SELECT * FROM (SELECT seq FROM story_bands WHERE key=?{i + 1} "
                                f"ORDER BY seq DESC LIMIT {_POSTINGS})" for i in range(NUM_PERM // BAND_ROWS))
               + f" UNION SELECT seq FROM story_numbers WHERE num IN (SELECT value FROM json_each(?{NUM_PERM // BAND_ROWS + 1}))"
               f" GROUP BY seq HAVING count(*) >= {NUM_SHARED_MIN}) ORDER BY a.story_id, a.seq DESC")


class KnowledgeGraph:
    """Articles, entities, figure facts, causal claims and stories, stored in SQLite.

    ``KnowledgeGraph()`` is an in-memory graph; ``KnowledgeGraph.open(path)`` opens
    (or creates) a database file.
    """

    def __init__(self, path: Optional[Union[str, os.PathLike]] = None, *, create: bool = True) -> None:
        self._store = Store(path, create=create)
        self._model: Optional[GraphModel] = None
        self._model_dv: Optional[int] = None
        self._alias_lists: dict[str, tuple[str, list, set]] = {}  # entity id -> (stored aliases JSON, parse, set)

    @classmethod
    def open(cls, path: Union[str, os.PathLike] = "narrex.db", *, create: bool = True) -> "KnowledgeGraph":
        """Open the graph database at ``path`` (created if missing unless ``create=False``)."""
        return cls(path, create=create)

    # -- plumbing ------------------------------------------------------------------------

    @property
    def path(self) -> str:
        """The database file (``":memory:"`` for an in-memory graph)."""
        return self._store.path

    @property
    def conn(self):
        """The sqlite3 connection (other stages keep their own tables in the same file)."""
        return self._store.conn

    def close(self) -> None:
        """Close the database connection."""
        self._store.close()

    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        n = self._store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        return f"<KnowledgeGraph {self.path}: {n} articles>"

    def _current_model(self) -> GraphModel:
        dv = self._store.data_version()
        if self._model is None or dv != self._model_dv:
            self._model = self._build_model()
            self._model_dv = dv
        return self._model

    def _build_model(self) -> GraphModel:
        m = GraphModel()
        for r in self._store.rows("SELECT doc_id, seq, story_id, ingested_at, record FROM articles ORDER BY seq"):
            prep = prepare(json.loads(r["record"]))
            m.add_article(prep, r["story_id"], {"seq": r["seq"], "ingested_at": r["ingested_at"]})
        return m

    @property
    def nx(self) -> nx.MultiDiGraph:
        """The graph as a ``networkx.MultiDiGraph`` (node attribute ``type``: Article, Entity, Figure, Claim, Story)."""
        return self._current_model().g

    # -- ingest --------------------------------------------------------------------------

    def ingest(self, path_or_text: Union[str, os.PathLike], source: Optional[str] = None,
               published: Optional[str] = None) -> str:
        """Clean, extract and add one article (a file path or the raw text). Returns its doc_id.

        Idempotent: the same content (same cleaned text, whatever the encoding or chrome) is
        stored once; ingesting it again is a no-op returning the same doc_id.
        Raises ``InputError`` for an unreadable file.
        """
        return self.ingest_one(path_or_text, source=source, published=published)[0]

    def ingest_one(self, path_or_text: Union[str, os.PathLike], source: Optional[str] = None,
                   published: Optional[str] = None) -> tuple[str, bool]:
        """Like ``ingest``; returns ``(doc_id, added)`` where ``added`` is False when already present."""
        from extract.textio import read_text

        raw, src = self._read(path_or_text, read_text)
        return self.ingest_text(raw, source=source if source is not None else src, published=published)

    def ingest_text(self, raw: str, source: Optional[str] = None, published: Optional[str] = None
                    ) -> tuple[str, bool]:
        """Add one article given as raw text (never taken for a path). Returns ``(doc_id, added)``."""
        from extract.clean import clean
        from extract.pipeline import doc_id_for, extract_doc

        if not isinstance(raw, str) or not raw.strip():
            raise InputError("empty text", source)
        doc = clean(raw)
        doc_id = doc_id_for(doc.text)
        if self._store.has_article(doc_id):
            return doc_id, False
        rec = extract_doc(doc, source=source, published=published)
        return self.ingest_record(rec)

    @staticmethod
    def _read(x: Union[str, os.PathLike], read_text) -> tuple[str, Optional[str]]:
        if isinstance(x, os.PathLike):
            return read_text(x), str(x)
        if not isinstance(x, str):
            raise InputError(f"expected a path or text, got {type(x).__name__}")
        # a short single line is a path when such a file exists or when it ends like a file name;
        # anything else is article text (a one-line article may well contain "/" as in "2/5")
        if "\n" not in x and len(x) < 1024 and (os.path.exists(x) or _PATHLIKE_EXT.search(x.strip())):
            return read_text(x), x
        if not x.strip():
            raise InputError("empty text")
        return x, None

    def ingest_record(self, record: Union[ArticleRecord, dict]) -> tuple[str, bool]:
        """Add an already extracted ArticleRecord (one transaction). Returns ``(doc_id, added)``."""
        return self.ingest_prepared(prepare_article(record))

    def ingest_prepared(self, art: "PreparedArticle") -> tuple[str, bool]:
        """Add an article made ready by ``prepare_article`` (one transaction). Returns ``(doc_id, added)``.

        ``prepare_article`` needs no database: ``narrex ingest --jobs N`` runs it in the workers,
        so the single writer only runs SQL.
        """
        doc_id = art.doc_id
        if self._store.has_article(doc_id):  # cheap early exit; re-checked under the write lock below
            return doc_id, False
        merged = False
        with self._store.transaction() as c:
            if self._store.has_article(doc_id):
                return doc_id, False
            story, merged = self._assign_story(c, art.fp, art.bands, art.numbers_json)
            story = story or doc_id  # a new story is named after its first article
            seq = c.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
            now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            self._write(c, art, story, seq, now)
        # our own commit does not change data_version: keep a loaded graph in step by hand (ingest
        # never loads it: the graph is built on the first query that needs it)
        if self._model is not None:
            if merged or self._store.data_version() != self._model_dv:
                self._model = None  # rebuild on next use (story merge, or another process wrote)
            else:
                rec = art.record if art.record is not None else json.loads(art.rec_json)
                self._model.add_article(prepare(rec), story, {"seq": seq, "ingested_at": now})
        return doc_id, True

    _BATCH = 64  # candidates of one story verified per query

    def _matching_stories(self, c, fp: Fingerprint, bands: list[int], numbers_json: str) -> set[str]:
        """Story ids of the stored articles that tell the same story as ``fp``.

        Only candidate rows are read, a bounded batch at a time: memory does not depend on how
        many articles the database holds. Each candidate is judged by ``same_story``'s rule; a
        story is settled by its first matching member (its other candidates are not read).
        """
        stories: set[str] = set()
        cur = c.execute(_CANDIDATES, (*bands, numbers_json if len(fp.numbers) >= NUM_SHARED_MIN else "[]"))
        group: list[int] = []
        story = None
        while True:
            rows = cur.fetchmany(1024)
            for sid, seq in rows:
                if sid in stories:
                    continue
                if sid != story:
                    if group and self._any_match(c, fp, group):
                        stories.add(story)
                    group, story = [], sid
                group.append(seq)
                if len(group) >= self._BATCH:
                    if self._any_match(c, fp, group):
                        stories.add(sid)
                    group = []
            if not rows:
                if group and self._any_match(c, fp, group):
                    stories.add(story)
                return stories

    def _any_match(self, c, fp: Fingerprint, seqs: list[int]) -> bool:
        """True when one of the articles ``seqs`` tells the same story as ``fp``."""
        # every stored signature has NUM_PERM values (the version 2 migration rewrote older ones)
        rows = c.execute("SELECT minhash, numbers FROM articles WHERE seq IN (SELECT value FROM json_each(?))",
                         (json.dumps(seqs),)).fetchall()
        sigs = np.frombuffer(b"".join(r[0] for r in rows), dtype="<u4").reshape(len(rows), NUM_PERM)
        return bool(match_rows(fp, sigs, [(lambda t=r[1]: frozenset(json.loads(t))) for r in rows]))

    def _assign_story(self, c, fp: Fingerprint, bands: list[int], numbers_json: str) -> tuple[str, bool]:
        """The story a new article joins (the oldest matching one); other matching stories merge into it."""
        matches = self._matching_stories(c, fp, bands, numbers_json)
        if not matches:
            return "", False
        rows = self._store.rows("SELECT story_id, MIN(seq) AS first FROM articles WHERE story_id IN "
                                "(SELECT value FROM json_each(?)) GROUP BY story_id ORDER BY first",
                                (dumps_json(sorted(matches)),))
        if not rows:
            return "", False
        story = rows[0]["story_id"]
        others = [r["story_id"] for r in rows[1:]]
        if others:
            c.execute("UPDATE articles SET story_id=? WHERE story_id IN (SELECT value FROM json_each(?))",
                      (story, dumps_json(others)))
        return story, bool(others)

    def _write(self, c, art: "PreparedArticle", story: str, seq: int, now: str) -> None:
        """Insert one article's rows: a handful of ``executemany`` calls, whatever the article's size."""
        c.execute("INSERT INTO articles(doc_id, seq, source, title, published, script, story_id, n_shingles, minhash,"
                  " numbers, record, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                  (art.doc_id, seq, *art.meta, story, art.fp.n_shingles, art.fp.signature_bytes(), art.numbers_json,
                   art.rec_json, now))
        self._write_entities(c, art.entities, art.alias_rows)
        c.executemany("INSERT INTO mentions(doc_id, idx, entity_id, surface, start, end, type) VALUES (?,?,?,?,?,?,?)",
                      art.mention_rows)
        c.executemany("INSERT INTO figures(doc_id, idx, surface, start, end, value, signed_value, unit, kind, approx,"
                      " range, change, sign, subject, metric, date, checkable) VALUES "
                      "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", art.figure_rows)
        c.executemany("INSERT INTO claims(doc_id, idx, cause, cause_start, cause_end, effect, effect_start, effect_end,"
                      " cue, cue_start, cue_end, sentence_start, sentence_end, hedged, negated, attributed_to)"
                      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", art.claim_rows)
        c.executemany("INSERT INTO claim_links(doc_id, claim_idx, role, entity_id, figure_idx) VALUES (?,?,?,?,?)",
                      art.link_rows)
        c.execute("INSERT OR IGNORE INTO story_bands(key, seq) SELECT value, ? FROM json_each(?)",
                  (seq, dumps_json(art.bands)))
        c.execute("INSERT OR IGNORE INTO story_numbers(num, seq) SELECT value, ? FROM json_each(?)",
                  (seq, art.numbers_json))

    def _write_entities(self, c, entities: dict[str, dict], alias_rows: list[tuple[str, str]]) -> None:
        """Insert new entities, merge names/types/aliases into known ones (rows left alone when nothing changes)."""
        if not entities:
            return
        ids = list(entities)
        known: dict[str, tuple] = {}
        for i in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            part = ids[i:i + 500]
            for row in c.execute(f"SELECT id, name, type, aliases FROM entities WHERE id IN ({','.join('?' * len(part))})",
                                 part):
                known[row[0]] = row
        inserts, updates = [], []
        for eid, e in entities.items():
            aliases = list(e.get("aliases") or [])
            name = e.get("name") or eid
            row = known.get(eid)
            if row is None:
                inserts.append((eid, name, e.get("type"), dumps_json(aliases)))
            else:
                _id, old_name, old_type, old_json = row
                old_json = old_json or "[]"
                hit = self._alias_lists.get(eid)
                # the stored JSON list is parsed once per process: a cached parse is reused while the
                # stored text is unchanged (self-checking: a rollback or another writer changes the text)
                if hit is not None and hit[0] == old_json:
                    old, seen = hit[1], hit[2]
                else:
                    old = json.loads(old_json)
                    seen = set(old)
                    if len(self._alias_lists) >= 4096:  # a cache, not an index: bounded
                        self._alias_lists.clear()
                    self._alias_lists[eid] = (old_json, old, seen)
                merged = old + [a for a in aliases if a not in seen]
                new_name = old_name if old_name != eid else name
                if new_name != old_name or len(merged) != len(old) or (old_type is None and e.get("type") is not None):
                    merged_json = dumps_json(merged)
                    updates.append((new_name, e.get("type"), merged_json, eid))
                    self._alias_lists[eid] = (merged_json, merged, set(merged))
        if inserts:
            c.executemany("INSERT INTO entities(id, name, type, aliases) VALUES (?,?,?,?)", inserts)
        if updates:
            c.executemany("UPDATE entities SET name=?, type=COALESCE(type, ?), aliases=? WHERE id=?", updates)
        c.executemany("INSERT OR IGNORE INTO entity_aliases(alias, entity_id) VALUES (?,?)", alias_rows)

    # -- reads ---------------------------------------------------------------------------

    def articles(self) -> ResultList[ArticleInfo]:
        """The ingested articles in ingest order: doc_id, source, title, published, script, story."""
        rows = self._store.rows("SELECT doc_id, source, title, published, script, story_id, ingested_at "
                                "FROM articles ORDER BY seq")
        return ResultList(ArticleInfo(r["doc_id"], r["source"], r["title"], r["published"], r["script"],
                                      r["story_id"], r["ingested_at"]) for r in rows)

    def article_record(self, doc_id: str) -> dict:
        """The stored ArticleRecord of ``doc_id`` as a JSON dict. Raises KeyError if unknown."""
        row = self._store.row("SELECT record FROM articles WHERE doc_id=?", (doc_id,))
        if row is None:
            raise KeyError(doc_id)
        return json.loads(row["record"])

    def quote(self, doc_id: str, start: int, end: int) -> str:
        """The raw text of ``doc_id`` between two offsets (every node and edge carries them)."""
        return (self.article_record(doc_id).get("raw_text") or "")[start:end]

    def entity(self, name: str) -> Optional[Entity]:
        """The canonical entity for a name, id or alias in any script, or None.

        The gazetteer (``extract.entities.lookup``) answers first; names it does not know
        are looked up among the entities seen in ingested articles.
        """
        if not name or not name.strip():
            return None
        try:
            from extract.entities import lookup

            ent = lookup(name.strip())
        except Exception:
            ent = None
        if ent is not None:
            return ent
        row = self._store.row(
            "SELECT e.id, e.name, e.type, e.aliases FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
            "WHERE a.alias=? ORDER BY (e.id = ?) DESC, e.id LIMIT 1", (normalize_name(name), name.strip()))
        if row is None:
            return None
        return Entity(id=row["id"], name=row["name"], type=row["type"], aliases=json.loads(row["aliases"] or "[]"))

    def _entity_id(self, name: Optional[str]) -> Optional[str]:
        if name is None:
            return None
        ent = self.entity(name)
        return ent.id if ent is not None else name

    def figures(self, subject: Optional[str] = None, metric: Optional[str] = None, date: Optional[str] = None, *,
                doc: Optional[str] = None, unbound: bool = False, conflicts: Optional[bool] = None
                ) -> ResultList[FigureFact]:
        """Figure facts matching the filters (None = any).

        ``subject`` is an entity id or any name of it; ``date`` matches exactly or as a prefix
        (``2026-02`` matches every day of February). ``doc`` keeps facts stated by that article.
        Figures with no subject or metric are left out unless ``unbound=True``.
        ``conflicts=True`` keeps only conflicting facts.
        """
        m = self._current_model()
        sid = self._entity_id(subject) if subject else None
        out = []
        for f in m.facts.values():
            if not unbound and (not f.subject or not f.metric):
                continue
            if subject and f.subject not in (sid, subject):
                continue
            if metric and f.metric != metric:
                continue
            if date and not (f.date and (f.date == date or f.date.startswith(date))):
                continue
            if doc and doc not in f.docs:
                continue
            if conflicts is not None and f.conflict != conflicts:
                continue
            out.append(f)
        out.sort(key=lambda f: (f.subject or "", f.metric or "", f.date or "", f.id))
        return ResultList(out)

    def _claim_views(self) -> list[ClaimView]:
        m = self._current_model()
        cached = m._claim_views
        if cached is not None:
            return cached
        views = []
        for doc, prep in m.prepared.items():
            story = m.articles[doc]["story"]
            for cl in prep.claims:
                c = cl["claim"]
                links = cl["links"]
                views.append(ClaimView(
                    id=claim_node(doc, cl["idx"]), doc_id=doc, story=story, cause=c.get("cause"),
                    effect=c.get("effect"), cue=c.get("cue"), hedged=bool(c.get("hedged")),
                    negated=bool(c.get("negated")),
                    attributed_to=c.get("attributed_to") or (prep.record.get("byline") or {}).get("author"),
                    sentence=c.get("sentence"), cause_entities=links["cause"]["entities"],
                    effect_entities=links["effect"]["entities"],
                    cause_facts=[m.fact_of[(doc, j)] for j in links["cause"]["figures"] if (doc, j) in m.fact_of],
                    effect_facts=[m.fact_of[(doc, j)] for j in links["effect"]["figures"] if (doc, j) in m.fact_of],
                ))
        m._claim_views = views
        return views

    def claims(self, about: Optional[str] = None, *, doc: Optional[str] = None, role: Optional[str] = None,
               include_negated: bool = True) -> ResultList[ClaimView]:
        """Causal claims; ``about`` keeps those whose cause or effect involves the entity (or phrase).

        ``role="cause"`` / ``"effect"`` restricts to one side.
        """
        target = self._query(about) if about else None
        roles = (role,) if role else ("cause", "effect")
        out = []
        for v in self._claim_views():
            if doc and v.doc_id != doc:
                continue
            if not include_negated and v.negated:
                continue
            if target is not None and not any(target.matches(v.text(r), getattr(v, f"{r}_entities")) for r in roles):
                continue
            out.append(v)
        return ResultList(out)

    def causes_of(self, x: str, depth: int = 1, *, include_hedged: bool = True, include_negated: bool = False,
                  max_chains: int = 200) -> ResultList[CausalChain]:
        """Causal chains that end in ``x`` (an entity name or a phrase), up to ``depth`` claims long.

        Each chain reads cause first; hop k+1 is a claim whose effect is what hop k names as
        its cause (shared entities or wording). ``depth=3`` finds JGB sell-off → yen volatility →
        carry-trade unwind → bitcoin liquidations when the articles state those links.
        """
        return self._walk(x, depth, "effect", include_hedged, include_negated, max_chains)

    def effects_of(self, x: str, depth: int = 1, *, include_hedged: bool = True, include_negated: bool = False,
                   max_chains: int = 200) -> ResultList[CausalChain]:
        """Causal chains that start from ``x``, up to ``depth`` claims long (see ``causes_of``)."""
        return self._walk(x, depth, "cause", include_hedged, include_negated, max_chains)

    def _walk(self, x: str, depth: int, side: str, hedged: bool, negated: bool, max_chains: int
              ) -> ResultList[CausalChain]:
        idx = self._claim_index()
        allowed = [(hedged or not v.hedged) and (negated or not v.negated) for v in idx.views]
        return ResultList(idx.walk(self._query(x), side, depth, allowed, max_chains))

    def _claim_index(self) -> ClaimIndex:
        m = self._current_model()
        if m._claim_index is None:
            m._claim_index = ClaimIndex(self._claim_views())
        return m._claim_index

    def _query(self, x: str) -> Query:
        ent = self.entity(x)
        if ent is None:
            return Query(phrase=x)
        return Query(entity=ent.id, aliases=[ent.id, ent.name, *(ent.aliases or [])])

    def stories(self, min_size: int = 1) -> ResultList[Story]:
        """Groups of articles telling the same story (by first ingest); singletons unless ``min_size`` > 1."""
        rows = self._store.rows("SELECT doc_id, story_id, title, source FROM articles ORDER BY seq")
        groups: dict[str, Story] = {}
        for r in rows:
            s = groups.setdefault(r["story_id"], Story(id=r["story_id"], docs=[]))
            s.docs.append(r["doc_id"])
            s.titles.append(r["title"])
            s.sources.append(r["source"])
        return ResultList(s for s in groups.values() if len(s.docs) >= min_size)

    def story_of(self, doc_id: str) -> Optional[str]:
        """The story id of an article, or None if unknown."""
        row = self._store.conn.execute("SELECT story_id FROM articles WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None


@dataclasses.dataclass
class PreparedArticle:
    """One article as the store writes it: every row and encoding computed, no database needed.

    Built by ``prepare_article`` (in a worker process under ``narrex ingest --jobs N``) and
    written by ``KnowledgeGraph.ingest_prepared``. ``record`` (the JSON dict) is dropped before
    the object is sent between processes: ``rec_json`` holds it.
    """

    doc_id: str
    rec_json: str
    meta: tuple                    # source, title, published, script
    fp: Fingerprint
    numbers_json: str
    bands: list[int]
    entities: dict[str, dict]
    alias_rows: list[tuple[str, str]]
    mention_rows: list[tuple]
    figure_rows: list[tuple]
    claim_rows: list[tuple]
    link_rows: list[tuple]
    record: Optional[dict] = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["record"] = None  # rec_json carries it: pickling the dict again would double the payload
        return state


def prepare_article(record: Union[ArticleRecord, dict]) -> PreparedArticle:
    """Everything ``KnowledgeGraph.ingest_record`` stores for one record, computed without the database.

    Raises ``InputError`` for a record without ``doc_id``.
    """
    rec = _plain(record)
    doc = rec.get("doc_id")
    if not doc:
        raise InputError("the record has no doc_id")
    prep = prepare(rec, sentences=False)  # sentence spans only serve the networkx view
    fp = fingerprint(rec.get("clean_text") or "")
    alias_rows = []
    for eid, e in prep.entities.items():
        for a in {eid, e.get("name") or "", *(e.get("aliases") or ())}:
            if a:
                alias_rows.append((normalize_name(a), eid))
    frows = []
    for s, f in zip(prep.statements, prep.figures):
        value, rng, change = f.get("value"), f.get("range"), f.get("change")
        frows.append((doc, s.idx, s.surface, s.start, s.end, None if value is None else str(value), s.value,
                      s.unit, s.kind, s.approx, None if rng is None else dumps_json(rng),
                      None if change is None else dumps_json(change), f.get("sign"), s.subject, s.metric, s.date,
                      int(s.checkable)))
    crows, links = [], []
    for cl in prep.claims:
        cc = cl["claim"]
        idx = cl["idx"]
        cause, effect, cue, sent = (cc.get(k) or {} for k in ("cause", "effect", "cue", "sentence"))
        crows.append((doc, idx, cause.get("text") or "", _off(cause.get("start")), _off(cause.get("end")),
                      effect.get("text"), effect.get("start"), effect.get("end"),
                      cue.get("text") or "", _off(cue.get("start")), _off(cue.get("end")), sent.get("start"),
                      sent.get("end"), int(bool(cc.get("hedged"))), int(bool(cc.get("negated"))),
                      cc.get("attributed_to")))
        for role in ("cause", "effect"):
            lk = cl["links"][role]
            links += [(doc, idx, role, eid, None) for eid in lk["entities"]]
            links += [(doc, idx, role, None, j) for j in lk["figures"]]
    return PreparedArticle(
        doc_id=doc, rec_json=dumps_json(rec),
        meta=(rec.get("source"), rec.get("title"), rec.get("published"), rec.get("script")),
        fp=fp, numbers_json=dumps_json(sorted(fp.numbers)), bands=band_keys(fp.signature),
        entities=prep.entities, alias_rows=alias_rows,
        mention_rows=[(doc, m["idx"], m["entity"], m["surface"], m["start"], m["end"], m["type"])
                      for m in prep.mentions],
        figure_rows=frows, claim_rows=crows, link_rows=links, record=rec)


_PRIMITIVE = (str, int, float, bool, type(None))
_PRIM_TYPES = frozenset(_PRIMITIVE)
_FIELDS: dict[type, Optional[tuple[str, ...]]] = {}


def _public_fields(t: type) -> Optional[tuple[str, ...]]:
    """The public field names of a dataclass type (cached), or None for any other type."""
    try:
        return _FIELDS[t]
    except KeyError:
        names = None
        if dataclasses.is_dataclass(t):
            names = tuple(f.name for f in dataclasses.fields(t) if not f.name.startswith("_"))
        _FIELDS[t] = names
        return names


def _plain(o: Any) -> Any:
    """``records.to_jsonable`` for the shapes a record holds, several times faster (ingest hot path).

    Exact-type dispatch; primitive values inside containers are kept without a call.
    """
    t = type(o)
    if t in _PRIM_TYPES:
        return o
    if t is list or t is tuple:
        return [x if type(x) in _PRIM_TYPES else _plain(x) for x in o]
    if t is dict:
        return {(k if type(k) is str else str(k)): (v if type(v) in _PRIM_TYPES else _plain(v)) for k, v in o.items()}
    names = _public_fields(t)
    if names is not None:
        return {k: (v if type(v := getattr(o, k)) in _PRIM_TYPES else _plain(v)) for k in names}
    if isinstance(o, _PRIMITIVE):  # subclasses (str enums, …)
        return o
    if isinstance(o, (list, tuple)):
        return [_plain(x) for x in o]
    if isinstance(o, dict):
        return {str(k): _plain(v) for k, v in o.items()}
    return to_jsonable(o)  # Decimal, sets and anything rarer
