"""Fact-check reports: self-contained HTML (inline CSS and SVG, no JavaScript, no network) and Markdown.

Everything that comes from articles or market data is escaped; only http(s) URLs become links.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Iterable, Optional

from .calendar import parse_day
from .market import MarketStore, Observation
from .verdict import Verdict, fmt_value

__all__ = ["ArticleResult", "render_html", "render_markdown", "summary_counts"]

_ORDER = ("contradicted", "supported", "unverifiable", "not_checkable")
_LABEL = {"supported": "Supported", "contradicted": "Contradicted", "unverifiable": "Unverifiable (no data)",
          "not_checkable": "Not checkable"}
_COLOR = {"supported": "#1a7f37", "contradicted": "#c62828", "unverifiable": "#6b6b6b", "not_checkable": "#8a6d00"}
_URL_OK = re.compile(r"^https?://[^\s\"'<>]+$")


@dataclass
class ArticleResult:
    """One article's verdicts with what the report shows about the article."""

    doc_id: str
    title: Optional[str]
    source: Optional[str]
    published: Optional[str]
    verdicts: list[Verdict] = field(default_factory=list)
    n_figures: int = 0


def summary_counts(verdicts: Iterable[Verdict]) -> dict[str, int]:
    """Number of verdicts of each kind (all four keys present)."""
    out = {k: 0 for k in _ORDER}
    for v in verdicts:
        out[v.verdict] = out.get(v.verdict, 0) + 1
    return out


def _e(s: object) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _link(url: str, text: str) -> str:
    if url and _URL_OK.match(url):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(text)}</a>'
    return _e(text)


def _quote_html(v: Verdict) -> str:
    """The quoted sentence with the figure marked."""
    s = v.sentence or ""
    surf = v.figure.get("surface") or ""
    if surf and surf in s:
        i = s.index(surf)
        return f"{_e(s[:i])}<mark>{_e(surf)}</mark>{_e(s[i + len(surf):])}"
    return _e(s) if s else f"<mark>{_e(surf)}</mark>"


_CSS = """
*{box-sizing:border-box}body{font:16px/1.5 -apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:0;padding:12px;background:#f6f7f9;color:#1d1d1f}main{max-width:760px;margin:0 auto}
h1{font-size:1.35em;margin:.3em 0}h2{font-size:1.15em;margin:1.6em 0 .4em;word-break:break-word}
.meta{color:#555;font-size:.85em;word-break:break-all}.card{background:#fff;border-radius:10px;padding:12px 14px;margin:12px 0;
box-shadow:0 1px 3px rgba(0,0,0,.12);border-left:6px solid #999;overflow-wrap:anywhere}
.badge{display:inline-block;color:#fff;border-radius:12px;padding:1px 10px;font-size:.85em;font-weight:600}
blockquote{margin:.5em 0;padding:.4em .7em;background:#f1f3f5;border-radius:6px;font-size:.95em}
mark{background:#ffe58f;padding:0 2px}.rule{font-size:.85em;color:#444}.detail{margin:.4em 0;font-size:.93em}
table{border-collapse:collapse;width:100%;font-size:.8em;margin:.4em 0}td,th{border-bottom:1px solid #e3e3e3;padding:3px 4px;
text-align:left;vertical-align:top}.low{color:#a15c00;font-weight:600}.yes{color:#1a7f37;font-weight:700}
.no{color:#c62828;font-weight:700}.summary span{margin-right:10px;white-space:nowrap}svg{width:100%;height:auto;max-width:520px;display:block}
details summary{cursor:pointer;color:#333}.legend{font-size:.88em;background:#fff;border-radius:10px;padding:8px 14px}
.legend li{margin:.2em 0;overflow-wrap:anywhere;word-break:break-word}.nc{font-size:.9em}.nw{white-space:nowrap}
"""


def _badge(verdict: str) -> str:
    return f'<span class="badge" style="background:{_COLOR.get(verdict, "#555")}">{_e(_LABEL.get(verdict, verdict))}</span>'


