"""Providers parse fixtures in each source's documented format offline; network failures change nothing."""
from __future__ import annotations

import io
import socket
import urllib.error
from decimal import Decimal
from pathlib import Path

import pytest

from check.market import MarketStore
from check.providers import ProviderError, http_get
from check.providers import coinbase, farside, fred, mof

DATA = Path(__file__).parent / "data" / "market"


from conftest import run_cli as run  # noqa: E402  (shared CLI runner)


def test_farside_table():
    obs = farside.parse_farside((DATA / "farside_sample.html").read_text(encoding="utf-8"))
    by = {(o.date, o.instrument): o.value for o in obs}
    assert by[("2026-02-04", "IBIT")] == Decimal("-373400000.0")       # (373.4) in parentheses
    assert by[("2026-02-05", "IBIT")] == Decimal("-175300000.0")       # written minus
    assert by[("2026-02-05", "FBTC")] == Decimal("1234500000.0")       # thousands separator
    assert by[("2026-02-04", "US spot bitcoin ETFs")] == Decimal("-544900000.0")
    assert ("2026-02-04", "ARKB") not in by                            # "-" = not reported yet
    assert ("2026-02-05", "US spot bitcoin ETFs") not in by
    assert by[("2026-02-03", "BITB")] == 0
    assert all(o.source == "Farside Investors" and o.source_url.startswith("https://") for o in obs)
    assert not any(o.date.startswith("Total") for o in obs)            # summary rows skipped


def test_farside_malformed():
    with pytest.raises(ValueError):
        farside.parse_farside("<html><body><p>Just a moment...</p></body></html>")
    with pytest.raises(ValueError):
        farside.parse_farside("<table><tr><th>Date</th><th>IBIT</th><th>Total</th></tr>"
                              "<tr><td>04 Feb 2026</td><td>abc</td><td>1</td></tr></table>")


def test_coinbase_candles():
    obs = coinbase.parse_candles((DATA / "coinbase_candles.json").read_text(), "BTC-USD", "https://api.example/c")
    closes = {o.date: o.value for o in obs if o.aspect == "close"}
    assert closes == {"2026-02-06": Decimal("70555.12"), "2026-02-05": Decimal("62909.9"), "2026-02-04": Decimal("73050.5")}
    lows = {o.date: o.value for o in obs if o.aspect == "low"}
    assert lows["2026-02-05"] == Decimal("60008")
    vol = [o for o in obs if o.metric == "trading_volume_btc"]
    assert len(vol) == 3 and all(o.instrument == "Bitcoin (Coinbase)" for o in vol)
    with pytest.raises(ValueError):
        coinbase.parse_candles('{"message": "NotFound"}')
    with pytest.raises(ValueError):
        coinbase.parse_candles("[[1770336000, 1]]")


def test_coinbase_candles_feed_percent_move():
    """Candles give the closes a percent-move claim is checked against (−13.9% on 2026-02-05)."""
    from check.verdict import check_figure

    s = MarketStore.open()
    s.add_many(coinbase.parse_candles((DATA / "coinbase_candles.json").read_text()))
    fig = dict(surface="13.9%", start=0, end=5, value=Decimal("13.9"), unit="pct", approx="eq", sign="-",
               subject="Bitcoin", metric="price_change_pct", date="2026-02-05", checkable=True)
    v = check_figure(fig, s)
    assert v.verdict == "supported" and "previous close" in v.derived
    fig["value"] = Decimal("10.1")
    assert check_figure(fig, s).verdict == "contradicted"


def test_fred_csv_both_headers_and_missing_values():
    obs = fred.parse_fred((DATA / "fred_DGS10.csv").read_text(), "DGS10")
    assert [o.date for o in obs] == ["2025-09-17", "2025-09-18", "2025-09-19", "2025-09-23"]  # "." skipped
    assert obs[0].instrument == "US 10Y Treasury" and obs[0].metric == "yield_pct" and obs[0].value == Decimal("4.08")
    obs = fred.parse_fred((DATA / "fred_DEXJPUS_old_header.csv").read_text(), "DEXJPUS")
    assert [o.date for o in obs] == ["2026-01-20", "2026-01-22"] and obs[0].unit == "JPY_per_USD"
    lo = fred.parse_fred((DATA / "fred_DFEDTARL.csv").read_text(), "DFEDTARL")
    hi = fred.parse_fred((DATA / "fred_DFEDTARU.csv").read_text(), "DFEDTARU")
    band = fred.combine_target_range(lo, hi)
    assert [(o.date, o.value, o.value_high) for o in band] == [
        ("2025-09-16", Decimal("4.25"), Decimal("4.50")), ("2025-09-17", Decimal("4.00"), Decimal("4.25"))]
    with pytest.raises(ValueError):
        fred.parse_fred("<html>error</html>", "DGS10")
    with pytest.raises(ValueError):
        fred.parse_fred("observation_date,DGS10\n2025-09-17,abc\n", "DGS10")


