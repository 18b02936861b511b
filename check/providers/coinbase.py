"""Coinbase Exchange public daily candles (``/products/{id}/candles``, rows [time, low, high, open, close, volume])."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from ..market import Observation, now_utc
from . import ProviderError, http_get

__all__ = ["parse_candles", "fetch", "candles_url"]

API = "https://api.exchange.coinbase.com/products/{product}/candles?granularity=86400&start={start}&end={end}"
_INSTRUMENT = {"BTC-USD": "Bitcoin", "ETH-USD": "Ether"}
_MAX = 300  # candles per request


def candles_url(product: str, start: str, end: str) -> str:
    return API.format(product=product, start=f"{start}T00:00:00Z", end=f"{end}T23:59:59Z")


def parse_candles(text: str, product: str = "BTC-USD", source_url: str = "", retrieved_at: str = "") -> list[Observation]:
    """Daily low/high/open/close (price_usd) and base volume per UTC day. Raises ValueError on a malformed body."""
    data = json.loads(text)
    if isinstance(data, dict):
        raise ValueError(str(data.get("message") or data))
    if not isinstance(data, list):
        raise ValueError("expected a list of candles")
    inst = _INSTRUMENT.get(product, product)
    base = product.split("-")[0]
    retrieved_at = retrieved_at or now_utc()
    out = []
    for row in data:
        if not isinstance(row, list) or len(row) < 6:
            raise ValueError(f"bad candle {row!r}")
        t = datetime.fromtimestamp(int(row[0]), tz=timezone.utc).date().isoformat()
        common = dict(date=t, instrument=inst, source="Coinbase Exchange", source_url=source_url,
                      retrieved_at=retrieved_at, outlet="api.exchange.coinbase.com", instrument_raw=product,
                      notes="daily candle, UTC day")
        for aspect, v in (("low", row[1]), ("high", row[2]), ("open", row[3]), ("close", row[4])):
            out.append(Observation(metric="price_usd", value=Decimal(str(v)), unit="USD", aspect=aspect,
                                   metric_raw=aspect, **common))
        # Volume on one venue is not the asset's volume: its own instrument id, like the snapshot's.
        out.append(Observation(metric=f"trading_volume_{base.lower()}", value=Decimal(str(row[5])), unit=base,
                               scope="Coinbase", metric_raw="volume", **dict(common, instrument=f"{inst} (Coinbase)")))
    return out


def fetch(start: str, end: str, product: str = "BTC-USD", timeout: float = 20.0) -> list[Observation]:
    """Candles from ``start`` to ``end`` (ISO days), in requests of at most 300 days."""
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    if b < a:
        raise ProviderError(f"coinbase: end {end} is before start {start}; nothing imported")
    out: list[Observation] = []
    while a <= b:
        chunk_end = min(b, a + timedelta(days=_MAX - 1))
        url = candles_url(product, a.isoformat(), chunk_end.isoformat())
        body = http_get(url, "coinbase", timeout)
        try:
            out += parse_candles(body.decode("utf-8"), product, source_url=url)
        except (ValueError, TypeError, UnicodeDecodeError) as e:
            raise ProviderError(f"coinbase: malformed response from {url} ({e}); nothing imported") from None
        a = chunk_end + timedelta(days=1)
    return out