def _evidence_table(v: Verdict) -> str:
    if not v.evidence:
        return ""
    rows = []
    for ev in v.evidence:
        o = ev.obs
        val = fmt_value(o.value, o.unit) if o.value_high is None else f"{fmt_value(o.value, o.unit)} … {fmt_value(o.value_high, o.unit)}"
        q = {"approx": "about ", "over": "over ", "under": "under "}.get(o.qualifier, "")
        what = " ".join(x for x in (o.aspect, ev.role) if x)
        src = _link(o.source_url, o.label) if o.source_url else _e(o.label)
        flag = ' <span class="low">low-quality source</span>' if o.quality == "low" else ""
        mark = '<span class="yes">✓ fits</span>' if ev.matches else '<span class="no">✗ off</span>'
        rows.append(f"<tr><td>{_e(o.date)}</td><td>{_e(q + val)}{(' <small>(' + _e(what) + ')</small>') if what else ''}</td>"
                    f"<td>{src}{flag}</td><td class=\"nw\">{mark}</td></tr>")
    return ("<table><thead><tr><th>date</th><th>observed</th><th>source</th><th>claim</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def _window(date: str) -> Optional[tuple]:
    """(window start, window end, claim start, claim end) dates for a claim's day, month or period."""
    try:
        if len(date) == 10:
            d = parse_day(date)
            return d - timedelta(days=10), d + timedelta(days=10), d, d
        if len(date) == 7:
            a = parse_day(date + "-01")
            b = (a.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        elif "/" in date:
            a, b = (parse_day(x if len(x) == 10 else x + "-01") for x in date.split("/", 1))
        else:
            return None
    except ValueError:
        return None
    if b < a or (b - a).days > 120:
        return None
    return a - timedelta(days=5), b + timedelta(days=5), a, b


def _series(store: MarketStore, v: Verdict, ws, we) -> list[Observation]:
    if not v.instrument or not v.metric:
        return []
    return [o for o in store.find(instrument=v.instrument, metric=v.metric, start=ws.isoformat(), end=we.isoformat())
            if len(o.date) == 10 and o.aspect in ("", "close", "low", "high", "snapshot", "open")]


def _axis(y: float, unit: str) -> str:
    """Short axis label: 3 significant digits, M/B for large amounts."""
    a = abs(y)
    sign = "−" if y < 0 else ""
    if a >= 1e9:
        txt = f"{a / 1e9:.3g}B"
    elif a >= 1e6:
        txt = f"{a / 1e6:.3g}M"
    elif a >= 1e4:
        txt = f"{a:,.0f}"
    else:
        txt = f"{a:.3g}"
    return sign + txt + ("%" if unit == "pct" else "")


def chart_svg(store: MarketStore, v: Verdict) -> str:
    """Inline SVG: the series around the claim's date or period, the accepted interval shaded (yellow),
    the claim's day (dashed line) or period (grey) marked, and the stated value as a red diamond."""
    win = _window(v.date or "")
    lo_t, hi_t = v.tolerance.get("lo"), v.tolerance.get("hi")
    if win is None or (lo_t is None and hi_t is None):
        return ""
    ws, we, ca, cb = win
    obs = _series(store, v, ws, we)
    if not obs:
        return ""
    span = max((we - ws).days, 1)
    W, H, L, R, T, B = 320, 150, 62, 8, 10, 22
    ys = [float(o.value) for o in obs] + [x for x in (lo_t, hi_t) if x is not None]
    ymin, ymax = min(ys), max(ys)
    if ymin == ymax:
        ymin, ymax = ymin - 1, ymax + 1
    pad = (ymax - ymin) * 0.08
    ymin, ymax = ymin - pad, ymax + pad

    def X(d) -> float:
        return L + (d - ws).days / span * (W - L - R)

    def Y(val: float) -> float:
        return T + (ymax - val) / (ymax - ymin) * (H - T - B)

    unit = obs[0].unit
    parts = [f'<svg viewBox="0 0 {W} {H}" role="img" aria-label="{_e(v.instrument)} {_e(v.metric)} around {_e(v.date)}">',
             f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="#fafafa" stroke="#ddd"/>']
    top = Y(min(hi_t, ymax)) if hi_t is not None else T
    bot = Y(max(lo_t, ymin)) if lo_t is not None else H - B
    if bot > top:
        parts.append(f'<rect x="{L}" y="{top:.1f}" width="{W - L - R}" height="{bot - top:.1f}" fill="#ffe58f" '
                     f'fill-opacity=".55"><title>accepted interval of the claim</title></rect>')
    if ca == cb:
        xc = X(ca)
        parts.append(f'<line x1="{xc:.1f}" y1="{T}" x2="{xc:.1f}" y2="{H - B}" stroke="#333" stroke-dasharray="3 3"/>')
        parts.append(f'<text x="{xc:.1f}" y="{H - 4}" font-size="9" text-anchor="middle">{_e(ca.isoformat()[5:])} claim</text>')
    else:
        xa, xb = X(ca), X(cb + timedelta(days=1))
        parts.append(f'<rect x="{xa:.1f}" y="{T}" width="{xb - xa:.1f}" height="{H - T - B}" fill="#888" '
                     f'fill-opacity=".12"><title>the claim\'s period</title></rect>')
        parts.append(f'<text x="{(xa + xb) / 2:.1f}" y="{H - 4}" font-size="9" text-anchor="middle">claim period</text>')
    seen: dict = {}
    for o in sorted((o for o in obs if o.aspect in ("", "close")), key=lambda o: o.date):
        seen.setdefault(o.date, float(o.value))
    if len(seen) > 1:
        pts = " ".join(f"{X(parse_day(k)):.1f},{Y(val):.1f}" for k, val in sorted(seen.items()))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="#5b7db1" stroke-width="1.2"/>')
    for o in obs:
        col = "#a15c00" if o.quality == "low" else "#1f4e8c"
        shape = {"low": "▼", "high": "▲"}.get(o.aspect)
        x, y = X(parse_day(o.date)), Y(float(o.value))
        tip = _e(f"{o.date} {fmt_value(o.value, o.unit)} {o.aspect} ({o.label})")
        if shape:
            parts.append(f'<text x="{x:.1f}" y="{y + 3:.1f}" font-size="8" text-anchor="middle" fill="{col}">{shape}'
                         f'<title>{tip}</title></text>')
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{col}"><title>{tip}</title></circle>')
    stated = v.figure.get("value")
    if stated is not None:
        try:
            sv = float(stated) * (-1 if v.figure.get("sign") == "-" and float(stated) > 0 else 1)
        except (TypeError, ValueError):
            sv = None
        if sv is not None and ymin <= sv <= ymax:
            xc = (X(ca) + X(cb)) / 2
            yc = Y(sv)
            parts.append(f'<path d="M{xc:.1f} {yc - 5:.1f} L{xc + 5:.1f} {yc:.1f} L{xc:.1f} {yc + 5:.1f} L{xc - 5:.1f} '
                         f'{yc:.1f} Z" fill="none" stroke="#c62828" stroke-width="1.6"><title>the claim: '
                         f'{_e(v.figure.get("surface"))}</title></path>')
    parts.append(f'<text x="{L - 3}" y="{T + 8}" font-size="9" text-anchor="end">{_e(_axis(ymax, unit))}</text>')
    parts.append(f'<text x="{L - 3}" y="{H - B}" font-size="9" text-anchor="end">{_e(_axis(ymin, unit))}</text>')
    parts.append(f'<text x="{L}" y="{H - 4}" font-size="9">{_e(ws.isoformat()[5:])}</text>')
    parts.append(f'<text x="{W - R}" y="{H - 4}" font-size="9" text-anchor="end">{_e(we.isoformat()[5:])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _card(store: MarketStore, v: Verdict) -> str:
    fig = v.figure
    what = " · ".join(_e(x) for x in (v.instrument, v.metric, v.date) if x)
    chart = chart_svg(store, v) if v.verdict != "not_checkable" else ""
    cap = ('<p class="rule">Chart: observations around the date (● value/close, ▼ low, ▲ high; orange = low-quality '
           'source); yellow band = values the claim accepts; red ◇ = the claim; dashed line or grey area = its date or period.</p>') if chart else ""
    return (f'<section class="card" style="border-left-color:{_COLOR.get(v.verdict, "#999")}">'
            f'<div>{_badge(v.verdict)} <strong>{_e(fig.get("surface"))}</strong> <span class="meta">{what}</span></div>'
            f'<blockquote lang="zh">{_quote_html(v)}</blockquote>'
            f'<p class="detail">{_e(v.detail)}</p>'
            f'<p class="rule"><strong>Rule:</strong> {_e(v.rule)}</p>'
            f'{_evidence_table(v)}{chart}{cap}</section>')


def _legend() -> str:
    return """<div class="legend"><p><strong>How to read this report.</strong> Each card is one figure an article states,
with the sentence it comes from, the verdict, the rule behind it, and the market observations it was compared with.</p><ul>
<li><strong>Supported</strong>: a market observation for the same instrument, metric and date falls inside what the figure
accepts. A number stands for what it rounds from (2.3 亿 ⇒ 2.25–2.35 亿); 约 widens that by ±5%; 超过/高达 accepts anything
at or above the number; 近 accepts up to 5% below it. Outflows (赎回, 流出) count as negative.</li>
<li><strong>Contradicted</strong>: there is data for that day and no observation fits, in size or in direction.</li>
<li><strong>Unverifiable</strong>: no market data for that instrument, metric and date (or no date in the text). Never counted as support.</li>
<li><strong>Not checkable</strong>: forecasts, scenarios, thresholds and model levels, which no market data can confirm.</li>
<li>ETF flows are published the next morning: when a figure only matches an adjacent trading day, the card says so.</li>
<li>Sources that disagree are all shown; a source marked <span class="low">low-quality</span> is a personal blog or an aggregator.</li>
</ul></div>"""


def _name(r: ArticleResult) -> str:
    """What to call an article: its title, else its file name, else its doc id."""
    if r.title:
        return r.title
    if r.source:
        return re.split(r"[\\/]", r.source.rstrip("/\\"))[-1] or r.source
    return r.doc_id


def _toc(results: list[ArticleResult]) -> str:
    """Links to each article with its counts (in-page anchors only)."""
    if len(results) < 2:
        return ""
    items = []
    for r in results:
        c = summary_counts(r.verdicts)
        counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in c.items() if n)
        items.append(f'<li><a href="#doc-{_e(r.doc_id)}">{_e(_name(r))}</a> '
                     f'<span class="meta">{_e(counts or "no figures to check")}</span></li>')
    return f'<nav class="legend"><strong>Articles</strong><ol lang="zh">{"".join(items)}</ol></nav>'


def render_html(results: list[ArticleResult], store: MarketStore, generated: str = "", db: str = "") -> str:
    """The whole HTML report (one string, self-contained)."""
    total = summary_counts(v for r in results for v in r.verdicts)
    head = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>narrex fact-check report</title><style>{_CSS}</style></head><body><main>'
            f'<h1>narrex fact-check report</h1>'
            f'<p class="meta">{_e(len(results))} articles · {_e(store.count())} market observations'
            + (f' · database {_e(db)}' if db else '') + (f' · generated {_e(generated)}' if generated else '') + '</p>'
            f'<p class="summary">' + "".join(f'<span>{_badge(k)} {total[k]}</span>' for k in _ORDER) + '</p>'
            + _toc(results) + _legend())
    body = []
    for r in results:
        counts = summary_counts(r.verdicts)
        title = _name(r)
        body.append(f'<h2 lang="zh" id="doc-{_e(r.doc_id)}">{_e(title)}</h2><p class="meta">doc {_e(r.doc_id)}'
                    + (f' · {_e(r.source)}' if r.source else '') + (f' · published {_e(r.published)}' if r.published else '')
                    + f' · {r.n_figures} figures, {len(r.verdicts)} with a subject and metric</p>')
        body.append('<p class="summary">' + "".join(f'<span>{_badge(k)} {counts[k]}</span>' for k in _ORDER) + '</p>')
        if not r.verdicts:
            body.append('<p class="meta">No figure in this article names a subject and a metric to check.</p>')
        checked = [v for v in r.verdicts if v.verdict != "not_checkable"]
        checked.sort(key=lambda v: _ORDER.index(v.verdict))
        body.extend(_card(store, v) for v in checked)
        nc = [v for v in r.verdicts if v.verdict == "not_checkable"]
        if nc:
            items = "".join(f'<li><mark>{_e(v.figure.get("surface"))}</mark> — {_e(v.sentence)}</li>' for v in nc)
            body.append(f'<details class="card nc"><summary>{len(nc)} not-checkable figures (forecasts, scenarios, '
                        f'thresholds, model levels)</summary><ul lang="zh">{items}</ul><p class="rule"><strong>Rule:</strong> '
                        f'{_e(nc[0].rule)}</p></details>')
    return head + "".join(body) + "</main></body></html>\n"


def _md(s: object) -> str:
    return str("" if s is None else s).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(results: list[ArticleResult], store: MarketStore, generated: str = "", db: str = "") -> str:
    """The report as Markdown (same content as the HTML, without charts)."""
    total = summary_counts(v for r in results for v in r.verdicts)
    out = ["# narrex fact-check report", "",
           f"{len(results)} articles · {store.count()} market observations" + (f" · generated {generated}" if generated else ""),
           "", " · ".join(f"**{_LABEL[k]}**: {total[k]}" for k in _ORDER), "",
           "How to read it: a figure is *supported* when a market observation for the same instrument, metric and "
           "date falls inside what the figure accepts (a number stands for what it rounds from; 约 widens that by "
           "±5%; 超过/高达 accepts anything at or above it; 近 up to 5% below it; outflows are negative); "
           "*contradicted* when there is data and none fits; *unverifiable* when there is no data (never counted "
           "as support); *not checkable* for forecasts, scenarios, thresholds and model levels.", ""]
    for r in results:
        out += [f"## {_md(r.title or r.source or r.doc_id)}", "", f"doc `{r.doc_id}`" + (f" · {_md(r.source)}" if r.source else ""), ""]
        c = summary_counts(r.verdicts)
        out += [" · ".join(f"{_LABEL[k]}: {c[k]}" for k in _ORDER), ""]
        for v in sorted(r.verdicts, key=lambda v: _ORDER.index(v.verdict)):
            out.append(f"### {_LABEL[v.verdict]}: {_md(v.figure.get('surface'))} ({_md(v.instrument)}, {_md(v.metric)}, {_md(v.date)})")
            out.append("")
            if v.sentence:
                out.append(f"> {_md(v.sentence)}")
                out.append("")
            out.append(_md(v.detail))
            out.append("")
            out.append(f"*Rule:* {_md(v.rule)}")
            out.append("")
            for ev in v.evidence:
                o = ev.obs
                url = (o.source_url or "").replace("(", "%28").replace(")", "%29")
                link = f"[{_md(o.label)}]({url})" if _URL_OK.match(url) else _md(o.label)
                flag = " (low-quality source)" if o.quality == "low" else ""
                out.append(f"- {o.date}: {_md(fmt_value(o.value, o.unit))} {_md(o.aspect)} — {link}{flag} — "
                           + ("meets the claim" if ev.matches else "outside the claim"))
            if v.evidence:
                out.append("")
    return "\n".join(out) + "\n"
