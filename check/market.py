"""Market data store: one observation per row, in the graph's SQLite file.

Several sources for one observation sit side by side: the UNIQUE key includes
the source URL and the value, so re-importing the same file is a no-op and a
second source never overwrites the first.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

import corpora
from extract.errors import InputError

__all__ = [
    "Observation",
    "MarketStore",
    "RowError",
    "parse_rows",
    "read_rows",
    "normalize_instrument",
    "normalize_metric",
    "SCHEMA_VERSION",
]

SCHEMA_VERSION = "1"
QUALIFIERS = ("exact", "approx", "over", "under")
QUALITIES = ("ok", "low")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS market_observations (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    instrument TEXT NOT NULL,
    metric TEXT NOT NULL,
    value TEXT NOT NULL,
    value_high TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL,
    aspect TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    source_url TEXT NOT NULL DEFAULT '',
    outlet TEXT NOT NULL DEFAULT '',
    retrieved_at TEXT NOT NULL DEFAULT '',
    quality TEXT NOT NULL DEFAULT 'ok',
    qualifier TEXT NOT NULL DEFAULT 'exact',
    scope TEXT NOT NULL DEFAULT '',
    instrument_raw TEXT NOT NULL DEFAULT '',
    metric_raw TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    UNIQUE (date, instrument, metric, aspect, source_url, value)
);
CREATE INDEX IF NOT EXISTS market_obs_lookup ON market_observations (instrument, metric, date);
"""

_DAY = r"\d{4}-\d{2}-\d{2}"
_DATE_RE = re.compile(rf"^(?:{_DAY}|\d{{4}}-\d{{2}}|{_DAY}/{_DAY})$")
_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_VALUE_RE = re.compile(rf"^\s*({_NUM})\s*(?:(?:-|–|to)\s*({_NUM}))?\s*$")
_METRIC_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Observation:
    """One market observation: ``value`` of ``metric`` for ``instrument`` on ``date`` per ``source``.

    ``date`` is an ISO day, a month (``YYYY-MM``) or a period ``A/B`` (totals over the period).
    ``value_high`` is set when the source gives a range (a policy-rate band, a close range).
    ``qualifier`` is the source's own precision (exact/approx/over/under); ``quality`` is
    ``low`` for personal blogs, SEO aggregators and other weak pages.
    """

    date: str
    instrument: str
    metric: str
    value: Decimal
    unit: str
    source: str
    source_url: str = ""
    retrieved_at: str = ""
    quality: str = "ok"
    qualifier: str = "exact"
    notes: str = ""
    aspect: str = ""
    value_high: Optional[Decimal] = None
    scope: str = ""
    outlet: str = ""
    instrument_raw: str = ""
    metric_raw: str = ""
    id: Optional[int] = field(default=None, compare=False)

    def to_dict(self) -> dict:
        """JSON-ready dict (Decimals as numbers)."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Decimal):
                v = int(v) if v == v.to_integral_value() else float(v)
            out[f.name] = v
        return out

    @property
    def label(self) -> str:
        """Source name with the outlet that relays it, e.g. ``SoSoValue via blockchaindatawiki.com``."""
        if self.outlet and self.outlet.lower() not in self.source.lower():
            return f"{self.source} via {self.outlet}"
        return self.source


class RowError(ValueError):
    """A market-data row that cannot be imported; ``line`` is 1-based in the file."""

    def __init__(self, line: int, problem: str):
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}")


# --- normalization tables (data files in corpora/market) -----------------------------------

def _read_tsv(name: str) -> list[dict]:
    text = corpora.path("market", name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


def _key(s: str) -> str:
    return " ".join(s.split()).casefold()


@lru_cache(maxsize=1)
def _instrument_table() -> dict[str, dict]:
    return {_key(r["raw"]): r for r in _read_tsv("instruments.tsv")}


@lru_cache(maxsize=1)
def _metric_table() -> dict[str, dict]:
    return {r["raw"]: r for r in _read_tsv("metrics.tsv")}


def normalize_instrument(raw: str) -> tuple[str, str, str, str]:
    """``(instrument id, metric_prefix, metric_override, scope)`` for a free-text instrument name.

    Names not in ``corpora/market/instruments.tsv`` are returned as written (already an id).
    """
    row = _instrument_table().get(_key(raw))
    if row is None:
        return raw.strip(), "", "", ""
    return row["instrument"], row["metric_prefix"], row["metric_override"], row["scope"]


def normalize_metric(raw: str, instrument_raw: str = "") -> tuple[str, str, str]:
    """``(metric, aspect, unit override)`` for a source metric name, applying the instrument's prefix/override."""
    _, prefix, override, _ = normalize_instrument(instrument_raw) if instrument_raw else ("", "", "", "")
    row = _metric_table().get(raw.strip())
    metric, aspect, unit = (row["metric"], row["aspect"], row["unit"]) if row else (raw.strip(), "", "")
    if override:
        metric = override
    elif prefix and not metric.startswith(prefix):
        metric = prefix + metric
    return metric, aspect, unit


