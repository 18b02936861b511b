"""The system of record: an embedded SQLite database (stdlib ``sqlite3``).

* WAL journal, foreign keys on, a busy timeout so concurrent writers wait
  instead of failing, ``synchronous=NORMAL`` (WAL keeps the file consistent
  after a crash or SIGKILL; only the last transactions can be lost on power loss),
  a checkpoint every 4000 WAL pages.
* ``meta(key, value)`` holds ``schema_version``; ``MIGRATIONS[n]`` (SQL statements,
  or callables taking the connection) upgrades a version ``n-1`` database to ``n``.
  A database newer than this code, or a file
  that is not SQLite, is refused with a ``NarrexError`` and never written to.
* One article = one ``BEGIN IMMEDIATE`` transaction: a kill at any point leaves
  the database without the article or with all of it. ``articles.doc_id`` is the
  primary key, so two processes ingesting the same article cannot duplicate it:
  the second one finds it inside its own write transaction and skips.
* Tables of other stages (the fact-check's market data) live in the same file;
  this module never drops a table it does not know.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

from extract.errors import NarrexError

__all__ = ["SCHEMA_VERSION", "Store", "MIGRATIONS"]

SCHEMA_VERSION = 2
_SQLITE_MAGIC = b"SQLite format 3\x00"

def _backfill_story_index(conn: sqlite3.Connection) -> None:
    """Version 2: fill the story lookup tables from the articles a version 1 database holds.

    Signatures stored with another size (an earlier NUM_PERM) are recomputed and written back,
    so story matching never has to. Rows are read in batches: memory does not grow with the file.
    """
    from .stories import NUM_PERM, band_keys, fingerprint, signature_from_bytes

    last = -1
    while True:
        rows = conn.execute("SELECT seq, minhash, numbers FROM articles WHERE seq > ? ORDER BY seq LIMIT 200",
                            (last,)).fetchall()
        if not rows:
            return
        for seq, minhash, numbers in rows:
            sig = signature_from_bytes(minhash)
            if len(sig) != NUM_PERM:
                (record,) = conn.execute("SELECT record FROM articles WHERE seq = ?", (seq,)).fetchone()
                fp = fingerprint(json.loads(record).get("clean_text") or "")
                sig = fp.signature
                conn.execute("UPDATE articles SET minhash = ?, n_shingles = ? WHERE seq = ?",
                             (fp.signature_bytes(), fp.n_shingles, seq))
            conn.execute("INSERT OR IGNORE INTO story_bands(key, seq) SELECT value, ? FROM json_each(?)",
                         (seq, json.dumps(band_keys(sig))))
            conn.execute("INSERT OR IGNORE INTO story_numbers(num, seq) SELECT value, ? FROM json_each(?)",
                         (seq, numbers))
        last = rows[-1][0]


MIGRATIONS: dict[int, list] = {
    1: [
        """CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)""",
        """CREATE TABLE articles (
            doc_id      TEXT PRIMARY KEY,
            seq         INTEGER NOT NULL UNIQUE,          -- ingest order (stable story ids, incremental reloads)
            source      TEXT,
            title       TEXT,
            published   TEXT,
            script      TEXT,
            story_id    TEXT NOT NULL,
            n_shingles  INTEGER NOT NULL,
            minhash     BLOB NOT NULL,
            numbers     TEXT NOT NULL,                    -- JSON list: the number fingerprint
            record      TEXT NOT NULL,                    -- the whole ArticleRecord as JSON
            ingested_at TEXT NOT NULL
        )""",
        "CREATE INDEX articles_story ON articles(story_id)",
        """CREATE TABLE entities (
            id      TEXT PRIMARY KEY,
            name    TEXT NOT NULL,
            type    TEXT,
            aliases TEXT NOT NULL DEFAULT '[]'            -- JSON list, all scripts
        )""",
        """CREATE TABLE entity_aliases (
            alias     TEXT NOT NULL,                      -- normalized: Simplified, case-folded, no spaces
            entity_id TEXT NOT NULL REFERENCES entities(id),
            PRIMARY KEY (alias, entity_id)
        )""",
        """CREATE TABLE mentions (
            doc_id    TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
            idx       INTEGER NOT NULL,
            entity_id TEXT NOT NULL REFERENCES entities(id),
            surface   TEXT NOT NULL,
            start     INTEGER NOT NULL,
            end       INTEGER NOT NULL,
            type      TEXT,
            PRIMARY KEY (doc_id, idx)
        )""",
        "CREATE INDEX mentions_entity ON mentions(entity_id)",
        """CREATE TABLE figures (
            doc_id       TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
            idx          INTEGER NOT NULL,               -- index in ArticleRecord.figures
            surface      TEXT NOT NULL,
            start        INTEGER NOT NULL,
            end          INTEGER NOT NULL,
            value        TEXT,                            -- exact decimal as written (with a written minus)
            signed_value REAL,                            -- value combined with the sign the words give
            unit         TEXT,
            kind         TEXT,
            approx       TEXT,
            range        TEXT,                            -- JSON [lo, hi] or NULL
            change       TEXT,                            -- JSON {"from": x, "to": y} or NULL
            sign         TEXT,
            subject      TEXT,
            metric       TEXT,
            date         TEXT,
            checkable    INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (doc_id, idx)
        )""",
        "CREATE INDEX figures_key ON figures(subject, metric, date)",
        """CREATE TABLE claims (
            doc_id        TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
            idx           INTEGER NOT NULL,
            cause         TEXT NOT NULL, cause_start INTEGER NOT NULL, cause_end INTEGER NOT NULL,
            effect        TEXT, effect_start INTEGER, effect_end INTEGER,
            cue           TEXT NOT NULL, cue_start INTEGER NOT NULL, cue_end INTEGER NOT NULL,
            sentence_start INTEGER, sentence_end INTEGER,
            hedged        INTEGER NOT NULL DEFAULT 0,
            negated       INTEGER NOT NULL DEFAULT 0,
            attributed_to TEXT,
            PRIMARY KEY (doc_id, idx)
        )""",
        """CREATE TABLE claim_links (                     -- what a claim's cause / effect is about
            doc_id     TEXT NOT NULL,
            claim_idx  INTEGER NOT NULL,
            role       TEXT NOT NULL CHECK (role IN ('cause', 'effect')),
            entity_id  TEXT REFERENCES entities(id),
            figure_idx INTEGER,
            FOREIGN KEY (doc_id, claim_idx) REFERENCES claims(doc_id, idx) ON DELETE CASCADE,
            CHECK ((entity_id IS NULL) <> (figure_idx IS NULL))
        )""",
        "CREATE INDEX claim_links_entity ON claim_links(entity_id)",
        "CREATE INDEX claim_links_claim ON claim_links(doc_id, claim_idx)",
    ],
    # story candidates are looked up on disk instead of comparing every stored signature in memory
    2: [
        """CREATE TABLE story_bands (                     -- LSH band keys of each article's MinHash signature
            key INTEGER NOT NULL,
            seq INTEGER NOT NULL,                         -- articles.seq
            PRIMARY KEY (key, seq)
        ) WITHOUT ROWID""",
        """CREATE TABLE story_numbers (                   -- each article's number fingerprint, one row per number
            num TEXT NOT NULL,
            seq INTEGER NOT NULL,                         -- articles.seq
            PRIMARY KEY (num, seq)
        ) WITHOUT ROWID""",
        _backfill_story_index,
    ],
}


def _refuse(path: str, problem: str) -> NarrexError:
    return NarrexError(f"{path}: {problem}; the file was left untouched")


class Store:
    """The SQLite connection and the few write/read primitives the graph needs."""

    def __init__(self, path: Optional[str | os.PathLike] = None, *, create: bool = True) -> None:
        self.path = str(path) if path not in (None, ":memory:") else ":memory:"
        if self.path != ":memory:":
            self._check_file(self.path, create)
        try:
            self.conn = sqlite3.connect(self.path, timeout=60.0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise NarrexError(f"{self.path}: cannot open the database ({e})") from None
        # no connection-wide row_factory: ``kg.conn`` is shared with other stages, which expect tuples
        try:
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as e:
            self.conn.close()
            raise _refuse(self.path, f"not a usable narrex database ({e})") from None

    # -- opening -------------------------------------------------------------------------

    @staticmethod
    def _check_file(path: str, create: bool) -> None:
        p = Path(path)
        if p.is_dir():
            raise NarrexError(f"{path}: is a directory, not a database file")
        if not p.exists():
            if not create:
                raise NarrexError(f"{path}: no such database (run `narrex ingest` first or pass --db)")
            if not p.parent.exists():
                raise NarrexError(f"{path}: the folder {p.parent} does not exist")
            return
        try:
            with open(p, "rb") as f:
                head = f.read(len(_SQLITE_MAGIC))
        except OSError as e:
            raise NarrexError(f"{path}: cannot read the database ({e.strerror})") from None
        if head and head != _SQLITE_MAGIC:
            raise _refuse(path, "not an SQLite database")

    def _configure(self) -> None:
        c = self.conn
        c.execute("PRAGMA busy_timeout = 60000")
        # reading the schema first makes sqlite validate the header before any write
        c.execute("SELECT count(*) FROM sqlite_master").fetchone()
        version = self._version()
        if version is not None and version > SCHEMA_VERSION:
            raise _refuse(self.path, f"the database has graph schema version {version}, newer than this narrex "
                          f"(knows up to {SCHEMA_VERSION}); upgrade narrex to use it")
        if self.path != ":memory:":
            c.execute("PRAGMA journal_mode = WAL").fetchone()
            c.execute("PRAGMA synchronous = NORMAL")
            # checkpoint every ~16 MB of WAL instead of 4 MB: a quarter of the checkpoints (each one syncs),
            # and index pages rewritten by consecutive articles are copied back once
            c.execute("PRAGMA wal_autocheckpoint = 4000")
        c.execute("PRAGMA foreign_keys = ON")

    def _version(self) -> Optional[int]:
        row = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if row is None:
            return None
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            return None
        try:
            return int(row[0])
        except (TypeError, ValueError):
            raise _refuse(self.path, f"unreadable schema_version {row[0]!r}") from None

    def _migrate(self) -> None:
        version = self._version() or 0
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            version = self._version() or 0  # re-read under the write lock: another process may have migrated
            if version > SCHEMA_VERSION:
                raise _refuse(self.path, f"the database has graph schema version {version}, newer than this narrex")
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS[v]:
                    if callable(stmt):  # a data migration written in Python
                        stmt(self.conn)
                    else:
                        self.conn.execute(stmt)
                self.conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(v),))

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on any exception)."""
        for attempt in range(50):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as e:  # busy beyond the timeout: rare, retry a little
                if "locked" not in str(e) and "busy" not in str(e):
                    raise
                time.sleep(0.05 * (attempt + 1))
        else:
            raise NarrexError(f"{self.path}: the database stayed locked by another process")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection (idempotent)."""
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    def data_version(self) -> int:
        """Changes whenever another connection commits (PRAGMA data_version)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # -- reads ---------------------------------------------------------------------------

    def has_article(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE doc_id=?", (doc_id,)).fetchone() is not None

    def rows(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        """All result rows, addressable by column name."""
        cur = self.conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()

    def row(self, sql: str, params: tuple | list = ()) -> Optional[sqlite3.Row]:
        """The first result row (by column name), or None."""
        cur = self.conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchone()

    def integrity_ok(self) -> bool:
        """True when ``PRAGMA integrity_check`` reports ok."""
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def dumps_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
