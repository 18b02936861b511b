"""Crash safety and concurrency of ingest: SIGKILL mid-batch, two writers on one database.

Uses ``fork`` so the children start instantly (no re-import); the articles are synthetic
records with many rows each, so a kill often lands inside a transaction.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import signal
import sqlite3
import time

import pytest

from extract.records import Entity
from graph.model import prepare

from test_graph_records import make_record

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

N_ARTICLES = 40


def synthetic(i: int):
    """Article ``i``: 30 figures, 30 mentions, 10 claims — distinct text, so distinct doc ids and stories."""
    parts, figs, ments, claims = [], [], [], []
    for k in range(30):
        parts.append(f"第{i}号基金在第{k}个交易日净流入{i * 100 + k}.{k % 10}亿美元,机构{i}-{k}号加仓。")
    raw = "".join(parts)
    after = 0
    for k in range(30):
        s = f"{i * 100 + k}.{k % 10}亿美元"
        a = raw.index(s, after)
        after = a + len(s)
        figs.append({"surface": s, "after": a, "value": (i * 100 + k + (k % 10) / 10) * 1e8, "unit": "USD",
                     "kind": "flow", "sign": "+", "subject": f"FUND{i}", "metric": "net_flow_usd",
                     "date": f"2026-01-{k % 28 + 1:02d}"})
        ments.append((f"机构{i}-{k}号", f"Inst {i}-{k}", "ORG"))
    for k in range(10):
        claims.append({"cause": f"第{i}号基金在第{k}个交易日净流入", "cue": "加仓", "effect": f"机构{i}-{k}号加仓"})
    ents = [Entity(id=f"Inst {i}-{k}", name=f"Inst {i}-{k}", type="ORG", aliases=[f"机构{i}-{k}号"]) for k in range(30)]
    return make_record(raw, doc_id=f"syn{i:04d}", figures=figs, mentions=ments, claims=claims, entities=ents)


def _ingest_all(db: str, order_seed: int = 0) -> None:
    from graph import KnowledgeGraph

    kg = KnowledgeGraph.open(db)
    idx = list(range(N_ARTICLES))
    if order_seed:
        random.Random(order_seed).shuffle(idx)
    for i in idx:
        kg.ingest_record(synthetic(i))
    kg.close()


def _child(db: str, order_seed: int = 0) -> None:
    try:
        _ingest_all(db, order_seed)
    finally:
        os._exit(0)


def _check_consistent(db: str) -> int:
    """integrity_check ok and every present article complete; returns the number of articles."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "articles" not in tables:  # killed while creating the schema: that transaction left nothing
            assert "meta" not in tables or con.execute("SELECT count(*) FROM meta").fetchone()[0] == 0
            return 0
        n = 0
        for doc_id, record in con.execute("SELECT doc_id, record FROM articles"):
            rec = json.loads(record)
            got = [con.execute(f"SELECT count(*) FROM {t} WHERE doc_id=?", (doc_id,)).fetchone()[0]
                   for t in ("figures", "mentions", "claims")]
            assert got == [len(rec["figures"]), len(rec["entities"]), len(rec["claims"])], doc_id
            links = con.execute("SELECT count(*) FROM claim_links WHERE doc_id=?", (doc_id,)).fetchone()[0]
            want = sum(len(c["links"][r]["entities"]) + len(c["links"][r]["figures"])
                       for c in prepare(rec).claims for r in ("cause", "effect"))
            assert links == want, doc_id
            n += 1
        # no rows of an article that is not there
        for t in ("figures", "mentions", "claims", "claim_links"):
            assert con.execute(f"SELECT count(*) FROM {t} WHERE doc_id NOT IN (SELECT doc_id FROM articles)"
                               ).fetchone()[0] == 0
        return n
    finally:
        con.close()


def test_sigkill_mid_batch_leaves_whole_articles_and_rerun_completes(tmp_path):
    ctx = mp.get_context("fork")
    db = str(tmp_path / "kill.db")
    # how long a full batch takes here, to aim the kills inside it
    _ingest_all(str(tmp_path / "warmup.db"))  # first use loads converters and caches
    t0 = time.perf_counter()
    _ingest_all(str(tmp_path / "timing.db"))
    full = time.perf_counter() - t0
    rng = random.Random(20260205)
    trials, mid_batch, counts = 20, 0, []
    for trial in range(trials):
        before = _check_consistent(db) if os.path.exists(db) else 0
        if before >= N_ARTICLES * 3 // 4:  # little work left: start a new batch so the kills keep hitting work
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            before = 0
        p = ctx.Process(target=_child, args=(db, trial + 1))
        p.start()
        remaining = full * (N_ARTICLES - before) / N_ARTICLES
        time.sleep(rng.uniform(0.02, max(0.03, remaining * 0.8)))
        if p.is_alive():
            os.kill(p.pid, signal.SIGKILL)
        p.join()
        n = _check_consistent(db)
        counts.append(n)
        if p.exitcode == -signal.SIGKILL and before <= n < N_ARTICLES:
            mid_batch += 1
    print("kill trials: articles present after each kill", counts, "mid-batch kills", mid_batch)
    assert mid_batch >= trials // 2, counts  # most kills landed mid-batch
    # re-running completes the batch, and the graph builds from what survived
    _ingest_all(db)
    assert _check_consistent(db) == N_ARTICLES
    from graph import KnowledgeGraph

    with KnowledgeGraph.open(db) as kg:
        assert len(kg.articles()) == N_ARTICLES
        assert len(kg.figures(subject="FUND3")) == 30


def test_two_writers_neither_corrupt_nor_duplicate(tmp_path):
    ctx = mp.get_context("fork")
    db = str(tmp_path / "two.db")
    from graph import KnowledgeGraph

    KnowledgeGraph.open(db).close()  # create the schema once; the race below is on articles
    procs = [ctx.Process(target=_child, args=(db, seed)) for seed in (1, 2, 3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    assert _check_consistent(db) == N_ARTICLES
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(DISTINCT doc_id), count(*) FROM articles").fetchone() == (N_ARTICLES, N_ARTICLES)
    assert con.execute("SELECT count(*) FROM entities").fetchone()[0] == N_ARTICLES * 30
    con.close()


def test_two_writers_creating_the_database_at_once(tmp_path):
    ctx = mp.get_context("fork")
    db = str(tmp_path / "fresh.db")
    procs = [ctx.Process(target=_child, args=(db, seed)) for seed in (4, 5)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert _check_consistent(db) == N_ARTICLES


def test_killing_the_real_ingest_command_then_rerunning(tmp_path):
    """The whole path (CLI, cleaning, extraction, store) killed once mid-run, then run again."""
    import subprocess
    import sys

    import corpora

    db = str(tmp_path / "cli.db")
    src = tmp_path / "in"
    src.mkdir()
    for p in corpora.path("articles").glob("*.txt"):  # the five seeds
        (src / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    cmd = [sys.executable, "-m", "narrex", "ingest", str(src), "--db", db, "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    n = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if os.path.exists(db):
            try:
                con = sqlite3.connect(db, timeout=1)
                n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
                con.close()
            except sqlite3.Error:
                n = 0
            if n >= 1:
                break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    present = _check_consistent(db)
    assert present >= 1
    r = subprocess.run(cmd[:-1], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    total = _check_consistent(db)
    assert total == 5
    assert f"added {5 - present}, skipped (already present) {present}, failed 0" in r.stdout, r.stdout
