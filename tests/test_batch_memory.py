"""Memory stays flat in input size: a JSON Lines archive 4x longer must not raise peak RSS.

Each measurement runs in a fresh subprocess (``ru_maxrss`` is a per-process high-water
mark) on archives of N and 4N articles made from paragraphs of the bundled articles with
their numbers changed (so every article is distinct).
"""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import corpora

_NUM = re.compile(r"\d+(?:\.\d+)?")

_PROBE = r"""
import json, resource, sys, tempfile, os
from extract.batch import iter_inputs, extract_many
path, mode, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = ok = 0
if mode == "read":
    for it in iter_inputs([path]):
        n += 1; ok += it.error is None
elif mode == "extract":
    for it, rec, err in extract_many(iter_inputs([path]), jobs=jobs):
        n += 1; ok += err is None
else:
    from graph import KnowledgeGraph
    with tempfile.TemporaryDirectory() as d:
        kg = KnowledgeGraph.open(os.path.join(d, "m.db"))
        for it, rec, err in extract_many(iter_inputs([path]), jobs=jobs):
            n += 1
            if rec is not None:
                ok += kg.ingest_record(rec)[1]
        kg.close()
print(json.dumps({"n": n, "ok": ok, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _paragraphs() -> list[str]:
    out = []
    for p in sorted(corpora.path("articles").glob("*.txt")):
        out += [ln.strip() for ln in p.read_text(encoding="utf-8").split("\n") if len(ln.strip()) > 30]
    return out


def make_archive(path: Path, n: int, chars: int, seed: int = 1) -> Path:
    """Write ``n`` distinct articles of about ``chars`` characters as JSON Lines."""
    rng = random.Random(seed)
    paras = _paragraphs()
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            body: list[str] = []
            while sum(map(len, body)) < chars:
                p = rng.choice(paras)
                body.append(_NUM.sub(lambda m: str(rng.randint(1, 9999)), p))
            row = {"id": f"m{i}", "text": "\n".join(body)[: chars + 200], "source": "memtest",
                   "published": f"2026-0{1 + i % 9}-1{i % 10}"}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _peak(path: Path, mode: str, jobs: int = 1) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE, str(path), mode, str(jobs)], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_streaming_a_large_archive_keeps_memory_flat(tmp_path):
    small = make_archive(tmp_path / "s.jsonl", 2500, 1500)
    big = make_archive(tmp_path / "b.jsonl", 10000, 1500, seed=2)
    a, b = _peak(small, "read"), _peak(big, "read")
    assert (a["n"], b["n"]) == (2500, 10000) and b["ok"] == 10000
    growth = b["peak_mib"] - a["peak_mib"]
    # the big archive is ~45 MB: reading it whole (or keeping its items) would show here
    assert growth < 8, (a, b, big.stat().st_size)


def test_extracting_an_archive_keeps_memory_flat(tmp_path):
    small = make_archive(tmp_path / "s.jsonl", 60, 800)
    big = make_archive(tmp_path / "b.jsonl", 240, 800, seed=2)
    a, b = _peak(small, "extract"), _peak(big, "extract")
    assert a["ok"] == 60 and b["ok"] == 240, "extraction failed: the memory comparison would be meaningless"
    # measured: ~0.6 MiB noise; keeping the 180 extra ArticleRecords anywhere (~30 KiB each) adds ~5 MiB
    assert b["peak_mib"] - a["peak_mib"] < 3.5, (a, b)
