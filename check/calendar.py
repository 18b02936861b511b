"""Trading days of the US equity market (when US spot ETF flows are reported)."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import corpora

__all__ = ["is_trading_day", "prev_trading_day", "next_trading_day", "trading_days", "parse_day"]


@lru_cache(maxsize=1)
def _holidays() -> frozenset[str]:
    text = corpora.path("market", "us_market_holidays.txt").read_text(encoding="utf-8")
    return frozenset(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def parse_day(s: str) -> date:
    """``date`` for an ISO day string (raises ValueError)."""
    return date.fromisoformat(s[:10])


def is_trading_day(d: date) -> bool:
    """True on weekdays that are not NYSE holidays."""
    return d.weekday() < 5 and d.isoformat() not in _holidays()


def prev_trading_day(d: date) -> date:
    """The trading day before ``d``."""
    d -= timedelta(days=1)
    while not is_trading_day(d):
        d -= timedelta(days=1)
    return d


def next_trading_day(d: date) -> date:
    """The trading day after ``d``."""
    d += timedelta(days=1)
    while not is_trading_day(d):
        d += timedelta(days=1)
    return d


def trading_days(a: date, b: date) -> list[date]:
    """Trading days from ``a`` to ``b`` inclusive (empty if b < a; capped at ~2 years)."""
    out = []
    d = a
    while d <= b and len(out) < 600:
        if is_trading_day(d):
            out.append(d)
        d += timedelta(days=1)
    return out
