"""Market data store, row validation, import command and the bundled snapshot."""
from __future__ import annotations

import csv
import json
import sqlite3
from decimal import Decimal

import pytest

import corpora
from check.build_snapshot import build, source_from_notes
from check.market import MarketStore, Observation, normalize_instrument, normalize_metric, parse_rows, read_rows
from check.snapshot import ensure_snapshot, snapshot_path
from extract.errors import InputError

from pathlib import Path

DATA = Path(__file__).parent / "data" / "market"


from conftest import run_cli as run  # noqa: E402  (shared CLI runner)


def obs(**kw) -> Observation:
    base = dict(date="2026-02-04", instrument="IBIT", metric="net_flow_usd", value=Decimal("-373440000"), unit="USD",
                source="SoSoValue", source_url="https://example.com/a")
    base.update(kw)
    return Observation(**base)


def test_store_keeps_sources_side_by_side_and_reimport_is_noop():
    s = MarketStore.open()
    assert s.add(obs())
    assert not s.add(obs())  # same row again: no-op
    assert s.add(obs(value=Decimal("-373400000"), source="Farside Investors", source_url="https://farside.co.uk/x"))
    rows = s.find(instrument="IBIT", metric="net_flow_usd", date="2026-02-04")
    assert len(rows) == 2
    assert {r.source for r in rows} == {"SoSoValue", "Farside Investors"}
    assert all(isinstance(r.value, Decimal) for r in rows)
    assert s.meta("market_schema_version") == "1"


def test_store_in_graph_file_keeps_other_tables(tmp_path):
    db = tmp_path / "g.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.commit()
    con.close()
    s = MarketStore.open(db)
    s.add(obs())
    assert s.meta("schema_version") == "1"
    assert s.count() == 1


def test_normalization_tables():
    assert normalize_instrument("US spot BTC ETFs (total)")[0] == "US spot bitcoin ETFs"
    assert normalize_instrument("BTC/USD")[0] == "Bitcoin"
    assert normalize_instrument("JGB 40-year")[0] == "JGB 40Y"
    assert normalize_instrument("UST 10-year")[0] == "US 10Y Treasury"
    assert normalize_instrument("Some New Fund")[0] == "Some New Fund"
    assert normalize_metric("close") == ("price_usd", "close", "")
    assert normalize_metric("pct_change")[0] == "price_change_pct"
    assert normalize_metric("volume_usd")[0] == "trading_volume_usd"
    assert normalize_metric("fx_rate") == ("fx_level", "", "JPY_per_USD")
    assert normalize_metric("net_flow_usd_weekly") == ("net_flow_usd", "sum", "")
    assert normalize_metric("volume_contracts", "IBIT options")[0] == "options_volume_contracts"


def test_row_validation_reports_lines():
    good, bad = parse_rows(read_rows(DATA / "bad_rows.csv"))
    assert [e.line for e in bad] == [3, 4, 5]
    assert "bad date" in str(bad[0]) and "bad value" in str(bad[1]) and "no source" in str(bad[2])
    assert len(good) == 2


def test_range_values_and_json_lines():
    good, bad = parse_rows([(1, {"date": "2025-09-17", "instrument": "Fed funds target range", "metric": "policy_rate_pct",
                                 "value": "4.00-4.25", "unit": "pct", "source_url": "https://example.org/fomc"})])
    assert not bad
    o = good[0]
    assert (o.instrument, o.value, o.value_high, o.source) == ("Federal Reserve", Decimal("4.00"), Decimal("4.25"), "example.org")
    good, bad = parse_rows(read_rows(DATA / "good_rows.jsonl"))
    assert not bad and [o.instrument for o in good] == ["Gold", "JGB 10Y"]


