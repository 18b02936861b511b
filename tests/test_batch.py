"""The batch input layer: files, directories, globs, JSON Lines, stdin; extract_many in order, bounded."""
from __future__ import annotations

import io
import json

import pytest

from extract import batch
from extract.batch import BatchItem, extract_many, iter_inputs, iter_jsonl

ART_A = "美联储周三宣布维持利率不变,美元兑日元升至 157.2,黄金下跌 1.5%。"
ART_B = "日本央行暗示 3 月加息,10 年期日债收益率升至 2.1%,日元走强。"
ART_TRAD = "貝萊德旗下 IBIT 昨日淨流入 2.3 億美元,比特幣反彈至 7 萬美元上方。"


def _jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")
    return path


def test_jsonl_items_fields_and_line_numbers(tmp_path):
    p = _jsonl(tmp_path / "arch.jsonl", [
        {"id": "a1", "text": ART_A, "source": "财新", "published": "2026-03-18T09:30:00+08:00"},
        "",
        "{not json",
        {"id": 7, "text": ART_B, "published": "2026/03/19"},
        ["a list"],
        {"id": "x", "title": "no text field"},
        {"text": "   "},
        {"text": ART_TRAD, "published": "last tuesday"},
        {"text": ART_TRAD, "published": 1770249600},  # epoch seconds: 2026-02-05 UTC
    ])
    items = list(iter_inputs([str(p)]))
    names = [i.name for i in items]
    # blank line 2 is skipped; every other line is an item named by its 1-based number
    assert names == [f"{p}:{n}" for n in (1, 3, 4, 5, 6, 7, 8, 9)]
    a, bad_json, b, not_obj, no_text, empty, bad_date, epoch = items
    assert (a.text, a.source, a.published, a.doc_key, a.error) == (ART_A, "财新", "2026-03-18", "a1", None)
    assert b.doc_key == "7" and b.published == "2026-03-19" and b.source is None
    assert epoch.published == "2026-02-05" and epoch.doc_key == epoch.name
    for it, word in ((bad_json, "malformed JSON"), (not_obj, "not a JSON object"), (no_text, '"text"'),
                     (empty, "empty"), (bad_date, "published")):
        assert it.text is None and word in it.error and it.name in it.error


def test_jsonl_bom_crlf_invalid_utf8_and_calendar(tmp_path):
    p = tmp_path / "w.jsonl"
    body = (json.dumps({"text": ART_A}, ensure_ascii=False) + "\r\n").encode("utf-8")
    bad = '{"text": "汇率"}\n'.encode("gb18030")
    feb30 = (json.dumps({"text": ART_B, "published": "2026-02-30"}) + "\n").encode()
    p.write_bytes(b"\xef\xbb\xbf" + body + bad + feb30)
    first, second, third = iter_inputs([str(p)])
    assert first.error is None and first.text == ART_A
    assert "UTF-8" in second.error and second.name.endswith(":2")
    assert third.error and "published" in third.error


def test_oversized_line_is_an_error_and_the_stream_goes_on():
    big = json.dumps({"text": "长" * 500}).encode() + b"\n"
    ok = json.dumps({"text": ART_A}, ensure_ascii=False).encode() + b"\n"
    items = list(iter_jsonl(io.BytesIO(ok + big + ok), "s", max_bytes=200))
    assert [i.error is None for i in items] == [True, False, True]
    assert "limit" in items[1].error and items[1].name == "s:2"
    assert items[2].name == "s:3"


def test_directories_globs_and_missing(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / ".git").mkdir()
    (tmp_path / "d" / "b.txt").write_text(ART_B, encoding="utf-8")
    (tmp_path / "d" / "a.md").write_text(ART_A, encoding="utf-8")
    (tmp_path / "d" / "sub" / "c.html").write_text(f"<html><body><p>{ART_A}</p></body></html>", encoding="utf-8")
    (tmp_path / "d" / "sub" / "big5.txt").write_bytes(ART_TRAD.encode("big5"))
    (tmp_path / "d" / "sub" / "arch.jsonl").write_text(json.dumps({"text": ART_B}) + "\n", encoding="utf-8")
    (tmp_path / "d" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "d" / ".hidden.txt").write_text(ART_A, encoding="utf-8")
    (tmp_path / "d" / ".git" / "x.txt").write_text(ART_A, encoding="utf-8")
    (tmp_path / "d" / "sub" / "pic.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    (tmp_path / "empty").mkdir()
    d = tmp_path / "d"
    items = list(iter_inputs([str(d)]))
    rel = [i.name[len(str(d)) + 1:] for i in items]
    assert rel == ["a.md", "b.txt", "sub/arch.jsonl:1", "sub/big5.txt", "sub/c.html", "sub/pic.txt"]
    by = {r: i for r, i in zip(rel, items)}
    assert by["sub/big5.txt"].text == ART_TRAD  # decoded from Big5
    assert "PNG" in by["sub/pic.txt"].error
    assert by["a.md"].source == str(d / "a.md")

    globbed = list(iter_inputs([str(d / "**" / "*.txt")]))
    assert [i.name.rsplit("/", 1)[-1] for i in globbed] == ["b.txt", "big5.txt", "pic.txt"]

    miss = list(iter_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "zz*.txt"), str(tmp_path / "empty")]))
    assert [i.text for i in miss] == [None, None, None]
    assert "no such file" in miss[0].error
    assert "no file matches" in miss[1].error
    assert "no article files" in miss[2].error


