"""Farside Investors bitcoin-ETF flow table (HTML, US$ millions, one column per ticker plus Total)."""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Optional

from ..market import Observation, now_utc
from . import ProviderError, http_get

__all__ = ["URL", "parse_farside", "fetch"]

URL = "https://farside.co.uk/bitcoin-etf-flow-all-data/"
_MILLION = Decimal(1_000_000)
_TICKER = re.compile(r"^[A-Z]{2,5}$")


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._row: Optional[list[str]] = None
        self._cell: Optional[list[str]] = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _date(s: str) -> Optional[str]:
    for fmt in ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(s.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _millions(s: str) -> Optional[Decimal]:
    """US$ m as written: ``(373.4)`` and ``-373.4`` are outflows; ``-`` or empty is not reported yet."""
    t = s.replace(",", "").replace("$", "").strip()
    if t in ("", "-", "–", "—", "n/a", "N/A"):
        return None
    neg = t.startswith("(") and t.endswith(")")
    t = t.strip("()")
    try:
        v = Decimal(t)
    except InvalidOperation:
        raise ValueError(f"unreadable flow value {s!r}") from None
    return (-v if neg else v) * _MILLION


def parse_farside(html_text: str, source_url: str = URL, retrieved_at: str = "") -> list[Observation]:
    """Net-flow observations (USD) per ticker and for the Total column, one per reported cell.

    Raises ValueError when no flow table is found.
    """
    p = _Rows()
    p.feed(html_text)
    header = None
    for row in p.rows:
        if "IBIT" in row and any(c.lower() == "total" for c in row):
            header = row
            break
    if header is None:
        raise ValueError("no bitcoin ETF flow table (no header row with IBIT … Total)")
    retrieved_at = retrieved_at or now_utc()
    out: list[Observation] = []
    for row in p.rows:
        if not row or row is header:
            continue
        day = _date(row[0])
        if day is None:
            continue  # header, Total/Average/Maximum/Minimum summary rows
        for name, cell in zip(header[1:], row[1:]):
            name = name.strip()
            if name.lower() == "total":
                inst = "US spot bitcoin ETFs"
            elif _TICKER.match(name):
                inst = name
            else:
                continue
            v = _millions(cell)
            if v is None:
                continue
            out.append(Observation(date=day, instrument=inst, metric="net_flow_usd", value=v, unit="USD",
                                   source="Farside Investors", source_url=source_url, retrieved_at=retrieved_at,
                                   outlet="farside.co.uk", instrument_raw=name, metric_raw="flow_usd_m",
                                   notes="Farside table, US$ m"))
    if not out:
        raise ValueError("flow table has no dated rows")
    return out


def fetch(start: Optional[str] = None, end: Optional[str] = None, timeout: float = 20.0) -> list[Observation]:
    """Download the Farside table and keep rows from ``start`` to ``end`` (ISO days, inclusive)."""
    body = http_get(URL, "farside", timeout)
    try:
        obs = parse_farside(body.decode("utf-8", errors="replace"))
    except ValueError as e:
        raise ProviderError(f"farside: malformed response from {URL} ({e}); nothing imported") from None
    return [o for o in obs if (not start or o.date >= start) and (not end or o.date <= end)]