def test_mof_csv():
    obs = mof.parse_mof((DATA / "mof_jgbcme.csv").read_text(), tenors={10, 40})
    by = {(o.date, o.instrument): o.value for o in obs}
    assert by[("2026-01-20", "JGB 40Y")] == Decimal("4.150")
    assert by[("2026-01-19", "JGB 10Y")] == Decimal("2.180")
    assert {o.instrument for o in obs} == {"JGB 10Y", "JGB 40Y"}
    all_obs = mof.parse_mof((DATA / "mof_jgbcme.csv").read_text())
    assert ("2026-01-21", "JGB 4Y") not in {(o.date, o.instrument) for o in all_obs}  # "-" skipped
    assert mof._decode("Date,1Y\n".encode("cp932")) == "Date,1Y\n"
    with pytest.raises(ValueError):
        mof.parse_mof("no header here\n1,2,3\n")


class _Boom:
    def __init__(self, exc):
        self.exc = exc

    def __call__(self, req, timeout):
        raise self.exc


@pytest.mark.parametrize("exc,words", [
    (urllib.error.URLError(socket.timeout("timed out")), "timed out"),
    (urllib.error.URLError(OSError("Name or service not known")), "cannot reach"),
    (urllib.error.HTTPError("https://x", 503, "Service Unavailable", {}, io.BytesIO(b"")), "HTTP 503"),
    (TimeoutError(), "timed out"),
    (ConnectionResetError("reset"), "network error"),
])
def test_http_errors_are_one_line(exc, words):
    with pytest.raises(ProviderError) as ei:
        http_get("https://example.invalid/x", "fred", timeout=1, opener=_Boom(exc))
    msg = str(ei.value)
    assert words in msg and "nothing imported" in msg and "\n" not in msg


@pytest.mark.parametrize("provider,args,module", [
    ("farside", [], farside),
    ("coinbase", ["--start", "2026-02-01", "--end", "2026-02-06"], coinbase),
    ("fred", ["--series", "DGS10", "--start", "2025-09-01", "--end", "2025-09-30"], fred),
    ("mof", [], mof),
])
def test_fetch_cli_failure_changes_nothing(tmp_path, capsys, monkeypatch, provider, args, module):
    db = str(tmp_path / "m.db")
    assert run("market", "list", "--db", db) == 0
    before = MarketStore.open(db).count()

    def offline(url, name, timeout=20.0, opener=None):
        raise ProviderError(f"{name}: cannot reach {url} (network is unreachable); nothing imported")

    monkeypatch.setattr(module, "http_get", offline)
    capsys.readouterr()
    assert run("market", "fetch", provider, *args, "--db", db) == 1
    err = [l for l in capsys.readouterr().err.splitlines() if l.strip()]
    assert len(err) == 1 and "nothing imported" in err[0] and "Traceback" not in err[0]
    assert MarketStore.open(db).count() == before


def test_fetch_cli_malformed_response_changes_nothing(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "m.db")
    monkeypatch.setattr(fred, "http_get", lambda url, name, timeout=20.0, opener=None: b"<html>oops</html>")
    assert run("market", "fetch", "fred", "--series", "DGS10", "--db", db) == 1
    err = capsys.readouterr().err
    assert "malformed response" in err and "Traceback" not in err
    assert MarketStore.open(db).find(instrument="US 10Y Treasury", source="FRED") == []


def test_fetch_cli_success_imports(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "m.db")
    body = (DATA / "coinbase_candles.json").read_bytes()
    monkeypatch.setattr(coinbase, "http_get", lambda url, name, timeout=20.0, opener=None: body)
    assert run("market", "fetch", "coinbase", "--start", "2026-02-04", "--end", "2026-02-06", "--db", db) == 0
    assert "15 observations fetched, 15 new" in capsys.readouterr().out
    assert len(MarketStore.open(db).find(instrument="Bitcoin", source="Coinbase Exchange")) == 12


def test_fetch_cli_usage_errors(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    assert run("market", "fetch", "nope", "--db", db) == 1
    assert "unknown provider" in capsys.readouterr().err
    assert run("market", "fetch", "fred", "--db", db) == 1
    assert "--series" in capsys.readouterr().err
    assert run("market", "fetch", "coinbase", "--start", "yesterday", "--db", db) == 1
    assert "not a date" in capsys.readouterr().err
