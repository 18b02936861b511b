"""Property tests: the checker and the report never crash on odd figures and text, and never support without evidence."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from check.market import MarketStore
from check.report import ArticleResult, render_html, render_markdown
from check.snapshot import ensure_snapshot
from check.verdict import VERDICTS, check_record

_STORE = MarketStore.open()
ensure_snapshot(_STORE)

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
_dec = st.decimals(min_value=-10 ** 12, max_value=10 ** 12, allow_nan=False, allow_infinity=False, places=3)
_date = st.one_of(st.none(), st.sampled_from(["2026-02-04", "2026-02-05", "2026-01", "2025-09-22",
                                              "2026-01-16/2026-02-03", "2026-02-31", "x", "2026-02-06/2026-02-01"]),
                  _text)
_fig = st.fixed_dictionaries({
    "surface": _text,
    "start": st.integers(min_value=-5, max_value=200),
    "end": st.integers(min_value=-5, max_value=200),
    "value": st.one_of(st.none(), _dec),
    "range": st.one_of(st.none(), st.lists(st.one_of(st.none(), _dec), min_size=2, max_size=2)),
    "change": st.one_of(st.none(), st.fixed_dictionaries({"from": st.one_of(st.none(), _dec), "to": _dec})),
    "unit": st.sampled_from([None, "USD", "pct", "shares", "x", "JPY_per_USD"]),
    "approx": st.sampled_from(["eq", "approx", "over", "under", "at_least", "up_to", None, "weird"]),
    "sign": st.sampled_from([None, "+", "-", "?"]),
    "subject": st.sampled_from([None, "IBIT", "US spot bitcoin ETFs", "Bitcoin", "USD/JPY", "JGB 40Y", "Nobody"]),
    "metric": st.sampled_from([None, "net_flow_usd", "price_usd", "price_change_pct", "fx_level", "yield_pct",
                               "shares_created", "volume_vs_prior_record_multiple", "made_up"]),
    "date": _date,
    "checkable": st.booleans(),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=_text, figs=st.lists(_fig, max_size=4))
def test_check_and_report_never_crash(raw, figs):
    rec = {"doc_id": "p", "title": raw, "source": raw, "raw_text": raw + "\u200b😀\x07", "figures": figs}
    vs = check_record(rec, _STORE)
    for v in vs:
        assert v.verdict in VERDICTS
        if v.verdict == "supported":
            assert any(e.matches and e.obs.source for e in v.evidence)
        v.to_dict()
    res = [ArticleResult("p", raw, raw, None, vs, len(figs))]
    html = render_html(res, _STORE)
    assert "<script" not in html.lower()
    render_markdown(res, _STORE)
