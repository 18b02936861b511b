"""``python -m bench.peer_score``: narrex's numbers and figures on the Recognizers-Text Chinese specs.

Runs narrex on the public spec cases of Microsoft Recognizers-Text (``tests/data/peer/
recognizers_zh.jsonl``, MIT, see ``tests/data/peer/NOTICE.md``) and prints the pass rate per
model, next to the rate of the peer's own Python port (the cases whose ``notSupported`` does
not name python).

What narrex runs per model:

* NumberModel  -> ``extract._numerals.find_numbers`` (the numeral layer under the figures).
* PercentModel -> ``extract.find_figures``, figures with unit ``pct``/``pp``.
* CurrencyModel -> ``extract.find_figures``, figures with a currency unit (or BTC).
* DimensionModel -> reported for completeness only: weights, lengths, areas, data sizes are not
  figures of market commentary and narrex does not read them.

A case passes when narrex finds exactly the expected items: same count, each expected item
matched by one found item whose span overlaps it and whose value agrees (relative 1e-6);
for currencies the ISO code (or BTC for ``Bitcoin``) must agree too, where the spec gives one.
A case expecting no match passes when narrex finds nothing.

Cases that concern figures in commentary (the rates we hold ourselves to) exclude, by rule,
these spec conventions we chose to differ on:

* exponent and scientific notation (``2^5``, ``1.1^+23``, ``2e5``, ``21.2E0``) -- not written in
  commentary; ``2e5`` style would also misread tickers and hex;
* dozens and pairs (``一打``, ``五十打``, ``三双``, ``一百对``, ``十打苹果``) -- counting words
  of shopping, not finance;
* numerals spelled out with spaces between the characters (``一百 五 十 二``,
  ``三千 八百 九十六 万``, ``百 分之 2``, ``六   个 百 分点``) -- a spec artefact; in running
  text spaces separate numbers (``5.3 亿`` with one space after digits is read);
* lone Chinese numeral characters in prose (``一只``, ``十斤``, ``九年八吨``, ``一看``, ``四川``,
  ``美味十足``, ``“一”和“五”``): whether a lone character is a number is a question of word
  sense (the spec wants ``十斤`` -> 10 but ``一看`` -> nothing); narrex's numeral layer reads
  every numeral character and its figure layer drops unitless Chinese numerals on purpose
  (``一个``, ``两次``, ``三幕剧`` are not figures). A case is out when its input has a numeral
  run of one character;
* slash fractions (``3/5``, ``1 4/3``, ``-3/2``): in commentary ``2/5`` is a date (February 5);
* cases the spec itself marks as not supported by every port (``notSupported`` naming
  dotnet, java, javascript and python);
* Percent: discount and ratio words ``折`` (``九折`` = 90%) -- retail discounts, not figures;
* Currency: ``元/角/分``/``块/毛`` change compounds (``五元三毛``) and bare currency names with no
  number -- shop prices, not market figures.

Cases we keep in the subset but answer differently on purpose (they count as failures):

* approximate ranges (``二三十个百分点``, ``百分之二三十``): a figure for narrex (range 20-30,
  approx), nothing for the spec;
* numeric ranges (``5-20%``): one range figure for narrex (``range`` [5, 20]); the spec
  reads only ``20%``.

The rates on all cases are printed as well.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "peer" / "recognizers_zh.jsonl"

# the peer's own Python port, as the spec marks it (share of cases whose notSupported omits python)
MODELS = ("NumberModel", "PercentModel", "CurrencyModel", "DimensionModel")
CURRENCY_UNITS = {"USD", "CNY", "HKD", "TWD", "JPY", "EUR", "GBP", "CHF", "NGN", "CAD", "AUD", "KRW", "SGD", "BTC", "ETH"}
_ISO = {"Bitcoin": "BTC"}
_EXPONENT = re.compile(r"\^|\d[eE][-+−－]?\d|[０-９][eｅＥ]")
_DOZEN = re.compile(r"[打双對对雙]")
_SPACED_CN = re.compile(r"[零一二两三四五六七八九十百千万亿兆壹贰叁肆伍陆柒捌玖拾佰仟萬億兩貳陸參点點][ \u3000]+[零一二两三四五六七八九十百千万亿兆壹贰叁肆伍陆柒捌玖拾佰仟萬億兩貳陸參余多几幾點点]")
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿兆壹贰叁肆伍陆柒捌玖拾佰仟萬億兩貳陸參倆俩多余几幾点點]+")
_SPACED_CJK = re.compile(r"[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]")
_SLASH = re.compile(r"[0-9０-９][/／][0-9０-９]")
_DISCOUNT = re.compile(r"折")
_CHANGE = re.compile(r"[角毛]|块|塊|元[一二三四五六七八九]|分$")


def load(path: Path = DATA) -> list[dict]:
    """The spec cases, one dict per line of the JSON Lines file."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def peer_python_supported(case: dict) -> bool:
    """True when the peer's Python port passes the case (its notSupported omits python)."""
    return "python" not in (case.get("notSupported") or "").lower()


