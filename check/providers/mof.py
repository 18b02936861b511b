"""Japan Ministry of Finance JGB closing yields CSV (title line, then ``Date,1Y,…,40Y``; dates ``2026/1/20``)."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Optional

from ..market import Observation, now_utc
from . import ProviderError, http_get

__all__ = ["CURRENT_URL", "HISTORY_URL", "parse_mof", "fetch"]

CURRENT_URL = "https://www.mof.go.jp/english/policy/jgbs/reference/interest_rate/jgbcme.csv"
HISTORY_URL = "https://www.mof.go.jp/english/policy/jgbs/reference/interest_rate/historical/jgbcme_all.csv"
_TENOR = re.compile(r"^(\d{1,2})Y$")
_DATE = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")


def _decode(body: bytes) -> str:
    for enc in ("utf-8-sig", "cp932"):
        try:
            return body.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValueError("undecodable CSV")


def parse_mof(text: str, source_url: str = CURRENT_URL, tenors: Optional[set[int]] = None,
              retrieved_at: str = "") -> list[Observation]:
    """Yield observations ``JGB {n}Y`` / yield_pct per date and tenor; ``-`` (missing) is skipped.

    Raises ValueError when no ``Date,1Y,…`` header is found.
    """
    rows = list(csv.reader(io.StringIO(text)))
    hi = next((i for i, r in enumerate(rows) if r and r[0].strip().lower() == "date"), None)
    if hi is None:
        raise ValueError("no 'Date,1Y,…' header")
    header = [c.strip() for c in rows[hi]]
    cols = []
    for j, c in enumerate(header[1:], 1):
        m = _TENOR.match(c)
        if m and (tenors is None or int(m.group(1)) in tenors):
            cols.append((j, int(m.group(1))))
    if not cols:
        raise ValueError("no tenor columns")
    retrieved_at = retrieved_at or now_utc()
    out = []
    for r in rows[hi + 1:]:
        if not r or not r[0].strip():
            continue
        m = _DATE.match(r[0].strip())
        if not m:
            continue  # notes and footers
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        for j, n in cols:
            v = r[j].strip() if j < len(r) else ""
            if v in ("", "-"):
                continue
            try:
                val = Decimal(v)
            except InvalidOperation:
                raise ValueError(f"bad yield {v!r} on {d}") from None
            out.append(Observation(date=d, instrument=f"JGB {n}Y", metric="yield_pct", value=val, unit="pct",
                                   source="Japan Ministry of Finance", source_url=source_url,
                                   retrieved_at=retrieved_at, outlet="mof.go.jp", instrument_raw=f"{n}Y",
                                   metric_raw="closing yield", notes="MOF closing yield (intraday highs can differ)"))
    return out


def fetch(start: Optional[str] = None, end: Optional[str] = None, tenors: Optional[set[int]] = None,
          history: bool = False, timeout: float = 30.0) -> list[Observation]:
    """Download the current-month file (or the full history) and keep ``start`` … ``end``."""
    url = HISTORY_URL if history else CURRENT_URL
    body = http_get(url, "mof", timeout)
    try:
        obs = parse_mof(_decode(body), url, tenors)
    except ValueError as e:
        raise ProviderError(f"mof: malformed response from {url} ({e}); nothing imported") from None
    return [o for o in obs if (not start or o.date >= start) and (not end or o.date <= end)]
