"""Batch input: files, directories, globs, JSON Lines archives and stdin -> a stream of articles.

``iter_inputs`` turns command-line arguments into :class:`BatchItem` s, one per article,
lazily: files are read when the iterator reaches them and a ``.jsonl`` archive is read
line by line, so a 1 GB archive streams in bounded memory. Input problems (missing
file, binary data, malformed JSON line) become items with ``error`` set, and the
stream goes on.

``extract_many`` runs :func:`extract.extract_article` over such a stream, in this
process or in ``jobs`` worker processes, in input order, with a bounded number of
articles in flight (memory stays flat however long the stream is).

A JSON Lines archive holds one object per line::

    {"id": "a1", "text": "...", "source": "TechFlow", "published": "2026-02-05"}

``text`` is required; ``id``, ``source`` and ``published`` are optional.
"""
from __future__ import annotations

import collections
import glob as _glob
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Optional

from .errors import InputError
from .textio import DEFAULT_MAX_BYTES, decode_bytes, read_text, size_text

__all__ = ["BatchItem", "ARTICLE_SUFFIXES", "JSONL_SUFFIXES", "iter_inputs", "iter_jsonl", "extract_many"]

#: file suffixes picked up when a directory is walked
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".html", ".htm"})
#: suffixes read as JSON Lines archives (one article per line)
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})

_GLOB_CHARS = re.compile(r"[*?\[]")
# YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, optionally followed by a time
_ISO_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")
# how many non-blank JSON-object lines of stdin settle that it is JSON Lines
_STDIN_PROBE_LINES = 64


@dataclass
class BatchItem:
    """One article of a batch (or one input that could not be read).

    ``name`` says where it came from: a file path, ``archive.jsonl:LINE`` (1-based) or ``-``.
    ``text`` is the decoded article (None when ``error`` is set). ``doc_key`` is the
    archive's ``id`` when given, else ``name``: a key for progress and error reports
    (the graph's doc_id is still the content hash). ``error`` is a one-line message
    naming the input and the problem, or None. ``known`` is the doc id of an article
    ``extract_many(..., known_db=...)`` found already stored (it was not extracted).
    """

    name: str
    text: Optional[str]
    source: Optional[str] = None
    published: Optional[str] = None
    doc_key: Optional[str] = None
    error: Optional[str] = None
    known: Optional[str] = None  # set by extract_many(known_db=…): the doc id, already stored


def _error_item(name: str, problem: str) -> BatchItem:
    return BatchItem(name=name, text=None, doc_key=name, error=str(InputError(problem, name)))


