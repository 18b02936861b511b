"""Verdicts: a figure stated in an article against market observations.

Every verdict carries the rule that produced it, in plain words, and the evidence
(observation, source, URL) it rests on. The rules:

* precision: a stated number stands for the interval it rounds from, at the precision it is
  written with (``2.3 亿`` ⇔ 2.25 亿 … 2.35 亿; trailing zeros of a whole number are read as
  rounding, keeping two significant digits: ``72,000`` ⇔ 71,500 … 72,500);
* qualifier: 约 widens to ±5 %; 超过/高达/逾 (over) and 至少 (at least) accept anything at or
  beyond the number; 近/接近 (under) accepts up to 5 % short of it; 不超过 (up to) anything up to it;
* sign: a figure with a direction word is signed (a 赎回 of 3.7 亿 is a net flow of −3.7 亿), and
  the direction must agree with the data; qualifiers apply to the size;
* an observation is an interval too (its source may say "about" or "over"); the figure is
  supported when the two intervals meet;
* ranges and from→to changes are checked end by end; sums over a period, percent moves from
  prices, shares created from shares outstanding and multiples of a prior record are derived
  when the data allows, and the verdict says so;
* ETF flows are published the next morning: when the stated day has no match, the adjacent
  trading days are tested and the verdict says which one matched (a match on the previous
  trading day, the usual publication-day dating, supports the figure; any other shift does not).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Optional

from extract.records import to_jsonable

from .calendar import next_trading_day, parse_day, prev_trading_day, trading_days
from .market import MarketStore, Observation, normalize_instrument, normalize_metric

__all__ = ["Verdict", "check_figure", "check_record", "check_records", "stated_interval", "VERDICTS"]

VERDICTS = ("supported", "contradicted", "unverifiable", "not_checkable")

INF = Decimal("Infinity")
_FIVE_PCT = Decimal("0.05")

# Metrics reported once per trading day, the next morning (the date-shift rule applies to them).
_DAILY_PUBLISHED = {"net_flow_usd", "shares_created", "aum_change_usd", "trading_volume_usd", "trading_volume_shares",
                    "options_volume_contracts", "net_flow_btc"}
# Metrics whose values add up over a period (a stated period total can be summed from days).
_ADDITIVE = {"net_flow_usd", "shares_created", "aum_change_usd", "trading_volume_usd", "trading_volume_shares",
             "liquidations_usd", "liquidations_long_usd", "net_flow_btc"}
# Metrics with a direction (in/out, up/down): a figure without a direction word is compared by size.
_SIGNED_METRICS = {"net_flow_usd", "aum_change_usd", "price_change_pct", "net_flow_btc", "shares_created",
                   "yen_change_pct"}
# Streaks of daily flows of one direction (连续 N 个交易日流出): +1 inflow, -1 outflow.
_STREAKS = {"outflow_streak_trading_days": -1, "inflow_streak_trading_days": 1}
# Additive metrics of markets that trade every day (summed over calendar days, not trading days).
_CALENDAR_DAY_METRICS = {"liquidations_usd", "liquidations_long_usd"}
# Observation aspects that are never evidence for a figure of the same metric.
_NOT_EVIDENCE = {"context", "prior_record", "proposed", "prior", "launch_day"}
# Metrics of the form "<base> as a multiple of its prior record".
_RECORD_MULTIPLES = {"volume_vs_prior_record_multiple": "trading_volume_usd",
                     "trading_volume_vs_prior_record_multiple": "trading_volume_usd"}
_SOURCE_RANK = {"Farside Investors": 0, "SoSoValue": 1}

_APPROX_WORDS = {
    "eq": "as written",
    "approx": "约/about: ±5%",
    "over": "超过/高达/over: at or beyond the number",
    "at_least": "至少/at least: at or beyond the number",
    "under": "近/接近/nearly: up to 5% short of the number",
    "up_to": "不超过/up to: at most the number",
}


# --- intervals -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Interval:
    """A closed interval of signed values (``lo`` may be -Infinity, ``hi`` Infinity)."""

    lo: Decimal
    hi: Decimal

    def meets(self, other: "Interval") -> bool:
        return max(self.lo, other.lo) <= min(self.hi, other.hi)

    def contains(self, v: Decimal) -> bool:
        return self.lo <= v <= self.hi


def _signed_from_magnitude(neg: bool, lo: Decimal, hi: Decimal) -> Interval:
    return Interval(-hi, -lo) if neg else Interval(lo, hi)


def _step_of(written: str) -> Decimal:
    """Rounding step of a number as written: 10^-decimals, or for whole numbers the place of
    the last significant digit (trailing zeros count as rounding, keeping two significant digits)."""
    s = written.replace(",", "").lstrip("+-")
    if "." in s:
        return Decimal(1).scaleb(-len(s.split(".", 1)[1]))
    digits = s.lstrip("0") or "0"
    z = len(digits) - len(digits.rstrip("0")) if digits != "0" else 0
    z = min(z, max(0, len(digits) - 2))
    return Decimal(1).scaleb(z)


_NUM_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _written_token(surface: str, value: Decimal, last: bool = False) -> Optional[tuple[str, Decimal]]:
    """The number token of ``surface`` that ``value`` was read from, and the scale (``value / token``)."""
    if value == 0:
        return None
    found = None
    for m in _NUM_TOKEN.finditer(surface or ""):
        tok = m.group(0)
        try:
            n = Decimal(tok.replace(",", ""))
        except InvalidOperation:
            continue
        if n == 0:
            continue
        ratio = (abs(value) / n).normalize()
        if ratio in _POWERS:
            found = (tok, ratio)
            if not last:
                break
    return found


_POWERS = {Decimal(10) ** k for k in range(-3, 13)}


def half_step(surface: str, value: Decimal, last: bool = False) -> tuple[Decimal, Decimal]:
    """``(half rounding step, scale)`` of ``value`` as written in ``surface`` (scale: 1e8 for 亿 …)."""
    tok = _written_token(surface, value, last)
    if tok is None:
        v = abs(value).normalize()
        written = format(v, "f")
        return _step_of(written) / 2, Decimal(1)
    written, scale = tok
    return _step_of(written) * scale / 2, scale


def stated_interval(value: Decimal, approx: str, surface: str = "", last: bool = False) -> tuple[Interval, Decimal]:
    """The interval of signed values a stated number accepts, and its half rounding step.

    ``value`` is already signed. Qualifiers apply to the size: 超过 −5.3 亿 means an outflow of
    at least 5.3 亿.
    """
    h, _ = half_step(surface, value, last)
    neg = value < 0
    m = abs(value)
    approx = approx or "eq"
    if approx == "approx":
        lo, hi = min(m - h, m * (1 - _FIVE_PCT)), max(m + h, m * (1 + _FIVE_PCT))
    elif approx in ("over", "at_least"):
        lo, hi = m, INF
    elif approx == "under":
        lo, hi = min(m - h, m * (1 - _FIVE_PCT)), m
    elif approx == "up_to":
        lo, hi = Decimal(0), m
    else:
        lo, hi = m - h, m + h
    return _signed_from_magnitude(neg, max(lo, Decimal(0)), hi), h


def observed_interval(o: Observation) -> Interval:
    """What an observation says, as an interval (its source's own qualifier applied)."""
    v = o.value
    if o.value_high is not None:
        return Interval(v, o.value_high)
    neg, m = v < 0, abs(v)
    if o.qualifier == "approx":
        return _signed_from_magnitude(neg, m * (1 - _FIVE_PCT), m * (1 + _FIVE_PCT))
    # A source's "over X" / "under X" is read as reaching the next rounding step of X at most:
    # "over $10 billion" is 10 … 11 billion, not any amount above 10 billion.
    step = _step_of(format(m.normalize(), "f"))
    if o.qualifier == "over":
        return _signed_from_magnitude(neg, m, m + step)
    if o.qualifier == "under":
        return _signed_from_magnitude(neg, max(m - step, Decimal(0)), m)
    return Interval(v, v)


# --- formatting ----------------------------------------------------------------------------

def _trim(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def fmt_value(v: Optional[Decimal], unit: Optional[str], scale: Decimal = Decimal(1)) -> str:
    """A value for people: 亿/万 when the article wrote them, M/B for large amounts, % for pct."""
    if v is None:
        return "?"
    if v in (INF, -INF):
        return "∞" if v > 0 else "−∞"
    sign = "−" if v < 0 else ""
    a = abs(v)
    unit = unit or ""
    if scale == Decimal(10) ** 8:
        num = _trim((a / scale).quantize(Decimal("0.0001"))) + " 亿"
    elif scale == Decimal(10) ** 4:
        num = _trim((a / scale).quantize(Decimal("0.01"))) + " 万"
    elif unit in ("USD", "shares", "JPY", "contracts") and a >= 10 ** 9:
        num = _trim((a / Decimal(10) ** 9).quantize(Decimal("0.001"))) + " B"
    elif unit in ("USD", "shares", "JPY", "contracts") and a >= 10 ** 6:
        num = _trim((a / Decimal(10) ** 6).quantize(Decimal("0.01"))) + " M"
    else:
        num = f"{a.normalize():,f}"  # normalize() already drops trailing zeros
    if unit == "pct":
        return f"{sign}{num}%"
    return f"{sign}{num} {unit}".strip()


def fmt_interval(iv: Interval, unit: Optional[str], scale: Decimal = Decimal(1)) -> str:
    if iv.hi == INF:
        return f"{fmt_value(iv.lo, unit, scale)} or more"
    if iv.lo == -INF:
        return f"{fmt_value(iv.hi, unit, scale)} or less (an outflow at least that large)" if iv.hi < 0 else \
            f"{fmt_value(iv.hi, unit, scale)} or less"
    if iv.lo == iv.hi:
        return fmt_value(iv.lo, unit, scale)
    return f"{fmt_value(iv.lo, unit, scale)} … {fmt_value(iv.hi, unit, scale)}"


# --- figures and records (dicts or objects) --------------------------------------------------

def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _dec(x: Any) -> Optional[Decimal]:
    if x is None:
        return None
    if isinstance(x, Decimal):
        return x
    try:
        return Decimal(str(x))
    except InvalidOperation:
        return None


def _fig_dict(fig: Any) -> dict:
    if isinstance(fig, dict):
        return dict(fig)
    to_dict = getattr(fig, "to_dict", None)
    return to_dict() if to_dict else dict(vars(fig))


def signed_value(value: Decimal, sign: Optional[str]) -> Decimal:
    """The figure's signed quantity: value × −1 when the words say down/out (sign "-") and value > 0."""
    return -value if sign == "-" and value > 0 else value


def quote_sentence(raw: str, start: int, end: int, limit: int = 220) -> str:
    """The sentence of ``raw`` around ``[start, end)`` (cut to ``limit`` characters around the figure)."""
    if not raw or start is None or end is None or not (0 <= start <= end <= len(raw)):
        return ""
    stops = "。！？!?\n"
    a = start
    while a > 0 and raw[a - 1] not in stops:
        a -= 1
    b = end
    while b < len(raw) and raw[b] not in stops:
        b += 1
    if b < len(raw) and raw[b] != "\n":
        b += 1
    a0, b0 = a, b
    if b - a > limit:
        a = max(a, start - limit // 2)
        b = min(b, end + limit // 2)
    s = raw[a:b].strip()
    return ("…" if a > a0 else "") + s + ("…" if b < b0 else "")


# --- the verdict ---------------------------------------------------------------------------

@dataclass
class Evidence:
    """One observation weighed for a figure."""

    obs: Observation
    matches: bool
    role: str = ""  # "" | "from" | "to" | "low" | "high" | "day -1" | "summed" | …

    def to_dict(self) -> dict:
        o = self.obs
        return {
            "source": o.source, "outlet": o.outlet, "url": o.source_url, "date": o.date,
            "value": _num(o.value), "value_high": _num(o.value_high), "unit": o.unit, "aspect": o.aspect,
            "qualifier": o.qualifier, "quality": o.quality, "matches": self.matches, "role": self.role,
            "scope": o.scope, "notes": o.notes,
        }


def _num(v: Optional[Decimal]) -> Any:
    if v is None:
        return None
    if v in (INF, -INF):
        return None
    return int(v) if v == v.to_integral_value() else float(v)


@dataclass
class Verdict:
    """The check of one figure: verdict, rule, evidence and a plain-words detail."""

    doc_id: str
    figure: dict
    verdict: str
    rule: str
    detail: str
    observed: Optional[Decimal] = None
    tolerance: dict = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    instrument: Optional[str] = None
    metric: Optional[str] = None
    date: Optional[str] = None
    sentence: str = ""
    derived: Optional[str] = None
    low_quality_only: bool = False
    date_shift: Optional[str] = None

    def to_dict(self) -> dict:
        """The interfaces.md JSON verdict (plus rule, detail, sentence and all evidence)."""
        best = next((e for e in self.evidence if e.matches), self.evidence[0] if self.evidence else None)
        return {
            "doc_id": self.doc_id,
            "figure": to_jsonable(self.figure),
            "verdict": self.verdict,
            "observed": _num(self.observed),
            "tolerance": self.tolerance,
            "evidence": [e.to_dict() for e in self.evidence],
            "primary_evidence": best.to_dict() if best else None,
            "rule": self.rule,
            "detail": self.detail,
            "instrument": self.instrument,
            "metric": self.metric,
            "date": self.date,
            "sentence": self.sentence,
            "derived": self.derived,
            "low_quality_only": self.low_quality_only,
            "date_shift": self.date_shift,
        }


def _rank(o: Observation) -> tuple:
    return (o.quality != "ok", _SOURCE_RANK.get(o.source, 9), o.qualifier != "exact", o.source, o.source_url)


def _evidence_for(store: MarketStore, instrument: str, metric: str, day: str) -> list[Observation]:
    return [o for o in store.find(instrument=instrument, metric=metric, date=day) if o.aspect not in _NOT_EVIDENCE]


def _obs_text(o: Observation) -> str:
    """An observation in words: value, aspect, date and source (with a low-quality flag)."""
    val = fmt_value(o.value, o.unit) if o.value_high is None else f"{fmt_value(o.value, o.unit)} … {fmt_value(o.value_high, o.unit)}"
    q = {"approx": "about ", "over": "over ", "under": "under "}.get(o.qualifier, "")
    asp = f" ({o.aspect})" if o.aspect and o.aspect != "sum" else ""
    low = ", low-quality source" if o.quality == "low" else ""
    return f"{q}{val}{asp} on {o.date} ({o.label}{low})"


@dataclass
class _Match:
    """Outcome of testing one stated interval against observations for one day/period."""

    evidence: list[Evidence]
    derived: Optional[str] = None
    observed: Optional[Decimal] = None

    @property
    def any_data(self) -> bool:
        return bool(self.evidence)

    @property
    def ok_match(self) -> bool:
        return any(e.matches and e.obs.quality == "ok" for e in self.evidence)

    @property
    def any_match(self) -> bool:
        return any(e.matches for e in self.evidence)


def _match_point(store: MarketStore, instrument: str, metric: str, day: str, iv: Interval) -> _Match:
    """Test ``iv`` against the observations for ``day`` (direct, else derived)."""
    obs = _evidence_for(store, instrument, metric, day)
    if obs:
        ev = [Evidence(o, iv.meets(observed_interval(o))) for o in sorted(obs, key=_rank)]
        # A day's traded range (low … high) supports a price inside it.
        lows = [o for o in obs if o.aspect == "low" and o.quality == "ok"]
        highs = [o for o in obs if o.aspect == "high" and o.quality == "ok"]
        derived = None
        if lows and highs and not any(e.matches for e in ev):
            lo = min(o.value for o in lows)
            hi = max(o.value for o in highs)
            if iv.meets(Interval(lo, hi)):
                for e in ev:
                    if e.obs in lows or e.obs in highs:
                        e.matches = True
                        e.role = "day range"
                derived = f"inside the day's reported range {fmt_value(lo, lows[0].unit)} … {fmt_value(hi, highs[0].unit)}"
        best = next((e.obs for e in ev if e.matches), ev[0].obs)
        return _Match(ev, derived, best.value)
    return _derive(store, instrument, metric, day, iv)


def _pick_per_day(obs: list[Observation]) -> dict[str, Observation]:
    by_day: dict[str, Observation] = {}
    for o in sorted(obs, key=_rank):
        by_day.setdefault(o.date, o)
    return by_day


def _derive(store: MarketStore, instrument: str, metric: str, day: str, iv: Interval) -> _Match:
    """Derived checks when no observation states the figure directly."""
    if metric in _STREAKS:
        return _derive_streak(store, instrument, metric, day, iv)
    # A total over a period: sum one value per trading day when every day is covered.
    if len(day) == 7 and metric in _ADDITIVE:  # a month: the same over its days
        try:
            first = parse_day(day + "-01")
        except ValueError:
            return _Match([])
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        day = f"{first.isoformat()}/{last.isoformat()}"
    if "/" in day and metric in _ADDITIVE:
        a, b = day.split("/", 1)
        try:
            a_d, b_d = parse_day(a), parse_day(b)
        except ValueError:
            return _Match([])
        if metric in _CALENDAR_DAY_METRICS:  # crypto trades every day
            days = [(a_d + timedelta(days=i)).isoformat() for i in range(min((b_d - a_d).days + 1, 800))]
        else:
            days = [d.isoformat() for d in trading_days(a_d, b_d)]
        daily = [o for o in store.find(instrument=instrument, metric=metric, start=a, end=b)
                 if "/" not in o.date and len(o.date) == 10 and o.aspect == ""]
        per_day = _pick_per_day(daily)
        if days and all(d in per_day for d in days):
            total = sum((per_day[d].value for d in days), Decimal(0))
            ok = iv.contains(total)
            ev = [Evidence(per_day[d], ok, role="summed") for d in days]
            return _Match(ev, f"sum of {len(days)} {'days' if metric in _CALENDAR_DAY_METRICS else 'trading days'} {a} … {b} = {fmt_value(total, per_day[days[0]].unit)}",
                          total)
        if per_day:
            return _Match([], f"daily data covers {sum(1 for d in days if d in per_day)} of {len(days)} "
                              f"{'days' if metric in _CALENDAR_DAY_METRICS else 'trading days'} "
                              f"{a} … {b}: no sum")
        return _Match([])
    if "/" in day or len(day) != 10:
        return _Match([])
    d = parse_day(day)
    # Shares created on a day = change in shares outstanding (same source on both days).
    if metric == "shares_created":
        prev = prev_trading_day(d).isoformat()
        cur = {o.source: o for o in store.find(instrument=instrument, metric="shares_outstanding", date=day)}
        for o0 in store.find(instrument=instrument, metric="shares_outstanding", date=prev):
            o1 = cur.get(o0.source)
            if o1 is not None:
                diff = o1.value - o0.value
                ok = iv.contains(diff)
                return _Match([Evidence(o0, ok, "before"), Evidence(o1, ok, "after")],
                              f"shares outstanding {fmt_value(o1.value, 'shares')} on {day} − "
                              f"{fmt_value(o0.value, 'shares')} on {prev} = {fmt_value(diff, 'shares')}", diff)
        return _Match([])
    # A percent move from prices: open→close of the day, else the previous close → close.
    if metric == "price_change_pct":
        closes = [o for o in store.find(instrument=instrument, metric="price_usd", date=day) if o.aspect == "close"]
        opens = [o for o in store.find(instrument=instrument, metric="price_usd", date=day) if o.aspect == "open"]
        # the previous close: the day before (crypto trades daily), else the previous trading day (equities, ETFs)
        prevs = []
        for pd in (d - timedelta(days=1), prev_trading_day(d)):
            prevs = [o for o in store.find(instrument=instrument, metric="price_usd", date=pd.isoformat())
                     if o.aspect == "close"]
            if prevs:
                break
        for base_list, how in ((prevs, "previous close"), (opens, "open")):
            if closes and base_list:
                c = sorted(closes, key=_rank)[0]
                b0 = sorted(base_list, key=_rank)[0]
                if b0.value == 0:
                    continue
                pct = ((c.value / b0.value - 1) * 100).quantize(Decimal("0.01"))
                # both prices may be approximate: widen by their own qualifiers
                lo_c, hi_c = observed_interval(c).lo, observed_interval(c).hi
                lo_b, hi_b = observed_interval(b0).lo, observed_interval(b0).hi
                span = Interval(((lo_c / hi_b - 1) * 100), ((hi_c / lo_b - 1) * 100)) if lo_b > 0 else Interval(pct, pct)
                ok = iv.meets(span)
                return _Match([Evidence(b0, ok, how), Evidence(c, ok, "close")],
                              f"{how} {fmt_value(b0.value, b0.unit)} → close {fmt_value(c.value, c.unit)} = {_trim(pct)}%",
                              pct)
        return _Match([])
    # N times the prior record: the day's value over the record before it.
    base = _RECORD_MULTIPLES.get(metric)
    if base:
        vals = [o for o in store.find(instrument=instrument, metric=base, date=day) if o.aspect == ""]
        recs = [o for o in store.find(instrument=instrument, metric=base, end=day) if o.aspect == "prior_record"]
        if vals and recs:
            v = sorted(vals, key=_rank)[0]
            r = sorted(recs, key=_rank)[0]
            vi, ri = observed_interval(v), observed_interval(r)
            mult = (v.value / r.value).quantize(Decimal("0.01"))
            span = Interval(vi.lo / ri.hi, (vi.hi / ri.lo) if ri.lo > 0 else INF)
            ok = iv.meets(span)
            return _Match([Evidence(v, ok, "day"), Evidence(r, ok, "prior record")],
                          f"{fmt_value(v.value, v.unit)} ÷ prior record {fmt_value(r.value, r.unit)} ≈ {_trim(mult)}×", mult)
    return _Match([])


def _derive_streak(store: MarketStore, instrument: str, metric: str, day: str, iv: Interval) -> _Match:
    """连续 N 个交易日流出: count the trading days of one direction, from daily net flows.

    With a period A/B every trading day in it must have the direction (a day the other way
    contradicts); with one end day, the streak is counted backwards from it.
    """
    want_neg = _STREAKS[metric] < 0
    try:
        if "/" in day:
            a, b = (parse_day(x) for x in day.split("/", 1))
        else:
            b = parse_day(day)
            a = b - timedelta(days=60)
    except ValueError:
        return _Match([])
    flows = [o for o in store.find(instrument=instrument, metric="net_flow_usd", start=a.isoformat(), end=b.isoformat())
             if len(o.date) == 10 and o.aspect == ""]
    per_day = _pick_per_day(flows)
    days = [d.isoformat() for d in trading_days(a, b)]
    if "/" not in day:
        days = days[::-1]  # backwards from the end day
    count, ev, broken, missing = 0, [], None, None
    for d in days:
        o = per_day.get(d)
        if o is None:
            missing = d
            if "/" in day:
                continue
            break
        if (o.value < 0) != want_neg or o.value == 0:
            broken = o
            break
        count += 1
        ev.append(Evidence(o, True, "streak day"))
    word = "outflow" if want_neg else "inflow"
    if broken is not None:
        ev.append(Evidence(broken, False, "breaks the streak"))
        if "/" in day:
            for e in ev:
                e.matches = False
            return _Match(ev, f"{broken.date} was not an {word} day ({fmt_value(broken.value, broken.unit)}), so the "
                              f"period {day} is not one {word} streak", Decimal(count))
    if missing is not None and "/" in day:
        return _Match([], f"no daily flow for {missing}: the streak cannot be counted")
    if "/" not in day and broken is None:
        if iv.hi <= count:  # already long enough before the data runs out
            return _Match(ev, f"at least {count} consecutive {word} trading days up to {day}", Decimal(count))
        return _Match([], f"{count} consecutive {word} trading days up to {day}, then no data: the streak cannot be counted")
    ok = iv.contains(Decimal(count))
    for e in ev:
        if e.role == "streak day":
            e.matches = ok
    return _Match(ev, f"{count} consecutive {word} trading days" + (f" in {day}" if "/" in day else f" up to {day}"),
                  Decimal(count))


def _match_period_level(store: MarketStore, instrument: str, metric: str, period: str, iv: Interval) -> _Match:
    """A level stated for a month or period: supported if an observation in the period matches."""
    if "/" in period:
        a, b = period.split("/", 1)
    else:  # YYYY-MM
        a, b = period + "-01", period + "-31"
    obs = [o for o in store.find(instrument=instrument, metric=metric, start=a, end=b) if o.aspect not in _NOT_EVIDENCE]
    obs += [o for o in _evidence_for(store, instrument, metric, period) if o not in obs]
    ev = [Evidence(o, iv.meets(observed_interval(o))) for o in sorted(obs, key=lambda o: (o.date, _rank(o)))]
    best = next((e.obs for e in ev if e.matches), ev[0].obs if ev else None)
    return _Match(ev, f"observations dated within {a} … {b}" if ev else None, best.value if best else None)


def _check_one(store: MarketStore, instrument: str, metric: str, day: str, iv: Interval) -> _Match:
    if "/" in day or len(day) == 7:
        if metric not in _ADDITIVE and metric not in _STREAKS and metric != "price_change_pct":
            return _match_period_level(store, instrument, metric, day, iv)
    return _match_point(store, instrument, metric, day, iv)


def _decide(m: _Match) -> tuple[str, bool]:
    """(verdict, low_quality_only) for one match result."""
    if not m.any_data:
        return "unverifiable", False
    if m.ok_match:
        return "supported", False
    if m.any_match:
        return "supported", True
    return "contradicted", all(e.obs.quality == "low" for e in m.evidence)


def _disagreement(m: _Match) -> str:
    """Plain words on sources that disagree with the verdict's evidence."""
    if not m.any_match:
        return ""
    against = [e for e in m.evidence if not e.matches]
    if not against:
        return ""
    return " Not every source agrees: " + "; ".join(_obs_text(e.obs) for e in against) + "."


_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")


def _valid_date(day: str) -> bool:
    """True for an ISO day, a month ``YYYY-MM`` or a period ``A/B`` of those."""
    parts = day.split("/")
    if len(parts) > 2:
        return False
    for p in parts:
        if not _DATE_SHAPE.match(p):
            return False
        try:
            parse_day(p if len(p) == 10 else p + "-01")
        except ValueError:
            return False
    return True


def check_figure(fig: Any, store: MarketStore, doc_id: str = "", raw_text: str = "") -> Optional[Verdict]:
    """Check one figure (a Figure or its dict) against ``store``.

    Returns a Verdict, or None when the figure has no subject or no metric (nothing to check).
    """
    fd = _fig_dict(fig)
    subject, metric, day = fd.get("subject"), fd.get("metric"), fd.get("date")
    if not subject or not metric:
        return None
    instrument, _, _, _ = normalize_instrument(subject)
    metric_n, _, _ = normalize_metric(metric, subject)
    sentence = quote_sentence(raw_text, fd.get("start"), fd.get("end"))
    base = dict(doc_id=doc_id, figure=fd, instrument=instrument, metric=metric_n, date=day, sentence=sentence)
    unit = fd.get("unit")
    surface = fd.get("surface") or ""
    approx = fd.get("approx") or "eq"
    if fd.get("checkable") is False:
        return Verdict(verdict="not_checkable", rule="Forecasts, scenarios, hypotheticals, thresholds and model "
                       "levels state no market fact: not checked.",
                       detail="The figure is marked as not a factual market statistic (forecast, scenario, threshold "
                              "or model level).", **base)
    if not day:
        return Verdict(verdict="unverifiable", rule="A figure can only be checked against data for a stated date.",
                       detail="The text gives no date for this figure, so no observation can be chosen.", **base)
    if not _valid_date(str(day)):
        return Verdict(verdict="unverifiable", rule="A figure can only be checked against data for a valid date.",
                       detail=f"The figure's date {day!r} is not a valid ISO day, month or period.", **base)
    sign = fd.get("sign")
    value, rng, change = _dec(fd.get("value")), fd.get("range"), fd.get("change")

    if change:
        return _check_change(store, base, fd, instrument, metric_n, day, unit, surface, approx, sign)
    if rng:
        lo_v, hi_v = _dec(rng[0]), _dec(rng[1])
        if lo_v is None or hi_v is None:
            return None
        lo_v, hi_v = signed_value(lo_v, sign), signed_value(hi_v, sign)
        lo_v, hi_v = min(lo_v, hi_v), max(lo_v, hi_v)
        h1, scale = half_step(surface, abs(lo_v))
        h2, _ = half_step(surface, abs(hi_v), last=True)
        iv = Interval(lo_v - h1, hi_v + h2)
        tol_text = f"the range {fmt_interval(iv, unit, scale)} (each end at its own precision)"
        ends = _check_range_ends(store, base, instrument, metric_n, day, Interval(lo_v - h1, lo_v + h1),
                                 Interval(hi_v - h2, hi_v + h2), unit, scale, fd)
        if ends is not None:
            return ends
    elif value is not None:
        sv = signed_value(value, sign)
        iv, h = stated_interval(sv, approx, surface)
        _, scale = half_step(surface, sv)
        tol_text = f"{fmt_interval(iv, unit, scale)} ({_APPROX_WORDS.get(approx, approx)}; written precision ±{fmt_value(h, unit, scale)})"
    else:
        return None
    tolerance = {"lo": _num(iv.lo), "hi": _num(iv.hi), "approx": approx, "text": tol_text}
    stated_words = _stated_words(fd, value, rng, sign, unit, scale)
    v = _verdict_for_interval(store, base, instrument, metric_n, day, iv, tolerance, stated_words, unit, scale)
    if (v.verdict != "supported" and value is not None and not rng and sign is None and value > 0
            and metric_n in _SIGNED_METRICS):
        # No direction word and no written minus: the text gives a size, not a direction. Try the
        # opposite direction too, and say so; a figure that states a direction is never flipped.
        neg_iv = Interval(-iv.hi, -iv.lo)
        tol2 = dict(tolerance, lo=_num(neg_iv.lo), hi=_num(neg_iv.hi),
                    text=f"{fmt_interval(neg_iv, unit, scale)} (the same size as an outflow/decline)")
        v2 = _verdict_for_interval(store, base, instrument, metric_n, day, neg_iv, tol2, stated_words, unit, scale)
        if v2.verdict == "supported":
            v2.detail = ("No direction word is attached to this figure, so only its size is compared: "
                         + v2.detail)
            v2.rule += " The text gives no direction for the figure: a size matching an outflow or decline counts."
            return v2
    return v


def _stated_words(fd: dict, value: Optional[Decimal], rng: Any, sign: Optional[str], unit: Optional[str],
                  scale: Decimal) -> str:
    q = {"approx": "about ", "over": "over ", "at_least": "at least ", "under": "nearly ", "up_to": "up to "}.get(
        fd.get("approx") or "eq", "")
    if rng:
        return f"{fmt_value(signed_value(_dec(rng[0]), sign), unit, scale)} … {fmt_value(signed_value(_dec(rng[1]), sign), unit, scale)}"
    d = " (direction word: " + ("down/out" if sign == "-" else "up/in") + ")" if sign else ""
    return f"{q}{fmt_value(signed_value(value, sign), unit, scale)}{d}"


def _verdict_for_interval(store: MarketStore, base: dict, instrument: str, metric: str, day: str, iv: Interval,
                          tolerance: dict, stated_words: str, unit: Optional[str], scale: Decimal) -> Verdict:
    m = _check_one(store, instrument, metric, day, iv)
    verdict, low_only = _decide(m)
    date_shift = None
    shift_note = ""
    if verdict != "supported" and metric in _DAILY_PUBLISHED and len(day) == 10:
        try:
            d = parse_day(day)
        except ValueError:
            d = None
        if d is not None:
            for label, nd in (("previous", prev_trading_day(d)), ("next", next_trading_day(d))):
                m2 = _match_point(store, instrument, metric, nd.isoformat(), iv)
                if m2.any_match:
                    v2, low2 = _decide(m2)
                    obs_words = "; ".join(_obs_text(e.obs) for e in m2.evidence if e.matches)
                    shift_note = (f" It matches the figure for the {label} trading day, {nd.isoformat()}: {obs_words}.")
                    if label == "previous" and verdict == "unverifiable":
                        # Publication-day dating: flows of day T are published on the morning of T+1.
                        shift_note += (" ETF flows are published the next morning, so articles often date a flow by "
                                       "its publication day; the figure is taken as that trading day's flow.")
                        m, verdict, low_only, date_shift = m2, v2, low2, f"{day} → {nd.isoformat()}"
                    else:
                        shift_note += " The stated date is kept, so this does not support the figure."
                    break
    observed = m.observed
    rule = (f"Supported when an observation for {instrument} / {metric} on {day} meets the stated interval: "
            f"{tolerance['text']}.")
    if m.derived:
        rule += f" Derived: {m.derived}."
    words = {"supported": "Supported", "contradicted": "Contradicted", "unverifiable": "Unverifiable"}[verdict]
    if not m.any_data:
        obs_part = "Observed: no market data for this instrument, metric and date" + (
            f" ({m.derived})" if m.derived else "") + "."
    else:
        matching = [e for e in m.evidence if e.matches]
        shown = matching or m.evidence
        obs_part = "Observed: " + "; ".join(_obs_text(e.obs) for e in shown[:6]) + "."
        if m.derived:
            obs_part += f" ({m.derived})"
    detail = f"Stated: {stated_words} → accepted {tolerance['text']}. {obs_part} {words}."
    if low_only:
        detail += " This rests only on low-quality sources."
    detail += _disagreement(m) + shift_note
    return Verdict(verdict=verdict, rule=rule, detail=detail.strip(), observed=observed, tolerance=tolerance,
                   evidence=m.evidence, derived=m.derived, low_quality_only=low_only, date_shift=date_shift, **base)


def _check_range_ends(store: MarketStore, base: dict, instrument: str, metric: str, day: str, lo_iv: Interval,
                      hi_iv: Interval, unit: Optional[str], scale: Decimal, fd: dict) -> Optional[Verdict]:
    """A range stated for a day with a reported low and high: the low end against the lows, the high end
    against the highs. None when the day has no low/high observations (the range is then tested as a whole)."""
    if "/" in day or len(day) != 10:
        return None
    obs = _evidence_for(store, instrument, metric, day)
    lows = [o for o in obs if o.aspect == "low"]
    highs = [o for o in obs if o.aspect == "high"]
    if not lows or not highs:
        return None
    m_lo = _Match([Evidence(o, lo_iv.meets(observed_interval(o)), "low") for o in sorted(lows, key=_rank)])
    m_hi = _Match([Evidence(o, hi_iv.meets(observed_interval(o)), "high") for o in sorted(highs, key=_rank)])
    (v_lo, low_lo), (v_hi, low_hi) = _decide(m_lo), _decide(m_hi)
    verdict = "supported" if v_lo == v_hi == "supported" else "contradicted"
    parts = []
    for role, iv, m, v in (("low end", lo_iv, m_lo, v_lo), ("high end", hi_iv, m_hi, v_hi)):
        parts.append(f"{role} (accepted {fmt_interval(iv, unit, scale)}) against the day's "
                     f"{'lows' if role == 'low end' else 'highs'}: " + "; ".join(_obs_text(e.obs) for e in m.evidence[:4])
                     + f" → {v}")
    tolerance = {"ends": [{"role": "low", "lo": _num(lo_iv.lo), "hi": _num(lo_iv.hi)},
                          {"role": "high", "lo": _num(hi_iv.lo), "hi": _num(hi_iv.hi)}],
                 "approx": fd.get("approx") or "eq", "text": "each end at its written precision"}
    rule = (f"A range stated for one day is checked end by end: its low end against the day's reported lows and its "
            f"high end against the day's reported highs for {instrument} / {metric} on {day}; supported only if both "
            f"ends are.")
    detail = f"Stated: {fd.get('surface') or ''}. " + " | ".join(parts) + f". {verdict.capitalize()}."
    low_only = verdict == "supported" and (low_lo or low_hi)
    if low_only:
        detail += " This rests only on low-quality sources for one end."
    return Verdict(verdict=verdict, rule=rule, detail=detail, observed=None, tolerance=tolerance,
                   evidence=m_lo.evidence + m_hi.evidence, low_quality_only=low_only, **base)


def _check_change(store: MarketStore, base: dict, fd: dict, instrument: str, metric: str, day: str,
                  unit: Optional[str], surface: str, approx: str, sign: Optional[str]) -> Verdict:
    """from→to: each end against its own day (A/B: from on A, to on B; one day: to on it, from the day before)."""
    ch = fd["change"]
    fv, tv = _dec(ch.get("from")), _dec(ch.get("to"))
    if "/" in day:
        d_from, d_to = day.split("/", 1)
    elif len(day) == 10:
        d_to = day
        d_from = (parse_day(day) - timedelta(days=1)).isoformat()
    else:
        d_from = d_to = day
    ends = []
    for role, v, d, last in (("from", fv, d_from, False), ("to", tv, d_to, True)):
        if v is None:
            continue
        iv, h = stated_interval(v, approx if role == "to" else "eq", surface, last=last)
        m = _check_one(store, instrument, metric, d, iv)
        for e in m.evidence:
            e.role = role
        ends.append((role, v, d, iv, m))
    verdicts = [_decide(m)[0] for *_, m in ends]
    if "contradicted" in verdicts:
        verdict = "contradicted"
    elif verdicts and all(v == "supported" for v in verdicts):
        verdict = "supported"
    else:
        verdict = "unverifiable"
    parts = []
    for role, v, d, iv, m in ends:
        v1 = _decide(m)[0]
        obs = "; ".join(_obs_text(e.obs) for e in m.evidence[:4]) or "no data"
        parts.append(f"{role} {fmt_value(v, unit)} on {d} (accepted {fmt_interval(iv, unit)}): {obs} → {v1}")
    tolerance = {"ends": [{"role": r, "lo": _num(iv.lo), "hi": _num(iv.hi), "date": d} for r, _, d, iv, _ in ends],
                 "approx": approx, "text": "each end at its written precision; the end value with its qualifier"}
    rule = ("A from→to change is checked end by end: the start value against the data for its day, the end value "
            "against the data for its day; supported only if both ends are.")
    ev = [e for *_, m in ends for e in m.evidence]
    detail = "Stated: " + (fd.get("surface") or "") + ". " + " | ".join(parts) + f". {verdict.capitalize()}."
    return Verdict(verdict=verdict, rule=rule, detail=detail, observed=None, tolerance=tolerance, evidence=ev, **base)


def check_record(record: Any, store: MarketStore) -> list[Verdict]:
    """Verdicts for the figures of one ArticleRecord (object or dict); figures without subject or metric are skipped."""
    doc_id = _get(record, "doc_id", "") or ""
    raw = _get(record, "raw_text", "") or ""
    out = []
    for fig in _get(record, "figures", []) or []:
        v = check_figure(fig, store, doc_id=doc_id, raw_text=raw)
        if v is not None:
            out.append(v)
    return out


def check_records(records: Iterable[Any], store: MarketStore) -> list[Verdict]:
    """Verdicts for many records, in order."""
    out: list[Verdict] = []
    for r in records:
        out.extend(check_record(r, store))
    return out
