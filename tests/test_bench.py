"""Smoke test of the bench (``python -m bench --quick``): every stage is reported, with a ratio to jieba.

No timing assertions: speed is what the bench measures, not what tests check.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ is a repo tool, not an installed package

from bench.corpus import iter_corpus, write_jsonl  # noqa: E402
from bench.stages import STAGES  # noqa: E402


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def table() -> str:
    out = _run("--quick", "--size-mb", "0.08")
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_table_has_every_stage_and_the_ratio(table):
    lines = table.splitlines()
    rows = {ln.split()[0] for ln in lines if ln and not ln.startswith(("-", "stage", "narrex", "jieba.", "end", "ingest"))}
    assert set(STAGES) <= rows
    for stage in ("decode", "clean", "script", "segment", "figures", "entities", "claims", "e2e", "graph", "jieba"):
        assert stage in rows
    ratio = next(ln for ln in lines if ln.startswith("end to end"))
    assert any(ch.isdigit() for ch in ratio.split(":", 1)[1].split("(")[0]), ratio  # a number, not "n/a"
    assert "narrex --help:" in table and "ingest, 5,000-char articles per minute" in table


def test_json_output_and_stage_selection():
    out = _run("--quick", "--size-mb", "0.03", "--stages", "decode,e2e", "--json", "--no-help-timing")
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert [r["stage"] for r in res["stages"]] == ["decode", "e2e", "jieba"]
    assert res["jieba_chars_per_s"] > 0 and res["e2e_vs_jieba"] > 0
    assert all(r["chars"] > 0 and r["peak_rss_mb"] > 0 for r in res["stages"])
    assert _run("--stages", "nope").returncode == 2


def test_corpus_is_deterministic_sized_and_unique():
    a = list(iter_corpus(300_000, seed=3))
    b = list(iter_corpus(300_000, seed=3))
    c = list(iter_corpus(300_000, seed=4))
    assert [x.text for x in a] == [x.text for x in b]
    assert [x.text for x in a] != [x.text for x in c]
    assert 300_000 <= sum(len(x.data) for x in a) < 300_000 + 20_000
    # every copy differs (the graph's content-hash dedup must not turn ingest into a no-op)
    assert len({hashlib.sha256(x.text.encode()).digest() for x in a}) == len(a)
    assert {x.encoding for x in a} == {"utf-8", "gb18030"}
    for x in a:
        assert x.data.decode(x.encoding) == x.text


def test_write_corpus(tmp_path):
    n, chars, size = write_jsonl(tmp_path / "c.jsonl", iter_corpus(50_000))
    lines = (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == n and size == (tmp_path / "c.jsonl").stat().st_size
    row = json.loads(lines[0])
    assert set(row) == {"id", "text", "source", "published"} and sum(len(json.loads(x)["text"]) for x in lines) == chars


def test_cold_stage_empties_the_text_memos_before_every_article():
    from extract import _discovery, _gazetteer, _lexicon, _numerals, dates
    from extract.pipeline import _clear_text_memos, extract_article

    extract_article("贝莱德旗下 IBIT 周四净流入 2.3 亿美元，高瓴资本增持。")
    memos = (_discovery._name_before, _gazetteer.norm, _numerals.parse_cn, _numerals.norm, dates._scan,
             _lexicon.scan_candidates)
    assert all(f.cache_info().currsize > 0 for f in memos)
    _clear_text_memos()
    assert all(f.cache_info().currsize == 0 for f in memos)
    out = _run("--quick", "--size-mb", "0.03", "--stages", "e2e_cold", "--json", "--no-help-timing")
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert [r["stage"] for r in res["stages"]] == ["e2e_cold", "jieba"]
    assert res["e2e_cold_vs_jieba"] > 0 and res["e2e_vs_jieba"] is None
