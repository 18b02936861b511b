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
    code = 1
    try:
        _ingest_all(db, order_seed)
        code = 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)  # an error in a writer fails the test (exit code 1), it is not hidden


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


class _Probe:
    """Stands in for the store's sqlite3 connection in a child: counts SQL statements and, just before
    statement number ``pause_at``, reports how many new articles were committed and waits to be killed.

    This makes the kill point exact (inside a transaction, before its COMMIT, between articles …)
    instead of depending on how fast a loaded machine runs the child.
    """

    def __init__(self, real, pause_at, report):
        self._real, self._pause_at, self._report = real, pause_at, report
        self.count = self.committed = 0
        self._new_article = False

    def __getattr__(self, name):
        return getattr(self._real, name)

    def _tick(self, sql: str) -> None:
        if self.count == self._pause_at:
            self._report.send((self.committed, sql.split("(")[0][:40]))
            while True:
                time.sleep(60)  # the parent kills us here
        self.count += 1

    def _after(self, sql: str) -> None:
        if sql.startswith("INSERT INTO articles"):
            self._new_article = True
        elif sql in ("COMMIT", "ROLLBACK"):
            self.committed += sql == "COMMIT" and self._new_article
            self._new_article = False

    def execute(self, sql, *args):
        self._tick(sql)
        cur = self._real.execute(sql, *args)
        self._after(sql)
        return cur

    def executemany(self, sql, rows):
        self._tick(sql)
        cur = self._real.executemany(sql, rows)
        self._after(sql)
        return cur


def _probed_ingest(db: str, order_seed: int, pause_at: int, report) -> int:
    """``_ingest_all`` through a _Probe; returns the number of SQL statements (when it was not paused)."""
    from graph import KnowledgeGraph

    kg = KnowledgeGraph.open(db)
    probe = _Probe(kg._store.conn, pause_at, report)
    kg._store.conn = probe
    idx = list(range(N_ARTICLES))
    random.Random(order_seed).shuffle(idx)
    for i in idx:
        kg.ingest_record(synthetic(i))
    kg._store.conn = probe._real
    kg.close()
    return probe.count


def _paused_child(db: str, order_seed: int, pause_at: int, report) -> None:
    try:
        _probed_ingest(db, order_seed, pause_at, report)
    finally:
        os._exit(0)


def _timed_child(db: str, order_seed: int, report) -> None:
    try:
        report.send("started")
        _ingest_all(db, order_seed)
    finally:
        os._exit(0)


def _fresh_if_mostly_done(db: str) -> int:
    """Articles present in ``db``; when little work is left, a new empty batch so the kills keep hitting work."""
    before = _check_consistent(db) if os.path.exists(db) else 0
    if before >= N_ARTICLES * 3 // 4:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        before = 0
    return before


def test_sigkill_mid_batch_leaves_whole_articles_and_rerun_completes(tmp_path):
    """Kills at exact points of the write path (any statement of any article, COMMIT included), then kills
    at random moments; after each, the database is intact and holds exactly the committed articles."""
    ctx = mp.get_context("fork")
    db = str(tmp_path / "kill.db")
    _ingest_all(str(tmp_path / "warmup.db"))  # first use loads converters and caches
    # how many SQL statements a whole batch of new articles takes, and how long it runs
    t0 = time.perf_counter()
    per_batch = _probed_ingest(str(tmp_path / "count.db"), 1, -1, None)
    full = time.perf_counter() - t0
    assert per_batch >= N_ARTICLES * 5
    rng = random.Random(20260205)
    where, counts = [], []
    for trial in range(14):  # exact kill points: deterministic, whatever the machine load
        before = _fresh_if_mostly_done(db)
        pause_at = rng.randrange(per_batch * (N_ARTICLES - before) // N_ARTICLES)
        recv, send = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_paused_child, args=(db, trial + 1, pause_at, send))
        p.start()
        send.close()  # the child holds the only write end: EOF if it exits without pausing
        assert recv.poll(300), "the child neither paused nor exited"
        committed, stmt = recv.recv()
        os.kill(p.pid, signal.SIGKILL)
        p.join()
        recv.close()
        assert p.exitcode == -signal.SIGKILL
        n = _check_consistent(db)
        # every article whose COMMIT returned survived the kill; the one in flight left nothing
        assert n == before + committed < N_ARTICLES, (trial, stmt, before, committed, n)
        where.append(stmt)
        counts.append(n)
    assert any(w.startswith("INSERT") for w in where)  # some kills landed inside a transaction with rows written
    for trial in range(6):  # random moments (inside sqlite's C code, JSON encoding …): any outcome must be whole
        before = _fresh_if_mostly_done(db)
        recv, send = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_timed_child, args=(db, 100 + trial, send))
        p.start()
        send.close()
        assert recv.poll(300) and recv.recv() == "started"
        time.sleep(rng.uniform(0.0, full * (N_ARTICLES - before) / N_ARTICLES * 0.8))
        if p.is_alive():
            os.kill(p.pid, signal.SIGKILL)
        p.join()
        recv.close()
        n = _check_consistent(db)
        assert before <= n <= N_ARTICLES
        counts.append(n)
    print("kill points", where, "articles present after each kill", counts)
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
        p.join(600)  # generous: a loaded machine is slow, a hang still fails
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
        p.join(600)  # generous: a loaded machine is slow, a hang still fails
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
    err = open(tmp_path / "stderr.txt", "w+")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
    # wait for the first committed article (an event, not a fixed delay): a loaded machine may need
    # long to import and load the lexicons; the deadline only stops a hung process
    deadline = time.monotonic() + 600
    n = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if os.path.exists(db):
            try:
                con = sqlite3.connect(db, timeout=1)
                try:
                    n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
                finally:
                    con.close()
            except sqlite3.Error:  # schema not created yet
                n = 0
            if n >= 1:
                break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    err.seek(0)
    # killed mid-run, or it finished first (fast machine): never an error exit
    assert proc.returncode in (-signal.SIGKILL, 0), err.read()
    err.close()
    present = _check_consistent(db)
    assert present >= 1
    r = subprocess.run(cmd[:-1], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    total = _check_consistent(db)
    assert total == 5
    assert f"added {5 - present}, skipped (already present) {present}, failed 0" in r.stdout, r.stdout
