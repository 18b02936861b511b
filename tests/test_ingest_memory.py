"""Ingest memory stays flat in corpus size: a database 4x larger must not raise the writer's peak RSS.

Each measurement runs in a fresh subprocess (``ru_maxrss`` is a per-process high-water mark)
that writes N, then 4N, articles of the bench corpus (``bench.corpus.iter_corpus``: the bundled
articles with paragraphs shuffled and numbers changed, so every article is distinct and the
copies of one source form large stories) through ``KnowledgeGraph.ingest_record``, the single
writer of ``narrex ingest``. Extraction runs once per source article; each copy's record is
that extraction with the copy's own text and content hash, so the story index sees the real
texts while the test stays fast. (Extraction's own memory is covered by test_batch_memory.)
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_PROBE = r"""
import hashlib, json, os, resource, sys, tempfile
from bench.corpus import iter_corpus
from extract import extract_article
from extract.records import to_jsonable
from graph import KnowledgeGraph

n = int(sys.argv[1])
base = {}  # source article -> its extracted record (as JSON)
with tempfile.TemporaryDirectory() as d:
    kg = KnowledgeGraph.open(os.path.join(d, "m.db"))
    added = 0
    for i, a in enumerate(iter_corpus(1 << 40)):
        if i == n:
            break
        if a.source not in base:
            base[a.source] = to_jsonable(extract_article(a.text, source=a.source, published=a.published))
        rec = dict(base[a.source], raw_text=a.text, clean_text=a.text,
                   doc_id=hashlib.sha256(a.text.encode("utf-8")).hexdigest()[:16])
        added += kg.ingest_record(rec)[1]
    stories = len(kg.stories())
    built = kg._model is not None  # ingest must not build the networkx graph
    kg.close()
print(json.dumps({"added": added, "stories": stories, "graph_built": built,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _peak(n: int) -> dict:
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", _PROBE, str(n)], capture_output=True, text=True, timeout=600,
                         cwd=root)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_ingest_memory_does_not_grow_with_the_number_of_articles():
    small, big = _peak(300), _peak(1200)
    assert (small["added"], big["added"]) == (300, 1200)
    # the copies of each bundled article are one story: story matching really ran
    assert small["stories"] < 30 and big["stories"] < 30, (small, big)
    assert not small["graph_built"] and not big["graph_built"]
    # measured: ~0.3 MiB between the two; an in-memory story index of every signature and number
    # fingerprint (the previous design) grew ~4.5 MiB between the two (7 KiB per extra article at this size)
    assert big["peak_mib"] - small["peak_mib"] < 2.0, (small, big)
