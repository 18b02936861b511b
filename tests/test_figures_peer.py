"""The Recognizers-Text Chinese specs (tests/data/peer, MIT): narrex's pass rates per model (bench/peer_score.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/ is a repo tool, not an installed package

from bench import peer_score  # noqa: E402


def test_peer_pass_rates_on_commentary_cases():
    res = peer_score.score(peer_score.load())
    print({m: round(r["narrex_commentary"], 3) for m, r in res.items()})
    # at least the peer's own Python port's published rates (Number 92%, Percent 91%, Currency 93%)
    assert res["NumberModel"]["narrex_commentary"] >= 0.92
    assert res["PercentModel"]["narrex_commentary"] >= 0.91
    assert res["CurrencyModel"]["narrex_commentary"] >= 0.93
    # the subset keeps most number/percent/currency cases of the spec
    assert res["NumberModel"]["commentary_cases"] >= 150
    assert res["PercentModel"]["commentary_cases"] >= 100
    assert res["CurrencyModel"]["commentary_cases"] >= 25


def test_exclusions_are_the_documented_categories():
    doc = peer_score.__doc__
    for case in peer_score.load():
        why = peer_score.excluded(case)
        assert why is None or why in {
            "not supported by any port", "exponent notation", "dozens and pairs", "spaced-out numerals",
            "slash fractions", "lone numeral characters in prose", "discount words (折)",
            "change compounds / bare currency names", "dimensions are not commentary figures"}
    for word in ("exponent", "dozens", "spaces", "lone Chinese numeral", "slash fractions", "折", "change compounds"):
        assert word in doc


def test_a_case_can_fail():
    case = {"model": "NumberModel", "input": "两百", "expected": [{"start": 0, "end": 1, "value": 300}]}
    assert not peer_score.passes(case, peer_score.predict(case))
    case["expected"][0]["value"] = 200
    assert peer_score.passes(case, peer_score.predict(case))
