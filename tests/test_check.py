"""Verdict rules on hand-made figures and observations (markets beyond the seeds: gold, JGBs, FX, equities)."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from check.market import MarketStore, Observation
from check.snapshot import ensure_snapshot
from check.verdict import check_figure, check_record, stated_interval, Interval, quote_sentence


def O(date, instrument, metric, value, unit="USD", source="Farside Investors", url=None, **kw) -> Observation:
    return Observation(date=date, instrument=instrument, metric=metric, value=D(str(value)), unit=unit, source=source,
                       source_url=url or f"https://data.example.com/{instrument}/{metric}/{date}/{source}".replace(" ", "_"),
                       **kw)


def F(surface, value=None, unit="USD", approx="eq", sign=None, subject="IBIT", metric="net_flow_usd",
      date="2026-02-04", checkable=True, **kw) -> dict:
    return dict(surface=surface, start=0, end=len(surface), value=None if value is None else D(str(value)), unit=unit,
                approx=approx, sign=sign, subject=subject, metric=metric, date=date, checkable=checkable, **kw)


@pytest.fixture()
def store():
    s = MarketStore.open()
    s.add_many([
        O("2026-02-04", "IBIT", "net_flow_usd", -373400000),
        O("2026-02-04", "IBIT", "net_flow_usd", -373440000, source="SoSoValue"),
        O("2026-02-05", "IBIT", "net_flow_usd", 231000000),
        O("2026-03-10", "GLD", "net_flow_usd", 512000000),
        O("2026-03-11", "GLD", "net_flow_usd", -20000000),
        O("2026-03-12", "GLD", "net_flow_usd", 108000000),
        O("2026-03-13", "GLD", "net_flow_usd", 250000000),
        O("2026-03-16", "GLD", "net_flow_usd", 150000000),
        O("2026-03-02", "Gold", "price_usd", 2900, aspect="close", source="LBMA"),
        O("2026-03-03", "Gold", "price_usd", 3016, aspect="close", source="LBMA"),
        O("2026-03-03", "Gold", "price_usd", 2890, aspect="low", source="LBMA"),
        O("2026-03-03", "Gold", "price_usd", 3050, aspect="high", source="LBMA"),
        O("2026-01-20", "JGB 40Y", "yield_pct", "4.215", unit="pct", source="Japan Ministry of Finance"),
        O("2026-01-19", "JGB 40Y", "yield_pct", "3.87", unit="pct", source="Japan Ministry of Finance"),
        O("2026-01-20", "USD/JPY", "fx_level", "158.44", unit="JPY_per_USD", source="Reuters"),
        O("2026-01-20", "USD/JPY", "fx_level", "161.9", unit="JPY_per_USD", source="blog.example", quality="low"),
        O("2026-02-05", "IBIT", "shares_outstanding", 800000000, unit="shares", source="iShares"),
        O("2026-02-06", "IBIT", "shares_outstanding", 806100000, unit="shares", source="iShares"),
        O("2026-02-05", "IBIT", "trading_volume_usd", 10000000000, qualifier="over", source="CoinDesk"),
        O("2025-11", "IBIT", "trading_volume_usd", 5000000000, aspect="prior_record", source="Bloomberg"),
        O("2026-02-10", "Nasdaq Composite", "price_change_pct", "-2.1", unit="pct", source="Reuters"),
        O("2026-02-10", "Nasdaq Composite", "price_change_pct", "-2.4", unit="pct", source="CNBC"),
    ])
    return s


def test_precision_interval():
    iv, h = stated_interval(D(230000000), "eq", "2.3 亿美元")
    assert (iv.lo, iv.hi, h) == (D(225000000), D(235000000), D(5000000))
    iv, _ = stated_interval(D(-370000000), "approx", "3.7 亿美元")
    assert (iv.lo, iv.hi) == (D("-388500000.00"), D("-351500000.00"))
    iv, _ = stated_interval(D(72000), "eq", "72,000美元")
    assert (iv.lo, iv.hi) == (D(71500), D(72500))
    iv, _ = stated_interval(D(72000), "under", "72,000美元")
    assert iv.lo == D("68400.00") and iv.hi == D(72000)
    iv, _ = stated_interval(D(-530000000), "over", "5.3 亿美元")
    assert iv.hi == D(-530000000) and iv.lo == D("-Infinity")


def test_redemption_supported_and_mutations_are_not(store):
    v = check_figure(F("3.7 亿美元", 370000000, approx="approx", sign="-"), store, "d")
    assert v.verdict == "supported"
    assert v.evidence and any(e.matches and e.obs.source == "Farside Investors" and e.obs.source_url for e in v.evidence)
    assert "−3.885 亿" in v.detail and "−3.515 亿" in v.detail and "Farside" in v.detail
    # 10x the amount
    assert check_figure(F("37 亿美元", 3700000000, approx="approx", sign="-"), store).verdict == "contradicted"
    # 申购 instead of 赎回: the direction no longer agrees
    assert check_figure(F("3.7 亿美元", 370000000, approx="approx", sign="+"), store).verdict == "contradicted"
    # a date with no data is unverifiable, never supported
    v = check_figure(F("3.7 亿美元", 370000000, approx="approx", sign="-", date="2026-01-12"), store)
    assert v.verdict == "unverifiable" and not any(e.matches for e in v.evidence)


def test_written_minus_is_the_sign(store):
    assert check_figure(F("-3.7 億美元", -370000000, sign="-"), store).verdict == "supported"
    assert check_figure(F("-3.7 億美元", -370000000), store).verdict == "supported"


def test_next_day_publication_is_said_not_silent(store):
    # a flow dated by its publication day (Saturday 2026-02-07 has no data; Friday has none either here)
    v = check_figure(F("2.3 亿美元", 230000000, approx="over", sign="+", date="2026-02-06"), store)
    assert v.verdict == "supported"
    assert v.date_shift == "2026-02-06 → 2026-02-05"
    assert "previous trading day" in v.detail and "published the next morning" in v.detail
    # stated date has data that contradicts; the previous day matches -> still contradicted, and said
    v = check_figure(F("3.7 亿美元", 370000000, approx="approx", sign="-", date="2026-02-05"), store)
    assert v.verdict == "contradicted"
    assert "previous trading day, 2026-02-04" in v.detail
    # the figure only matches the next trading day: not supported
    v = check_figure(F("2.3 亿美元", 230000000, approx="over", sign="+", date="2026-02-04"), store)
    assert v.verdict == "contradicted" and "next trading day, 2026-02-05" in v.detail


def test_not_checkable_and_missing_date(store):
    v = check_figure(F("5 亿至 10 亿美元", None, range=[D(500000000), D(1000000000)], checkable=False), store)
    assert v.verdict == "not_checkable" and "Forecasts" in v.rule
    v = check_figure(F("3.7 亿美元", 370000000, date=None), store)
    assert v.verdict == "unverifiable" and "no date" in v.detail
    assert check_figure(F("3.7 亿美元", 370000000, subject=None), store) is None


def test_sum_over_period(store):
    # 连续 5 个交易日 … 累计净流入约 10 亿美元 (GLD, 2026-03-10 … 2026-03-16: 1000 M)
    v = check_figure(F("10 亿美元", 1000000000, approx="approx", sign="+", subject="GLD",
                       date="2026-03-10/2026-03-16"), store)
    assert v.verdict == "supported" and "sum of 5 trading days" in v.detail
    v = check_figure(F("20 亿美元", 2000000000, sign="+", subject="GLD", date="2026-03-10/2026-03-16"), store)
    assert v.verdict == "contradicted"
    v = check_figure(F("20 亿美元", 2000000000, subject="GLD", date="2026-03-10/2026-03-20"), store)
    assert v.verdict == "unverifiable" and "covers 5 of 9 trading days" in v.detail


def test_percent_move_from_closes_gold(store):
    # 金价 3 月 3 日上涨 4%  (2900 -> 3016 = +4.0%)
    v = check_figure(F("4%", 4, unit="pct", sign="+", subject="Gold", metric="price_change_pct", date="2026-03-03"),
                     store)
    assert v.verdict == "supported" and "previous close" in v.derived
    v = check_figure(F("4%", 4, unit="pct", sign="-", subject="Gold", metric="price_change_pct", date="2026-03-03"),
                     store)
    assert v.verdict == "contradicted"


def test_price_inside_day_range_and_range_ends(store):
    v = check_figure(F("2,950 美元", 2950, subject="Gold", metric="price_usd", date="2026-03-03"), store)
    assert v.verdict == "supported" and "range" in (v.derived or "")
    v = check_figure(F("3,200 美元", 3200, subject="Gold", metric="price_usd", date="2026-03-03"), store)
    assert v.verdict == "contradicted"
    v = check_figure(F("2890-3050 美元", None, range=[D(2890), D(3050)], subject="Gold", metric="price_usd",
                       date="2026-03-03"), store)
    assert v.verdict == "supported" and "end by end" in v.rule
    v = check_figure(F("2700-3050 美元", None, range=[D(2700), D(3050)], subject="Gold", metric="price_usd",
                       date="2026-03-03"), store)
    assert v.verdict == "contradicted"


def test_change_end_by_end_jgb(store):
    # 40 年期日债收益率从 3.87% 升至 4.2%
    fig = F("从 3.87% 升至 4.2%", None, unit="pct", sign="+", subject="JGB 40-year", metric="yield_pct",
            date="2026-01-19/2026-01-20", change={"from": D("3.87"), "to": D("4.2")})
    v = check_figure(fig, store)
    assert v.verdict == "supported", v.detail
    fig["change"] = {"from": D("3.5"), "to": D("4.2")}
    assert check_figure(fig, store).verdict == "contradicted"


def test_low_quality_only_and_disagreeing_sources(store):
    v = check_figure(F("162", 162, unit="JPY_per_USD", subject="USD/JPY", metric="fx_level", date="2026-01-20"), store)
    assert v.verdict == "supported" and v.low_quality_only and "low-quality" in v.detail
    s2 = MarketStore.open()
    s2.add(O("2026-01-20", "USD/JPY", "fx_level", "161.9", unit="JPY_per_USD", source="blog.example", quality="low"))
    v = check_figure(F("150", 150, unit="JPY_per_USD", subject="USD/JPY", metric="fx_level", date="2026-01-20"), s2)
    assert v.verdict == "contradicted" and v.low_quality_only and "only on low-quality" in v.detail
    v = check_figure(F("2.1%", D("2.1"), unit="pct", sign="-", subject="Nasdaq Composite", metric="price_change_pct",
                       date="2026-02-10"), store)
    assert v.verdict == "supported"
    assert "Not every source agrees" in v.detail and "CNBC" in v.detail
    assert len(v.evidence) == 2


def test_shares_created_and_record_multiple(store):
    # 2 月 6 日新增约 600 万份
    v = check_figure(F("600 万份", 6000000, unit="shares", approx="approx", sign="+", metric="shares_created",
                       date="2026-02-06"), store)
    assert v.verdict == "supported" and "shares outstanding" in v.derived
    v = check_figure(F("2 倍", 2, unit="x", subject="IBIT", metric="volume_vs_prior_record_multiple",
                       date="2026-02-05"), store)
    assert v.verdict == "supported" and "prior record" in v.derived
    v = check_figure(F("3 倍", 3, unit="x", subject="IBIT", metric="volume_vs_prior_record_multiple",
                       date="2026-02-05"), store)
    assert v.verdict == "contradicted"


def test_json_shape_and_sentence_quote(store):
    raw = "开头一句。IBIT 在 2 月 4 日赎回约 3.7 亿美元,创下新高!后面一句。"
    i = raw.index("3.7")
    rec = {"doc_id": "abc", "raw_text": raw,
           "figures": [F("3.7 亿美元", 370000000, approx="approx", sign="-") | {"start": i, "end": i + 7},
                       F("5", 5, subject=None)]}
    vs = check_record(rec, store)
    assert len(vs) == 1
    d = vs[0].to_dict()
    import json
    json.dumps(d)  # Decimals of hand-made figures become JSON numbers
    for k in ("doc_id", "figure", "verdict", "observed", "tolerance", "evidence", "rule", "detail"):
        assert k in d
    assert d["observed"] in (-373400000, -373440000)
    assert d["evidence"][0]["url"].startswith("https://") and d["evidence"][0]["date"] == "2026-02-04"
    assert d["sentence"] == "IBIT 在 2 月 4 日赎回约 3.7 亿美元,创下新高!"
    assert quote_sentence("x" * 1000, 500, 503).startswith("…")


def test_odd_figures_never_crash(store):
    odd = [F("", None), F("零", 0, unit="pct", metric="yield_pct"), F("🚀1e9", D("1E+9")),
           F("x", None, change={"from": None, "to": D(1)}), F("y", None, range=[None, D(1)]),
           F("3.7 亿美元", 370000000, date="2026-02-30"), F("3.7 亿美元", 370000000, date="garbage")]
    for f in odd:
        v = check_figure(f, store)
        assert v is None or v.verdict in ("supported", "contradicted", "unverifiable", "not_checkable")
    assert check_figure(odd[-1], store).verdict == "unverifiable"
    assert "not a valid" in check_figure(odd[-2], store).detail


def test_snapshot_supports_seed_redemption():
    s = MarketStore.open()
    ensure_snapshot(s)
    v = check_figure(F("3.7 亿美元", 370000000, approx="approx", sign="-"), s)
    assert v.verdict == "supported" and "SoSoValue" in v.detail
    v = check_figure(F("3 亿美元", 300000000, approx="over", sign="+", subject="US spot bitcoin ETFs",
                       date="2026-02-05"), s)
    assert v.verdict == "contradicted"


def test_liquidations_sum_over_calendar_days():
    s = MarketStore.open()
    s.add_many([O("2026-01-31", "Bitcoin", "liquidations_usd", 1500000000, source="CoinGlass"),
                O("2026-02-01", "Bitcoin", "liquidations_usd", 1100000000, source="CoinGlass")])  # a weekend
    v = check_figure(F(">25亿美元", 2500000000, approx="over", subject="Bitcoin", metric="liquidations_usd",
                       date="2026-01-31/2026-02-01"), s)
    assert v.verdict == "supported" and "sum of 2 days" in v.detail


def test_no_direction_word_compares_size_and_says_so(store):
    v = check_figure(F("3.7 亿美元", 370000000, approx="approx", sign=None), store)
    assert v.verdict == "supported" and "only its size is compared" in v.detail
    # an explicit direction is never flipped
    assert check_figure(F("3.7 亿美元", 370000000, approx="approx", sign="+"), store).verdict == "contradicted"
    # levels have no direction: not affected
    v = check_figure(F("2,950 美元", 2950, subject="Gold", metric="price_usd", date="2026-03-02"), store)
    assert "only its size" not in v.detail


def test_month_total_from_days():
    s = MarketStore.open()
    days = ["2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05", "2026-02-06", "2026-02-09", "2026-02-10",
            "2026-02-11", "2026-02-12", "2026-02-13", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
            "2026-02-23", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27"]  # 2026-02-16 is a holiday
    s.add_many([O(d, "FBTC", "net_flow_usd", -10000000) for d in days])
    v = check_figure(F("1.9 亿美元", 190000000, sign="-", subject="FBTC", date="2026-02"), s)
    assert v.verdict == "supported" and "sum of 19 trading days" in v.detail


def test_percent_move_of_an_etf_uses_previous_trading_day():
    s = MarketStore.open()
    s.add_many([O("2026-02-06", "IBIT", "price_usd", "40.00", aspect="close", source="Nasdaq"),
                O("2026-02-09", "IBIT", "price_usd", "42.00", aspect="close", source="Nasdaq")])  # Fri -> Mon
    v = check_figure(F("5%", 5, unit="pct", sign="+", metric="price_change_pct", date="2026-02-09"), s)
    assert v.verdict == "supported" and "40" in v.derived


def test_outflow_streak_from_daily_flows():
    s = MarketStore.open()
    flows = {"2026-03-09": -5, "2026-03-10": -7, "2026-03-11": -1, "2026-03-12": 4, "2026-03-13": -2,
             "2026-03-16": -3, "2026-03-17": -6}
    s.add_many([O(d, "US spot bitcoin ETFs", "net_flow_usd", v * 10 ** 7) for d, v in flows.items()])

    def streak(n, date):
        return check_figure(F(f"{n}个交易日", n, unit="trading_days", subject="US spot bitcoin ETFs",
                              metric="outflow_streak_trading_days", date=date), s)

    assert streak(3, "2026-03-17").verdict == "supported"          # 13th, 16th, 17th; the 12th was an inflow
    assert streak(5, "2026-03-17").verdict == "contradicted"
    v = streak(7, "2026-03-09/2026-03-17")
    assert v.verdict == "contradicted" and "2026-03-12 was not an outflow day" in v.detail
    assert streak(3, "2026-03-09/2026-03-11").verdict == "supported"
    assert streak(3, "2026-03-05/2026-03-11").verdict == "unverifiable"  # days without data


def test_snapshot_rejects_a_twelve_day_outflow_streak():
    s = MarketStore.open()
    ensure_snapshot(s)
    v = check_figure(F("12个交易日", 12, unit="trading_days", subject="US spot bitcoin ETFs",
                       metric="outflow_streak_trading_days", date="2026-01-16/2026-02-03"), s)
    assert v.verdict == "contradicted" and "2026-01-26" in v.detail