# --- row parsing ---------------------------------------------------------------------------

def _dec(s: str) -> Decimal:
    return Decimal(s.replace(",", "").replace("_", ""))


def _outlet(url: str) -> str:
    m = re.match(r"^https?://(?:www\.)?([^/:?#]+)", url or "")
    return m.group(1).lower() if m else ""


def row_to_observation(row: dict, line: int, retrieved_at: str = "") -> Observation:
    """Validate one row (interfaces.md columns, more allowed) and build its Observation.

    Raises RowError naming the line and the problem. A row must name its source
    (``source`` or an http(s) ``source_url``): no value without a source.
    """
    def g(k: str) -> str:
        v = row.get(k)
        return "" if v is None else str(v).strip()

    date = g("date")
    if not _DATE_RE.match(date):
        raise RowError(line, f"bad date {date!r} (want YYYY-MM-DD, YYYY-MM or A/B)")
    inst_raw = g("instrument")
    if not inst_raw:
        raise RowError(line, "missing instrument")
    metric_raw = g("metric")
    if not metric_raw:
        raise RowError(line, "missing metric")
    instrument, _, _, scope = normalize_instrument(inst_raw)
    metric, aspect, unit_override = normalize_metric(metric_raw, inst_raw)
    if not _METRIC_RE.match(metric):
        raise RowError(line, f"bad metric {metric_raw!r} (want snake_case)")
    m = _VALUE_RE.match(g("value").replace(",", ""))
    if not m:
        raise RowError(line, f"bad value {g('value')!r} (want a number or a range a-b)")
    try:
        value = _dec(m.group(1))
        value_high = _dec(m.group(2)) if m.group(2) else (_dec(g("value_high")) if g("value_high") else None)
    except InvalidOperation:
        raise RowError(line, f"bad value {g('value')!r}") from None
    if not value.is_finite() or (value_high is not None and value_high < value):
        raise RowError(line, f"bad value {g('value')!r}")
    unit = unit_override or g("unit")
    if not unit:
        raise RowError(line, "missing unit")
    url = g("source_url")
    if url and not re.match(r"^https?://\S+$", url):
        raise RowError(line, f"bad source_url {url!r} (want http(s)://…)")
    source = g("source") or _outlet(url)
    if not source:
        raise RowError(line, "no source: give source or source_url (no value without a source)")
    qualifier = g("qualifier") or "exact"
    if qualifier not in QUALIFIERS:
        raise RowError(line, f"bad qualifier {qualifier!r} (want one of {', '.join(QUALIFIERS)})")
    quality = g("quality") or "ok"
    if quality not in QUALITIES:
        raise RowError(line, f"bad quality {quality!r} (want ok or low)")
    return Observation(
        date=date, instrument=instrument, metric=metric, value=value, value_high=value_high, unit=unit,
        source=source, source_url=url, retrieved_at=g("retrieved_at") or retrieved_at, quality=quality,
        qualifier=qualifier, notes=g("notes"), aspect=g("aspect") or aspect, scope=g("scope") or scope,
        outlet=g("outlet") or _outlet(url), instrument_raw=g("instrument_raw") or inst_raw,
        metric_raw=g("metric_raw") or metric_raw,
    )


def read_rows(path: Union[str, Path]) -> list[tuple[int, dict]]:
    """Rows of a market file as ``(line number, dict)``: CSV with a header, a JSON array, or JSON Lines.

    Raises InputError when the file cannot be read or parsed at all.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read market file ({type(e).__name__})", str(path)) from None
    stripped = text.lstrip()
    if not stripped:
        raise InputError("empty market file", str(path))
    if stripped[0] in "[{":
        return _json_rows(text, str(path))
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "date" not in reader.fieldnames:
        raise InputError("not a market CSV (want a header with date,instrument,metric,value,unit,source,source_url)",
                         str(path))
    return [(reader.line_num, row) for row in reader]


def _json_rows(text: str, name: str) -> list[tuple[int, dict]]:
    s = text.strip()
    try:
        if s.startswith("["):
            data = json.loads(s)
            if not isinstance(data, list):
                raise ValueError
            return [(i + 1, r if isinstance(r, dict) else {}) for i, r in enumerate(data)]
        out = []
        for i, ln in enumerate(text.splitlines(), 1):
            if ln.strip():
                r = json.loads(ln)
                out.append((i, r if isinstance(r, dict) else {}))
        return out
    except ValueError:
        raise InputError("malformed JSON market file", name) from None


def parse_rows(rows: Iterable[tuple[int, dict]], retrieved_at: str = "") -> tuple[list[Observation], list[RowError]]:
    """Validate rows; returns (good observations, errors by line)."""
    good: list[Observation] = []
    bad: list[RowError] = []
    for line, row in rows:
        try:
            good.append(row_to_observation(row, line, retrieved_at))
        except RowError as e:
            bad.append(e)
    return good, bad


def now_utc() -> str:
    """Current UTC time, ISO seconds (the retrieval time of fetched and imported rows)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# --- the store -----------------------------------------------------------------------------

