"""Reports: self-contained, escaped, phone-readable HTML; Markdown; the check command over a database."""
from __future__ import annotations

import json
import re
from decimal import Decimal as D

import pytest

from check.market import MarketStore, Observation
from check.report import ArticleResult, render_html, render_markdown
from check.verdict import check_record

EVIL = '<script>alert("x")</script>'


from conftest import run_cli as run  # noqa: E402  (shared CLI runner)


def _store() -> MarketStore:
    s = MarketStore.open()
    s.add_many([
        Observation(date="2026-02-04", instrument="IBIT", metric="net_flow_usd", value=D(-373440000), unit="USD",
                    source="SoSoValue", source_url="https://example.com/flows?a=1&b=2"),
        Observation(date="2026-02-03", instrument="IBIT", metric="net_flow_usd", value=D(-60100000), unit="USD",
                    source=EVIL, source_url="javascript:alert(1)"),
        Observation(date="2026-02-02", instrument="IBIT", metric="net_flow_usd", value=D(142000000), unit="USD",
                    source="Blog", source_url="https://blog.example/x", quality="low"),
    ])
    return s


def _record(title: str = f"标题 {EVIL}") -> dict:
    raw = f"前言 {EVIL}。IBIT 在 2 月 4 日赎回约 3.7 亿美元 {EVIL}。明年或将达到 100 亿美元。"
    i = raw.index("3.7")
    j = raw.index("100 亿")
    figs = [
        dict(surface="3.7 亿美元", start=i, end=i + 7, value=370000000, unit="USD", approx="approx", sign="-",
             subject="IBIT", metric="net_flow_usd", date="2026-02-04", checkable=True),
        dict(surface="3.7 亿美元", start=i, end=i + 7, value=370000000, unit="USD", approx="approx", sign="-",
             subject="IBIT", metric="net_flow_usd", date="2026-02-03", checkable=True),
        dict(surface="100 亿美元", start=j, end=j + 7, value=10000000000, unit="USD", approx="eq", sign=None,
             subject="IBIT", metric="net_flow_usd", date="2027", checkable=False),
    ]
    return {"doc_id": "d1", "title": title, "source": "x.txt", "raw_text": raw, "figures": figs}


def _html() -> str:
    s = _store()
    rec = _record()
    res = [ArticleResult("d1", rec["title"], rec["source"], None, check_record(rec, s), 3)]
    return render_html(res, s, "2026-02-10T00:00:00+00:00")


def test_html_is_escaped_and_self_contained():
    h = _html()
    assert "<script" not in h.lower() and "&lt;script&gt;" in h
    assert 'name="viewport"' in h and "<svg" in h
    assert not re.search(r'(src|href)="(?!https?://)[a-z]+:', h)  # no javascript: or data: links
    assert 'href="javascript' not in h
    assert not re.search(r'<(link|img|iframe|object|embed)\b', h)
    assert "https://example.com/flows?a=1&amp;b=2" in h  # a real link, escaped
    for href in re.findall(r'href="([^"]+)"', h):
        assert href.startswith(("http://", "https://", "#doc-"))  # external data links or in-page anchors


def test_html_explains_each_verdict():
    h = _html()
    assert "Supported" in h and "Contradicted" in h and "Not checkable" in h
    assert "Rule:" in h and "−3.885 亿" in h and "SoSoValue" in h
    assert "<mark>3.7 亿美元</mark>" in h
    assert "low-quality" in h
    assert "How to read this report" in h


def test_markdown_report():
    s = _store()
    rec = _record()
    md = render_markdown([ArticleResult("d1", rec["title"], rec["source"], None, check_record(rec, s), 3)], s)
    assert md.startswith("# narrex fact-check report")
    assert "[SoSoValue](https://example.com/flows?a=1&b=2)" in md
    assert "javascript:" not in md and "<script>" not in md
    assert "Supported" in md and "*Rule:*" in md


@pytest.fixture()
def db_with_article(tmp_path):
    graph = pytest.importorskip("graph")
    if not hasattr(graph, "KnowledgeGraph"):
        pytest.skip("graph stage not available")
    db = tmp_path / "n.db"
    kg = graph.KnowledgeGraph.open(str(db))
    rec = _record(title="IBIT flows")
    rec.update(published=None, script="simplified", clean_text=rec["raw_text"], dropped=[], entities=[], dates=[],
               claims=[])
    kg.ingest_record(rec)
    kg.close()
    return str(db)


def test_check_cli_json_and_reports(db_with_article, tmp_path, capsys):
    db = db_with_article
    assert run("check", "--db", db, "--json") == 0
    lines = [json.loads(l) for l in capsys.readouterr().out.splitlines() if l.strip()]
    verdicts = {(l["figure"]["date"], l["verdict"]) for l in lines}
    assert ("2026-02-04", "supported") in verdicts and ("2027", "not_checkable") in verdicts
    sup = next(l for l in lines if l["verdict"] == "supported")
    assert sup["evidence"][0]["url"].startswith("https://") and sup["evidence"][0]["source"] == "SoSoValue"
    for key in ("doc_id", "figure", "verdict", "observed", "tolerance", "evidence", "rule", "detail"):
        assert key in sup
    html_out, md_out = tmp_path / "r.html", tmp_path / "r.md"
    assert run("check", "--db", db, "--report", str(html_out)) == 0
    assert run("check", "--db", db, "--report", str(md_out)) == 0
    assert "<svg" in html_out.read_text(encoding="utf-8") or "Supported" in html_out.read_text(encoding="utf-8")
    assert md_out.read_text(encoding="utf-8").startswith("# narrex")


def test_check_cli_errors(tmp_path, capsys):
    assert run("check", "--db", str(tmp_path / "missing.db")) == 1
    err = capsys.readouterr().err
    assert "no such database" in err and "Traceback" not in err
    p = tmp_path / "notdb.db"
    p.write_text("hello, not a database")
    assert run("check", "--db", str(p)) == 1
    assert "not a narrex database" in capsys.readouterr().err
    assert p.read_text() == "hello, not a database"
    assert run("check", "--db", str(p), "--report", "out.pdf") == 1
    assert ".html or .md" in capsys.readouterr().err


def test_html_lists_articles_with_anchors():
    s = _store()
    recs = [_record(), dict(_record(title="第二篇"), doc_id="d2")]
    res = [ArticleResult(r["doc_id"], r["title"], r["source"], None, check_record(r, s), 3) for r in recs]
    h = render_html(res, s)
    assert 'href="#doc-d2"' in h and 'id="doc-d2"' in h
    assert "<script" not in h.lower()
