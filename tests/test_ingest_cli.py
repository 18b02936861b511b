"""The graph commands from the shell: ingest (batch, summary, failures), query, export, database errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import networkx as nx
import pytest

from test_graph_kg import GOLD_A, GOLD_B, YEN_C


class _Result:
    def __init__(self, code, out, err):
        self.returncode, self.stdout, self.stderr = code, out, err


@pytest.fixture()
def narrex(capsys, monkeypatch):
    """Run the CLI in this process (imports once: fast), as the console script does (``narrex.cli.main``)."""
    from narrex.cli import main

    def run(*args: str, env_db=None):
        monkeypatch.delenv("NARREX_DB", raising=False)
        if env_db:
            monkeypatch.setenv("NARREX_DB", str(env_db))
        capsys.readouterr()
        code = 0
        try:
            main(list(args))
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        out, err = capsys.readouterr()
        return _Result(code, out, err)

    return run


def narrex_subprocess(*args: str):
    env = {k: v for k, v in os.environ.items() if k != "NARREX_DB"}
    return subprocess.run([sys.executable, "-m", "narrex", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def _corpus(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "gold_a.txt").write_text(GOLD_A + "\n", encoding="utf-8")
    (d / "sub" / "gold_b.txt").write_text(GOLD_B + "\n", encoding="utf-8")
    (d / "yen.txt").write_bytes((YEN_C + "\n").encode("gb18030"))
    (d / "broken.txt").write_bytes(b"%PDF-1.7\n\x00\x01binary")
    return d


def test_ingest_batch_summary_failures_and_rerun(tmp_path, narrex):
    d = _corpus(tmp_path)
    db = tmp_path / "kg.db"
    r = narrex("ingest", str(d), str(tmp_path / "missing.txt"), "--db", str(db))
    assert r.returncode == 1
    assert "added 3, skipped (already present) 0, failed 2" in r.stdout
    errs = [line for line in r.stderr.splitlines() if line.startswith("narrex: error:")]
    assert len(errs) == 2 and any("broken.txt" in e for e in errs) and any("missing.txt" in e for e in errs)
    assert "Traceback" not in r.stderr
    # a re-run adds nothing; the same article in another encoding is the same article
    (d / "yen_utf8_copy.txt").write_text(YEN_C + "\n", encoding="utf-8")
    r = narrex("ingest", str(d / "*.txt"), str(d / "sub"), "--db", str(db))
    assert "added 0, skipped (already present) 4, failed 1" in r.stdout, r.stdout + r.stderr


def test_query_commands_json_and_tables(tmp_path, narrex):
    d = _corpus(tmp_path)
    db = tmp_path / "kg.db"
    narrex("ingest", str(d / "gold_a.txt"), str(d / "sub" / "gold_b.txt"), str(d / "yen.txt"), "--db", str(db))
    r = narrex("query", "stories", "--json", env_db=db)  # the database from $NARREX_DB
    assert r.returncode == 0, r.stderr
    stories = [json.loads(x) for x in r.stdout.splitlines()]
    assert sorted(len(s["docs"]) for s in stories) == [1, 2]
    r = narrex("query", "articles", "--db", str(db))
    assert r.returncode == 0 and "doc_id" in r.stdout.splitlines()[0]
    for sub in (["figures"], ["figures", "--all", "--json"], ["claims", "--json"], ["causes", "金价"],
                ["stories", "--min-size", "2"]):
        r = narrex("query", *sub, "--db", str(db))
        assert r.returncode == 0, (sub, r.stderr)
        if "--json" in sub:
            for line in r.stdout.splitlines():
                json.loads(line)
    r = narrex("query", "entity", "聯準會", "--json", "--db", str(db))  # named 美联储/聯準會 in the gold notes
    assert r.returncode == 0, r.stderr
    ent = json.loads(r.stdout)
    assert ent["id"] == "Federal Reserve" and len(ent["mentioned_in"]) == 2
    r = narrex("query", "entity", "没有这个实体", "--db", str(db))
    assert r.returncode == 1 and "no entity" in r.stderr


def test_export_graphml_from_cli(tmp_path, narrex):
    d = _corpus(tmp_path)
    db = tmp_path / "kg.db"
    narrex("ingest", str(d / "gold_a.txt"), "--db", str(db))
    out = tmp_path / "g.graphml"
    r = narrex("export", "--format", "graphml", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    h = nx.read_graphml(out, force_multigraph=True)
    assert any(dd.get("type") == "Article" for _, dd in h.nodes(data=True))
    r = narrex("export", "--format", "neo4j-csv", str(tmp_path / "neo"), "--db", str(db))
    assert r.returncode == 0 and (tmp_path / "neo" / "README.txt").exists()
    r = narrex("export", "--format", "dot", str(tmp_path / "x"), "--db", str(db))
    assert r.returncode != 0 and "Traceback" not in r.stderr


def test_database_problems_are_one_line(tmp_path, narrex):
    r = narrex("query", "stories", "--db", str(tmp_path / "nope.db"))
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "no such database" in r.stderr
    assert not (tmp_path / "nope.db").exists()
    bad = tmp_path / "bad.db"
    bad.write_text("hello, not a database\n")
    for args in (["ingest", str(bad), "--db", str(bad)], ["export", str(tmp_path / "g.graphml"), "--db", str(bad)]):
        r = narrex(*args)
        assert r.returncode == 1 and "not an SQLite database" in r.stderr and "Traceback" not in r.stderr
    assert bad.read_text() == "hello, not a database\n"


def test_help_lists_graph_commands_and_errors_are_one_line_in_a_real_process(tmp_path):
    r = narrex_subprocess("query", "stories", "--db", str(tmp_path / "nope.db"))
    assert r.returncode == 1 and r.stderr.startswith("narrex: error:") and "Traceback" not in r.stderr
    r = narrex_subprocess("--help")
    for cmd in ("ingest", "query", "export"):
        assert cmd in r.stdout
    r = narrex_subprocess("query", "--help")
    for cmd in ("entity", "figures", "claims", "causes", "stories"):
        assert cmd in r.stdout


def test_ingest_jsonl_archive_with_workers_and_duplicates(tmp_path, narrex):
    arch = tmp_path / "batch.jsonl"
    rows = [{"id": "a", "text": GOLD_A, "source": "财经网", "published": "2026-03-03"},
            {"id": "b", "text": GOLD_B, "source": "鉅亨網"},
            {"id": "a-again", "text": GOLD_A},
            {"id": "c", "text": YEN_C}]
    arch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{not json\n", encoding="utf-8")
    db = tmp_path / "kg.db"
    r = narrex("ingest", str(arch), "--db", str(db), "--jobs", "2")
    assert "added 3, skipped (already present) 1, failed 1" in r.stdout, r.stdout + r.stderr
    assert r.returncode == 1 and "batch.jsonl:5" in r.stderr
    from graph import KnowledgeGraph

    with KnowledgeGraph.open(db) as kg:
        arts = {a.source: a for a in kg.articles()}
        assert set(arts) == {"财经网", "鉅亨網", f"{arch}:4"}
        assert arts["财经网"].published == "2026-03-03"
        assert sorted(len(s.docs) for s in kg.stories()) == [1, 2]