_COLS = ("date", "instrument", "metric", "value", "value_high", "unit", "aspect", "source", "source_url", "outlet",
         "retrieved_at", "quality", "qualifier", "scope", "instrument_raw", "metric_raw", "notes")


def _canon(v: Decimal) -> str:
    return format(v.normalize(), "f")


def _row_to_obs(r: sqlite3.Row) -> Observation:
    d = dict(r)
    return Observation(
        id=d["id"], date=d["date"], instrument=d["instrument"], metric=d["metric"], value=Decimal(d["value"]),
        value_high=Decimal(d["value_high"]) if d["value_high"] else None, unit=d["unit"], aspect=d["aspect"],
        source=d["source"], source_url=d["source_url"], outlet=d["outlet"], retrieved_at=d["retrieved_at"],
        quality=d["quality"], qualifier=d["qualifier"], scope=d["scope"], instrument_raw=d["instrument_raw"],
        metric_raw=d["metric_raw"], notes=d["notes"],
    )


class MarketStore:
    """Market observations in a SQLite database (the graph's file, or memory).

    ``MarketStore.open(path)`` creates the tables if missing; ``MarketStore(conn)`` wraps an
    open connection (e.g. ``KnowledgeGraph.conn``). The bundled snapshot is loaded on first
    use by :func:`check.snapshot.ensure_snapshot`.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.conn.executescript(_SCHEMA)
        cur = self.conn.execute("SELECT value FROM meta WHERE key='market_schema_version'")
        if cur.fetchone() is None:
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('market_schema_version', ?)",
                              (SCHEMA_VERSION,))
        self.conn.commit()

    @classmethod
    def open(cls, path: Union[str, Path, None] = None) -> "MarketStore":
        """Open (or create) the store in the database file ``path`` (None: in memory)."""
        conn = sqlite3.connect(":memory:" if path is None else str(path))
        return cls(conn)

    def close(self) -> None:
        self.conn.close()

    def meta(self, key: str) -> Optional[str]:
        """A value of the ``meta`` table, or None."""
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
        self.conn.commit()

    def add_many(self, observations: Iterable[Observation]) -> int:
        """Insert observations in one transaction; returns how many were new (duplicates are no-ops)."""
        n = 0
        with self.conn:
            for o in observations:
                vals = {c: getattr(o, c) for c in _COLS}
                # canonical text (4.00 and 4 are one value) so re-imports stay no-ops
                vals["value"] = _canon(o.value)
                vals["value_high"] = "" if o.value_high is None else _canon(o.value_high)
                cur = self.conn.execute(
                    f"INSERT OR IGNORE INTO market_observations ({', '.join(_COLS)}) "
                    f"VALUES ({', '.join('?' for _ in _COLS)})",
                    tuple(vals[c] for c in _COLS),
                )
                n += cur.rowcount
        return n

    def add(self, obs: Observation) -> bool:
        """Insert one observation; False if it was already there."""
        return self.add_many([obs]) == 1

    def find(self, instrument: Optional[str] = None, metric: Optional[str] = None, date: Optional[str] = None,
             start: Optional[str] = None, end: Optional[str] = None, source: Optional[str] = None) -> list[Observation]:
        """Observations matching every given filter (``start``/``end`` bound ISO dates inclusively)."""
        where, args = [], []
        for col, val in (("instrument", instrument), ("metric", metric), ("date", date), ("source", source)):
            if val is not None:
                where.append(f"{col} = ?")
                args.append(val)
        if start is not None:
            where.append("date >= ?")
            args.append(start)
        if end is not None:
            where.append("substr(date, 1, 10) <= ?")
            args.append(end)
        sql = "SELECT * FROM market_observations"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date, instrument, metric, aspect, source, id"
        self.conn.row_factory = sqlite3.Row
        try:
            return [_row_to_obs(r) for r in self.conn.execute(sql, args)]
        finally:
            self.conn.row_factory = None

    def __iter__(self) -> Iterator[Observation]:
        return iter(self.find())

    def count(self) -> int:
        """Number of observations stored."""
        return self.conn.execute("SELECT COUNT(*) FROM market_observations").fetchone()[0]