def _norm_published(value: Any) -> str:
    """ISO date (YYYY-MM-DD) of a ``published`` field; raises ValueError when unreadable."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        ts = float(value)
        if ts > 1e11:  # epoch milliseconds
            ts /= 1000.0
        return datetime.fromtimestamp(ts, tz=timezone.utc).date().isoformat()
    if isinstance(value, str):
        m = _ISO_DATE.match(value)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return datetime(y, mo, d).date().isoformat()  # validates the calendar date
    raise ValueError(value)


def _item_from_obj(obj: Any, name: str) -> BatchItem:
    """A BatchItem from one parsed JSON Lines object (an error item when malformed)."""
    if not isinstance(obj, dict):
        return _error_item(name, f"not a JSON object (got {type(obj).__name__})")
    text = obj.get("text")
    if not isinstance(text, str):
        return _error_item(name, "no \"text\" string field" if text is None else "\"text\" is not a string")
    if not text.strip():
        return _error_item(name, "empty \"text\"")
    source = obj.get("source")
    if source is not None and not isinstance(source, str):
        source = str(source)
    published = obj.get("published")
    if published in (None, ""):
        published = None
    else:
        try:
            published = _norm_published(published)
        except (ValueError, OverflowError, OSError):
            return _error_item(name, f"\"published\" is not a date: {str(obj.get('published'))[:40]!r}")
    doc_id = obj.get("id")
    key = str(doc_id) if doc_id not in (None, "") else name
    return BatchItem(name=name, text=text, source=source, published=published, doc_key=key)


def _parse_line(raw: bytes, name: str) -> BatchItem:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _error_item(name, "line is not valid UTF-8")
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as e:
        msg = getattr(e, "msg", "too deeply nested")
        return _error_item(name, f"malformed JSON ({msg})")
    return _item_from_obj(obj, name)


def _iter_lines(f: IO[bytes], max_bytes: int) -> Iterator[tuple[int, Optional[bytes]]]:
    """(1-based line number, line bytes) of a binary stream; None for a line longer than ``max_bytes``.

    Reads at most ``max_bytes + 1`` bytes at a time, so one huge line cannot exhaust memory.
    """
    lineno = 0
    while True:
        chunk = f.readline(max_bytes + 1)
        if not chunk:
            return
        lineno += 1
        if len(chunk) > max_bytes and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):  # skip the rest of the oversized line
                chunk = f.readline(1 << 20)
            yield lineno, None
            continue
        yield lineno, chunk


def iter_jsonl(f: IO[bytes], label: str, max_bytes: int = DEFAULT_MAX_BYTES,
               first_lines: Iterable[tuple[int, bytes]] = ()) -> Iterator[BatchItem]:
    """Stream the articles of a JSON Lines binary stream, one BatchItem per non-blank line.

    ``label`` names the stream in item names (``label:LINE``). Malformed lines become
    error items naming the line; the rest go on. ``first_lines`` are lines already read
    from ``f`` (used when probing stdin).
    """
    def lines() -> Iterator[tuple[int, Optional[bytes]]]:
        last = 0
        for n, raw in first_lines:
            last = n
            yield n, raw
        for n, raw in _iter_lines(f, max_bytes):
            yield n + last, raw

    for n, raw in lines():
        name = f"{label}:{n}"
        if raw is None:
            yield _error_item(name, f"line longer than the {size_text(max_bytes)} limit")
            continue
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        yield _parse_line(raw, name)


def _file_item(path: str) -> BatchItem:
    try:
        text = read_text(path)
    except InputError as e:
        return BatchItem(name=path, text=None, doc_key=path, error=str(e))
    return BatchItem(name=path, text=text, source=path, doc_key=path)


def _iter_file(path: str) -> Iterator[BatchItem]:
    if Path(path).suffix.lower() in JSONL_SUFFIXES:
        try:
            f = open(path, "rb")
        except FileNotFoundError:
            yield _error_item(path, "no such file")
            return
        except PermissionError:
            yield _error_item(path, "permission denied")
            return
        except OSError as e:
            yield _error_item(path, f"cannot read ({e.strerror or e})")
            return
        with f:
            yield from iter_jsonl(f, path)
        return
    yield _file_item(path)


def _walk(directory: str) -> Iterator[str]:
    """Article and archive files under ``directory``, sorted, hidden entries skipped, lazily."""
    wanted = ARTICLE_SUFFIXES | JSONL_SUFFIXES
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for fn in sorted(files):
            if not fn.startswith(".") and os.path.splitext(fn)[1].lower() in wanted:
                yield os.path.join(root, fn)


def _iter_stdin(stream: IO[bytes], max_bytes: int) -> Iterator[BatchItem]:
    """stdin as JSON Lines if its non-blank lines are JSON objects, else as one plain-text article.

    Lines are probed as they come: a non-JSON line settles "plain text" (the input is then
    read whole, up to ``max_bytes``); ``_STDIN_PROBE_LINES`` JSON-object lines (or the end
    of input) settle "JSON Lines", which then streams.
    """
    probed: list[tuple[int, bytes]] = []
    objects = 0
    size = 0
    is_jsonl = True
    for n, raw in _iter_lines(stream, max_bytes):
        if raw is None:  # an oversized line: not an article per line, and too big for one article
            yield _error_item("-", f"larger than the {size_text(max_bytes)} limit")
            return
        probed.append((n, raw))
        size += len(raw)
        body = raw[3:] if n == 1 and raw.startswith(b"\xef\xbb\xbf") else raw
        if not body.strip():
            continue
        try:
            obj = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            obj = None
        if not isinstance(obj, dict):
            is_jsonl = False
            break
        objects += 1
        if objects >= _STDIN_PROBE_LINES:
            break
    if is_jsonl and objects:
        yield from iter_jsonl(stream, "-", max_bytes, first_lines=probed)
        return
    data = b"".join(raw for _, raw in probed)
    probed.clear()
    data += stream.read(max(0, max_bytes + 1 - len(data)))
    if len(data) > max_bytes:
        yield _error_item("-", f"larger than the {size_text(max_bytes)} limit")
        return
    try:
        text = decode_bytes(data, "-")
    except InputError as e:
        yield BatchItem(name="-", text=None, doc_key="-", error=str(e))
        return
    if not text.strip():
        yield _error_item("-", "empty input (no text)")
        return
    yield BatchItem(name="-", text=text, doc_key="-")


def _binary(stream: Any) -> IO[bytes]:
    """A binary view of ``stream`` (text streams are re-encoded as UTF-8)."""
    if isinstance(stream.read(0), bytes):
        return stream
    if hasattr(stream, "buffer"):
        return stream.buffer
    import io

    return io.BytesIO(stream.read().encode("utf-8"))


def iter_inputs(paths: list[str], stdin: Optional[IO[bytes]] = None) -> Iterator[BatchItem]:
    """Expand ``paths`` into a lazy stream of BatchItems, one per article, in a stable order.

    Each path may be a file (a ``.jsonl``/``.ndjson`` archive yields one item per line),
    a directory (walked recursively for .txt .text .md .html .htm .jsonl .ndjson; hidden
    entries skipped), a glob (``corpus/**/*.txt``), or ``-`` for ``stdin`` (a binary
    stream; ``sys.stdin.buffer`` by default). Unreadable inputs yield items with ``error``
    set and never stop the stream.
    """
    for p in paths:
        p = str(p)
        if p == "-":
            stream = _binary(stdin if stdin is not None else sys.stdin)
            yield from _iter_stdin(stream, DEFAULT_MAX_BYTES)
            continue
        if _GLOB_CHARS.search(p) and not os.path.exists(p):
            matches = sorted(_glob.iglob(p, recursive=True))
            if not matches:
                yield _error_item(p, "no file matches this pattern")
            for m in matches:
                if os.path.isdir(m):
                    yield from _iter_dir(m)
                else:
                    yield from _iter_file(m)
            continue
        if os.path.isdir(p):
            yield from _iter_dir(p)
            continue
        yield from _iter_file(p)


def _iter_dir(directory: str) -> Iterator[BatchItem]:
    found = False
    for f in _walk(directory):
        found = True
        yield from _iter_file(f)
    if not found:
        yield _error_item(directory, "no article files (.txt .md .html .htm .jsonl) in this directory")


# --------------------------------------------------------------------------- extraction

def _extract_one(text: str, source: Optional[str], published: Optional[str], name: str,
                 known_db: Optional[str] = None, post: Optional[Callable[[Any], Any]] = None):
    """(record, None, None), or (None, one-line error, None), or (None, None, doc_id) when the
    article is already stored in the narrex database ``known_db``; never raises.

    With ``known_db`` the text is cleaned once: its doc id is looked up, and only a new article
    is extracted (from the same CleanDoc). ``post`` is applied to the record (its result takes
    the record's place; an ``InputError`` it raises becomes ``"name: problem"``).
    """
    from .pipeline import extract_article

    try:
        if known_db is None:
            rec = extract_article(text, source=source, published=published)
        else:
            from .clean import clean
            from .pipeline import doc_id_for, extract_doc

            doc = clean(text)
            doc_id = doc_id_for(doc.text)
            if _stored(known_db, doc_id):
                return None, None, doc_id
            rec = extract_doc(doc, source=source, published=published)
    except InputError as e:
        return None, str(e) if e.name else str(InputError(e.problem, name)), None
    except Exception as e:  # a stage bug must not kill a whole batch: report it for this article
        return None, f"{name}: extraction failed ({type(e).__name__}: {e})", None
    if post is None:
        return rec, None, None
    try:
        return post(rec), None, None
    except InputError as e:
        return None, f"{name}: {e}", None
    except Exception as e:
        return None, f"{name}: extraction failed ({type(e).__name__}: {e})", None


_READERS: dict = {}  # (pid, database path) -> read-only sqlite3 connection (per process: never across a fork)


def _stored(db: str, doc_id: str) -> bool:
    """True when the narrex database ``db`` already holds ``doc_id`` (False when it cannot be read:
    the writer skips a stored article anyway)."""
    import sqlite3

    key = (os.getpid(), db)
    con = _READERS.get(key)
    try:
        if con is None:
            con = sqlite3.connect(Path(db).absolute().as_uri() + "?mode=ro", uri=True, timeout=60.0,
                                  check_same_thread=False)
            _READERS[key] = con
        return con.execute("SELECT 1 FROM articles WHERE doc_id=?", (doc_id,)).fetchone() is not None
    except sqlite3.Error:
        return False


def _extract_chunk(chunk: list[tuple]):
    return [_extract_one(*args) for args in chunk]


def _warm_worker() -> None:
    """Load lexicons and models once per worker, before the first real article."""
    _extract_one("2026年2月5日,IBIT 净流入 2.3 亿美元。", None, "2026-02-05", "<warm-up>")


def extract_many(items: Iterable[BatchItem], jobs: int = 1, chunksize: int = 8,
                 max_in_flight: Optional[int] = None, known_db: Optional[str] = None,
                 post: Optional[Callable[[Any], Any]] = None):
    """Extract every item; yields ``(item, record, error)`` in input order.

    ``record`` is the ArticleRecord (None on error); ``error`` is None or a one-line message
    (an input error carried by the item, or the extraction failure of that article).
    ``known_db`` (a narrex database file) skips the articles it already holds: the worker
    cleans the text, finds its doc id stored, and yields ``(item, None, None)`` with
    ``item.known`` set to that doc id. ``post`` (a picklable module-level function) runs on
    each record where it was extracted, and its result is yielded instead of the record:
    ``narrex ingest`` prepares the graph rows there, so the one writer only writes.
    ``jobs`` > 1 runs ``jobs`` worker processes; at most ``max_in_flight`` articles
    (default ``4 * jobs * chunksize``) are read ahead of the consumer, so memory does not
    grow with the length of the stream.
    """
    jobs = max(1, int(jobs or 1))
    if jobs == 1:
        try:
            for it in items:
                if it.error is not None or it.text is None:
                    yield it, None, it.error or str(InputError("no text", it.name))
                    continue
                rec, err, it.known = _extract_one(it.text, it.source, it.published, it.name, known_db, post)
                yield it, rec, err
        finally:
            con = _READERS.pop((os.getpid(), known_db), None)
            if con is not None:
                con.close()
        return
    yield from _extract_parallel(items, jobs, max(1, chunksize), max_in_flight, known_db, post)


def _extract_parallel(items: Iterable[BatchItem], jobs: int, chunksize: int, max_in_flight: Optional[int],
                      known_db: Optional[str] = None, post: Optional[Callable[[Any], Any]] = None):
    import multiprocessing as mp

    max_chunks = max(jobs + 1, (max_in_flight or 4 * jobs * chunksize) // chunksize)
    # fork shares the parent's already-loaded modules copy-on-write; elsewhere use the default
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    pending: collections.deque = collections.deque()  # (items of the chunk, AsyncResult or None)
    it = iter(items)
    with ctx.Pool(jobs, initializer=_warm_worker) as pool:
        exhausted = False
        while True:
            while not exhausted and len(pending) < max_chunks:
                chunk_items: list[BatchItem] = []
                for item in it:
                    chunk_items.append(item)
                    if len(chunk_items) >= chunksize:
                        break
                else:
                    exhausted = True
                if not chunk_items:
                    break
                work = [(i.text, i.source, i.published, i.name, known_db, post) for i in chunk_items
                        if i.error is None and i.text is not None]
                res = pool.apply_async(_extract_chunk, (work,)) if work else None
                pending.append((chunk_items, res))
            if not pending:
                break
            chunk_items, res = pending.popleft()
            results = iter(res.get() if res is not None else ())
            for item in chunk_items:
                if item.error is not None or item.text is None:
                    yield item, None, item.error or str(InputError("no text", item.name))
                else:
                    rec, err, item.known = next(results)
                    yield item, rec, err
