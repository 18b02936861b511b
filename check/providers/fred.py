"""FRED series CSV (``fredgraph.csv?id=SERIES``): header ``observation_date,SERIES`` (or ``DATE,SERIES``)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..market import Observation, _read_tsv, now_utc
from . import ProviderError, http_get

__all__ = ["parse_fred", "fetch", "series_url", "known_series"]

API = "https://fred.stlouisfed.org/graph/fredgraph.csv?id={series}&cosd={start}&coed={end}"


@lru_cache(maxsize=1)
def known_series() -> dict[str, dict]:
    """Series the provider maps to instruments (corpora/market/fred_series.tsv)."""
    return {r["series"]: r for r in _read_tsv("fred_series.tsv")}


def series_url(series: str, start: str, end: str) -> str:
    return API.format(series=series, start=start, end=end)


def parse_fred(text: str, series: str, source_url: str = "", retrieved_at: str = "") -> list[Observation]:
    """Observations of one series; missing values (``.`` or empty) are skipped. Raises ValueError if malformed."""
    info = known_series().get(series)
    if info is None:
        raise ValueError(f"unknown series {series} (known: {', '.join(sorted(known_series()))})")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header or len(header) < 2 or header[0].strip().lower() not in ("observation_date", "date") \
            or header[1].strip() != series:
        raise ValueError(f"unexpected header {header!r} (want observation_date,{series})")
    retrieved_at = retrieved_at or now_utc()
    out = []
    for row in reader:
        if not row:
            continue
        d, v = row[0].strip(), (row[1].strip() if len(row) > 1 else "")
        if v in ("", "."):
            continue
        try:
            val = Decimal(v)
        except InvalidOperation:
            raise ValueError(f"bad value {v!r} on {d}") from None
        out.append(Observation(date=d, instrument=info["instrument"], metric=info["metric"], value=val,
                               unit=info["unit"], aspect=info["aspect"], source="FRED", source_url=source_url,
                               retrieved_at=retrieved_at, outlet="fred.stlouisfed.org", instrument_raw=series,
                               metric_raw=series))
    return out


def combine_target_range(lower: list[Observation], upper: list[Observation]) -> list[Observation]:
    """One range observation per day from DFEDTARL (lower) and DFEDTARU (upper)."""
    up = {o.date: o for o in upper}
    out = []
    for lo in lower:
        hi = up.get(lo.date)
        if hi is None:
            continue
        out.append(Observation(date=lo.date, instrument=lo.instrument, metric=lo.metric, value=lo.value,
                               value_high=hi.value, unit="pct", source="FRED", source_url=hi.source_url,
                               retrieved_at=lo.retrieved_at, outlet=lo.outlet, instrument_raw="DFEDTARL/DFEDTARU",
                               metric_raw="fed funds target range"))
    return out


def fetch(series: list[str], start: str, end: str, timeout: float = 20.0) -> list[Observation]:
    """Download each series (``fedfunds`` = the target range DFEDTARL/DFEDTARU)."""
    wanted = []
    for s in series:
        wanted += ["DFEDTARL", "DFEDTARU"] if s.lower() in ("fedfunds", "fed_target", "dfedtar") else [s.upper()]
    got: dict[str, list[Observation]] = {}
    for s in wanted:
        if s not in known_series():
            raise ProviderError(f"fred: unknown series {s} (known: {', '.join(sorted(known_series()))}, fedfunds); "
                                "nothing imported")
        url = series_url(s, start, end)
        body = http_get(url, "fred", timeout)
        try:
            got[s] = parse_fred(body.decode("utf-8"), s, source_url=url)
        except (ValueError, UnicodeDecodeError) as e:
            raise ProviderError(f"fred: malformed response from {url} ({e}); nothing imported") from None
    out: list[Observation] = []
    if "DFEDTARL" in got and "DFEDTARU" in got:
        out += combine_target_range(got.pop("DFEDTARL"), got.pop("DFEDTARU"))
    for obs in got.values():
        out += obs
    return out
