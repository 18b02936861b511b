"""Issue 8 cases not covered by the stage tests: size limits, HTML with scripts, unwritable and full databases."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import corpora

NARREX = [sys.executable, "-m", "narrex"]


def run(*args: str, env: dict | None = None, preexec=None, cwd=None) -> subprocess.CompletedProcess:
    e = dict(os.environ, **(env or {}))
    return subprocess.run([*NARREX, *args], capture_output=True, text=True, env=e, preexec_fn=preexec, cwd=cwd, timeout=300)


def one_error_line(r: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in r.stderr, r.stderr
    lines = [l for l in r.stderr.splitlines() if l.startswith("narrex: error")]
    assert lines, r.stderr
    return lines[0]


def test_size_limit_is_configurable(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("比特币价格上涨 5%。\n" * 2000, encoding="utf-8")
    r = run("clean", str(p), env={"NARREX_MAX_BYTES": "10000"})
    assert r.returncode == 1
    line = one_error_line(r)
    assert "big.txt" in line and "limit" in line and "NARREX_MAX_BYTES" in line
    r = run("clean", str(p), env={"NARREX_MAX_BYTES": str(10 * 1024 * 1024)})
    assert r.returncode == 0 and "比特币价格上涨" in r.stdout


def test_html_scripts_and_styles_never_reach_the_body(tmp_path):
    page = """<!doctype html><html><head><title>美联储按兵不动</title>
<style>body{font-family:sans-serif} .ad{color:red}</style>
<script>var tracker = "净流入 999 亿美元"; window.dataLayer=[];</script></head>
<body><nav><a href="/">首页</a> | <a href="/login">登录</a></nav>
<article><h1>美联储按兵不动</h1>
<p>美联储周三宣布维持联邦基金利率目标区间在 3.50%-3.75% 不变，符合市场预期。</p>
<p>消息公布后，现货黄金上涨 1.8%，报每盎司 4,250 美元。美国 10 年期国债收益率回落至 4.11%。</p>
<script>document.write("点击领取 50 USDT")</script>
<p>分析人士认为，实际利率下行推动黄金 ETF 持仓连续增加，本周流入约 12 亿美元。</p></article>
<footer>版权所有 © 2025 示例财经网</footer></body></html>"""
    p = tmp_path / "page.html"
    p.write_text(page, encoding="utf-8")
    r = run("clean", str(p))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "3.50%-3.75%" in out and "12 亿美元" in out
    for junk in ("tracker", "999", "dataLayer", "font-family", "50 USDT", "document.write"):
        assert junk not in out
    r = run("figures", str(p), "--json")
    assert r.returncode == 0
    assert "999" not in r.stdout


@pytest.mark.parametrize("where", ["/proc/narrex-test.db", "{tmp}/a-file.txt/narrex.db"])
def test_unwritable_database_location(tmp_path, where):
    art = tmp_path / "a.txt"
    art.write_text("比特币现货 ETF 周五净流入 2.18 亿美元。", encoding="utf-8")
    (tmp_path / "a-file.txt").write_text("not a directory", encoding="utf-8")
    db = where.format(tmp=tmp_path)
    r = run("ingest", str(art), "--db", db)
    assert r.returncode == 1
    assert db.split("/")[-2] in one_error_line(r) or "narrex" in one_error_line(r)


def test_full_disk_keeps_the_database_sound(tmp_path):
    """A write that fails for lack of space (RLIMIT_FSIZE stands in for a full disk) loses no committed article."""
    arts = tmp_path / "arts"
    shutil.copytree(corpora.path("articles"), arts)
    db = tmp_path / "n.db"
    first = sorted(arts.glob("*.txt"))[3]
    r = run("ingest", str(first), "--db", str(db))
    assert r.returncode == 0, r.stderr
    limit = db.stat().st_size + 40_000

    def tiny_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    r = run("ingest", str(arts), "--db", str(db), preexec=tiny_disk)
    assert r.returncode != 0
    assert "database" in one_error_line(r)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    # with room again, the batch completes and nothing is duplicated
    r = run("ingest", str(arts), "--db", str(db))
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 5
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