def test_stdin_plain_text_and_jsonl():
    plain = list(iter_inputs(["-"], stdin=io.BytesIO((ART_A + "\n" + ART_B + "\n").encode("utf-8"))))
    assert len(plain) == 1 and plain[0].name == "-" and plain[0].text == ART_A + "\n" + ART_B + "\n"

    # a first line that happens to be JSON does not make a text JSON Lines
    mixed = ('{"text": "x"}\n' + ART_A).encode("utf-8")
    (one,) = iter_inputs(["-"], stdin=io.BytesIO(mixed))
    assert one.text == mixed.decode("utf-8")

    gb = list(iter_inputs(["-"], stdin=io.BytesIO(ART_B.encode("gb18030"))))
    assert gb[0].text == ART_B

    rows = "".join(json.dumps({"id": n, "text": t}, ensure_ascii=False) + "\n" for n, t in enumerate([ART_A, ART_B] * 50))
    many = list(iter_inputs(["-"], stdin=io.BytesIO(rows.encode("utf-8"))))
    assert len(many) == 100 and [i.doc_key for i in many[:3]] == ["0", "1", "2"]
    assert many[99].name == "-:100" and many[99].text == ART_B

    assert "empty" in next(iter_inputs(["-"], stdin=io.BytesIO(b"  \n"))).error
    assert next(iter_inputs(["-"], stdin=io.StringIO(ART_A))).text == ART_A  # a text stream works too


def test_jsonl_file_is_streamed_not_read_whole(tmp_path, monkeypatch):
    """The archive is read line by line: items come out before the file has been read to the end."""
    p = _jsonl(tmp_path / "a.jsonl", [{"text": ART_A}] * 2000)
    reads = []
    real = batch._iter_lines

    def spy(f, max_bytes):
        for n, line in real(f, max_bytes):
            reads.append(f.tell())
            yield n, line

    monkeypatch.setattr(batch, "_iter_lines", spy)
    it = iter_inputs([str(p)])
    next(it)
    assert reads[-1] < p.stat().st_size / 10


def _items(texts):
    return [BatchItem(name=f"m{n}", text=t, doc_key=f"m{n}") for n, t in enumerate(texts)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_extract_many_ordered_with_errors_passed_through(jobs):
    items = _items([ART_A, ART_B, ART_TRAD, ART_A + ART_B])
    items.insert(2, BatchItem(name="broken.jsonl:3", text=None, doc_key="broken.jsonl:3",
                              error="broken.jsonl:3: malformed JSON"))
    out = list(extract_many(iter(items), jobs=jobs, chunksize=2))
    assert [i.name for i, _, _ in out] == [i.name for i in items]
    assert out[2][1] is None and out[2][2] == "broken.jsonl:3: malformed JSON"
    ok = [(i, r) for i, r, e in out if e is None]
    assert len(ok) == 4
    for item, rec in ok:
        assert rec.raw_text == item.text


def test_extract_many_jobs_give_the_same_records():
    texts = [ART_A, ART_B, ART_TRAD] * 5
    one = [r.doc_id for _, r, _ in extract_many(iter(_items(texts)), jobs=1)]
    two = [r.doc_id for _, r, _ in extract_many(iter(_items(texts)), jobs=2, chunksize=3)]
    assert one == two and len(one) == 15


def test_extract_many_reads_ahead_a_bounded_amount():
    """With workers, the input is pulled only a bounded distance ahead of what was yielded."""
    pulled = [0]

    def gen():
        for n in range(400):
            pulled[0] += 1
            yield BatchItem(name=f"g{n}", text=ART_A if n % 2 else ART_B, doc_key=f"g{n}")

    bound = 16
    worst = 0
    for k, _ in enumerate(extract_many(gen(), jobs=2, chunksize=2, max_in_flight=bound), 1):
        worst = max(worst, pulled[0] - k)
    assert pulled[0] == 400
    assert worst <= bound + 2


def test_extract_many_survives_a_stage_crash(monkeypatch):
    import extract.pipeline as pipeline

    real = pipeline.extract_article

    def flaky(text, source=None, published=None):
        if "日本央行" in text:
            raise ValueError("boom")
        return real(text, source=source, published=published)

    monkeypatch.setattr(pipeline, "extract_article", flaky)
    out = list(extract_many(iter(_items([ART_A, ART_B, ART_A])), jobs=1))
    assert [e is None for _, _, e in out] == [True, False, True]
    assert "m1" in out[1][2] and "ValueError" in out[1][2]
