"""`narrex ingest` division of labour: workers clean, look the doc id up and extract; the writer only writes.

``extract_many(..., known_db=...)`` must not extract an article the database already holds
(in this process or in workers), and must extract every other one exactly as
``extract_article`` does.
"""
from __future__ import annotations

import pytest

import corpora
from extract import extract_article
from extract.batch import BatchItem, extract_many
from extract.records import to_jsonable
from graph import KnowledgeGraph


def _items() -> list[BatchItem]:
    paths = sorted(corpora.path("articles").glob("*.txt"))[:3]
    return [BatchItem(name=str(p), text=p.read_text(encoding="utf-8"), source=str(p), doc_key=str(p)) for p in paths]


@pytest.mark.parametrize("jobs", [1, 2])
def test_known_articles_are_skipped_before_extraction(tmp_path, monkeypatch, jobs):
    items = _items()
    db = tmp_path / "kg.db"
    with KnowledgeGraph.open(db) as kg:
        stored = kg.ingest_record(extract_article(items[0].text, source=items[0].source))[0]
    import extract.pipeline as pipeline

    real = pipeline.extract_doc
    calls = []

    def counting(doc, *a, **kw):
        calls.append(doc.text[:20])
        if pipeline.doc_id_for(doc.text) == stored:
            raise AssertionError("a stored article was extracted again")
        return real(doc, *a, **kw)

    monkeypatch.setattr(pipeline, "extract_doc", counting)  # workers are forked: they inherit it
    out = list(extract_many(iter(_items()), jobs=jobs, known_db=str(db)))
    assert [it.known for it, _r, _e in out] == [stored, None, None]
    assert [e for _it, _r, e in out] == [None, None, None]
    assert out[0][1] is None
    if jobs == 1:
        assert len(calls) == 2  # each new article extracted once (the stored one not at all)
    for (it, rec, _e) in out[1:]:
        assert to_jsonable(rec) == to_jsonable(extract_article(it.text, source=it.source))


def test_without_known_db_everything_is_extracted(tmp_path):
    out = list(extract_many(iter(_items()), jobs=1))
    assert all(rec is not None and it.known is None for it, rec, _e in out)


def test_cli_rerun_with_workers_skips_everything(tmp_path):
    from typer.testing import CliRunner

    from narrex.cli import app

    db = tmp_path / "kg.db"
    folder = corpora.path("articles")
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--jobs", "2"])
    assert first.exit_code == 0, first.output
    n = len(list(folder.glob("*.txt")))
    assert f"added {n}, skipped (already present) 0, failed 0" in first.output
    again = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--jobs", "2"])
    assert again.exit_code == 0, again.output
    assert f"added 0, skipped (already present) {n}, failed 0" in again.output