def excluded(case: dict) -> str | None:
    """Why a case is outside 'figures in commentary', or None. See the module docstring."""
    inp, exp, model = case["input"], case["expected"], case["model"]
    ns = (case.get("notSupported") or "").lower()
    if all(p in ns for p in ("dotnet", "java", "javascript", "python")):
        return "not supported by any port"
    if _EXPONENT.search(inp):
        return "exponent notation"
    if model == "NumberModel" and _DOZEN.search(inp):
        return "dozens and pairs"
    if _SPACED_CN.search(inp) or any(_SPACED_CJK.search(e["text"]) for e in exp):
        return "spaced-out numerals"
    if _SLASH.search(inp):
        return "slash fractions"
    if model == "NumberModel" and any(len(r) == 1 for r in _CN_RUN.findall(inp)):
        return "lone numeral characters in prose"
    if model == "PercentModel" and _DISCOUNT.search(inp):
        return "discount words (折)"
    if model == "CurrencyModel" and (any(e["value"] is None for e in exp) or any(_CHANGE.search(e["text"]) for e in exp)):
        return "change compounds / bare currency names"
    if model == "DimensionModel":
        return "dimensions are not commentary figures"
    return None


def _close(a, b) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-12)
    except (TypeError, ValueError):
        return False


def predict(case: dict) -> list[tuple[int, int, object, str | None]]:
    """narrex's items for a case: (start, end exclusive, value, unit)."""
    from extract import find_figures
    from extract._numerals import find_numbers

    text, model = case["input"], case["model"]
    if model == "NumberModel":
        return [(n.start, n.end, n.value, None) for n in find_numbers(text)]
    figs = find_figures(text)
    out = []
    for f in figs:
        v = f.value if f.value is not None else (f.range[0] if f.range else None)
        if model == "PercentModel" and f.unit in ("pct", "pp"):
            out.append((f.start, f.end, v, "%"))
        elif model == "CurrencyModel" and f.unit in CURRENCY_UNITS:
            out.append((f.start, f.end, v, f.unit))
    return out


def passes(case: dict, pred: list) -> bool:
    """Exactly the expected items: same count, each matched by an overlapping item of the same value (and currency)."""
    exp = case["expected"]
    if len(pred) != len(exp):
        return False
    used: set[int] = set()
    for e in exp:
        es, ee = e["start"], e["end"] + 1
        hit = None
        for j, (ps, pe, pv, pu) in enumerate(pred):
            if j in used or not (ps < ee and es < pe) or not _close(pv, e["value"]):
                continue
            if case["model"] == "CurrencyModel":
                iso = e.get("isoCurrency") or _ISO.get(e.get("unit"))
                if iso and iso != pu:
                    continue
            hit = j
            break
        if hit is None:
            return False
        used.add(hit)
    return True


def score(cases: list[dict]) -> dict[str, dict[str, float]]:
    """Per model: narrex's and the peer Python port's pass rates on all cases and on the commentary subset."""
    acc: dict[str, Counter] = defaultdict(Counter)
    for c in cases:
        m = c["model"]
        ok = passes(c, predict(c))
        peer = peer_python_supported(c)
        sub = excluded(c) is None
        acc[m]["n"] += 1
        acc[m]["ok"] += ok
        acc[m]["peer"] += peer
        if sub:
            acc[m]["sub_n"] += 1
            acc[m]["sub_ok"] += ok
            acc[m]["sub_peer"] += peer
    out = {}
    for m in MODELS:
        a = acc[m]
        out[m] = {
            "cases": a["n"], "narrex_all": a["ok"] / a["n"] if a["n"] else 0.0,
            "peer_python_all": a["peer"] / a["n"] if a["n"] else 0.0,
            "commentary_cases": a["sub_n"],
            "narrex_commentary": a["sub_ok"] / a["sub_n"] if a["sub_n"] else 0.0,
            "peer_python_commentary": a["sub_peer"] / a["sub_n"] if a["sub_n"] else 0.0,
        }
    return out


def failures(cases: list[dict], model: str | None = None, subset_only: bool = True) -> list[str]:
    """Readable lines for the cases narrex fails (for --misses)."""
    lines = []
    for c in cases:
        if model and c["model"] != model:
            continue
        if subset_only and excluded(c) is not None:
            continue
        p = predict(c)
        if not passes(c, p):
            lines.append(f"{c['id']}: {c['input'][:50]!r} expected {[(e['text'], e['value']) for e in c['expected']]} "
                         f"got {[(c['input'][s:e], str(v), u) for s, e, v, u in p]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    ap.add_argument("--misses", metavar="MODEL", nargs="?", const="", help="list failed commentary cases (of MODEL)")
    args = ap.parse_args(argv)
    cases = load()
    res = score(cases)
    if args.json:
        print(json.dumps(res))
    else:
        print(f"{'model':15} {'cases':>5} {'narrex':>7} {'peer-py':>8} | {'commentary':>10} {'narrex':>7} {'peer-py':>8}")
        for m, r in res.items():
            print(f"{m:15} {r['cases']:5d} {r['narrex_all']:7.1%} {r['peer_python_all']:8.1%} | "
                  f"{r['commentary_cases']:10d} {r['narrex_commentary']:7.1%} {r['peer_python_commentary']:8.1%}")
        reasons = Counter(excluded(c) for c in cases if excluded(c))
        print("excluded from the commentary subset:", dict(reasons))
    if args.misses is not None:
        print("\n".join(failures(cases, args.misses or None)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