def test_read_rows_refuses_unreadable(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_rows(tmp_path / "missing.csv")
    p = tmp_path / "x.csv"
    p.write_text("just,some\ntext,here\n")
    with pytest.raises(InputError, match="not a market CSV"):
        read_rows(p)
    p.write_text("[{\"date\": ")
    with pytest.raises(InputError, match="malformed JSON"):
        read_rows(p)


def test_import_cli_bad_rows_import_nothing_unless_skip_bad(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    assert run("market", "import", str(DATA / "bad_rows.csv"), "--db", db) == 1
    err = capsys.readouterr().err
    assert "line 3" in err and "line 4" in err and "line 5" in err and "nothing imported" in err
    assert "Traceback" not in err
    s = MarketStore.open(db)
    assert s.find(instrument="FBTC", date="2026-02-05") == []  # nothing from the file
    assert run("market", "import", str(DATA / "bad_rows.csv"), "--db", db, "--skip-bad") == 0
    assert "imported 2 new" in capsys.readouterr().out
    assert len(MarketStore.open(db).find(instrument="FBTC", date="2026-02-05")) == 1
    assert run("market", "import", str(DATA / "bad_rows.csv"), "--db", db, "--skip-bad") == 0
    assert "imported 0 new" in capsys.readouterr().out


def test_list_cli_shows_snapshot(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    assert run("market", "list", "--db", db, "--instrument", "IBIT", "--metric", "net_flow_usd", "--json") == 0
    rows = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert any(r["date"] == "2026-02-04" and r["value"] == -373440000 for r in rows)
    assert all(r["source_url"].startswith("http") for r in rows)


def test_bundled_snapshot_is_clean_and_sourced():
    good, bad = parse_rows(read_rows(snapshot_path()))
    assert not bad
    assert len(good) >= 150
    assert all(o.source and o.source_url.startswith(("http://", "https://")) for o in good)
    low = [o for o in good if o.quality == "low"]
    assert low and all(o.quality == "low" for o in good if "skalinin.blogspot.com" in o.source_url)
    # disagreeing sources are both kept (Farside vs SoSoValue, 2026-01-20)
    vals = {o.value for o in good if o.date == "2026-01-20" and o.instrument == "US spot bitcoin ETFs"
            and o.metric == "net_flow_usd"}
    assert vals == {Decimal("-483380000"), Decimal("-479700000")}
    s = MarketStore.open()
    assert ensure_snapshot(s) == len(good)
    assert ensure_snapshot(s) == 0


def test_build_snapshot_on_own_rows():
    rows = [
        {"date": "2026-03-03", "instrument": "BTC/USD", "metric": "close", "value": "88000", "unit": "USD",
         "qualifier": "exact", "source_url": "https://blog.example.net/p", "notes": "Personal blog; Reuters says 87k"},
        {"date": "2026-03-03", "instrument": "US spot BTC ETFs (total)", "metric": "net_flow_usd", "value": "-1000",
         "unit": "USD", "qualifier": "approx", "source_url": "https://news.example.com/q", "notes": "SoSoValue; CONFLICTS with Farside"},
    ]
    out = build(rows, "2026-03-04")
    by_inst = {r["instrument"]: r for r in out}
    assert by_inst["Bitcoin"]["quality"] == "low" and by_inst["Bitcoin"]["aspect"] == "close"
    assert by_inst["US spot bitcoin ETFs"]["source"] == "SoSoValue"
    assert by_inst["US spot bitcoin ETFs"]["instrument_raw"] == "US spot BTC ETFs (total)"
    assert source_from_notes("CONFLICT: CryptoSlate says otherwise", "https://x.example/a") == "x.example"
    with pytest.raises(ValueError):
        build([dict(rows[0], source_url="")], "2026-03-04")


def test_snapshot_columns_documented():
    readme = corpora.path("market", "README.md").read_text(encoding="utf-8")
    with open(snapshot_path(), encoding="utf-8") as f:
        header = next(csv.reader(f))
    for col in ("date", "instrument", "metric", "value", "unit", "source", "source_url", "quality"):
        assert col in header and col in readme


def test_list_json_round_trips_through_import(tmp_path, capsys):
    db, db2 = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert run("market", "list", "--db", db, "--instrument", "Federal Reserve", "--json") == 0
    out = capsys.readouterr().out
    p = tmp_path / "fed.jsonl"
    p.write_text(out, encoding="utf-8")
    assert run("market", "import", str(p), "--db", db2) == 0
    assert "imported 0 new" in capsys.readouterr().out  # the snapshot rows are already there
    rows = MarketStore.open(db2).find(instrument="Federal Reserve", metric="policy_rate_pct")
    assert any(o.value_high is not None for o in rows)
