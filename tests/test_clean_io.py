"""Reading files in the encodings Chinese pages come in, and the ``narrex clean`` command."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import seed_text
from extract.clean import clean
from extract.errors import InputError
from extract.textio import decode_bytes, read_text

PAGES = Path(__file__).parent / "data" / "pages"
# © has no Big5/GBK code: those pages write (C)
TW = (PAGES / "taiwan_trad.txt").read_text(encoding="utf-8").replace("©", "(C)")
CN = (PAGES / "news_site.txt").read_text(encoding="utf-8").replace("©", "(C)")


@pytest.mark.parametrize(
    "text,enc",
    [(CN, "utf-8"), (CN, "utf-8-sig"), (CN, "gb18030"), (CN, "gbk"), (CN, "utf-16"), (CN, "utf-16-le"), (CN, "utf-16-be"),
     (TW, "utf-8"), (TW, "big5"), (TW, "utf-16"), (TW, "gb18030")],
)
def test_encodings_decode_to_the_same_clean_text(text, enc):
    data = text.encode(enc, errors="strict")
    decoded = decode_bytes(data, f"page.{enc}")
    assert clean(decoded).text == clean(text).text


def test_big5_page_cleans_to_simplified(tmp_path):
    p = tmp_path / "tw.txt"
    p.write_bytes(TW.encode("big5"))
    doc = clean(read_text(p))
    assert doc.script == "traditional"
    assert "台积电昨(16)日举行法说会" in doc.text or "台积电昨（16）日举行法说会" in doc.text


def test_binary_input_is_refused_with_the_file_name(tmp_path):
    p = tmp_path / "chart.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match="chart.png"):
        read_text(p)


# --- the command line ------------------------------------------------------------------------
NARREX = [sys.executable, "-m", "narrex"]


def _run(*args, stdin: bytes | None = None):
    return subprocess.run([*NARREX, *args], input=stdin, capture_output=True, timeout=120)


def test_cli_clean_seed_000_simplified_without_notice():
    from conftest import corpora

    path = corpora.path("articles", "000_0313e1837319d6ea.txt")
    r = _run("clean", str(path), "--show-dropped")
    assert r.returncode == 0, r.stderr.decode()
    out, err = r.stdout.decode("utf-8"), r.stderr.decode("utf-8")
    assert "LBank" not in out and "客服" not in out
    assert "IBIT 当天大约新增了 600 万份额" in out
    assert "LBank" in err and "notice" in err  # dropped lines listed with their reasons


def test_cli_clean_keep_script_and_stdin():
    raw = seed_text("001_55324bdcbf7569e8.txt").encode("utf-8")
    r = _run("clean", "-", "--keep-script", stdin=raw)
    assert r.returncode == 0
    out = r.stdout.decode("utf-8")
    assert "比特幣" in out and "t.me" not in out
    r2 = _run("clean", "-", stdin=raw)
    assert "比特币" in r2.stdout.decode("utf-8")


def test_cli_clean_big5_file(tmp_path):
    p = tmp_path / "tw.txt"
    p.write_bytes(TW.encode("big5"))
    r = _run("clean", str(p))
    assert r.returncode == 0
    assert "服务器" in r.stdout.decode("utf-8") and "Cookie" not in r.stdout.decode("utf-8")


@pytest.mark.parametrize("content,word", [(b"%PDF-1.4\n%\xe2\xe3", "PDF"), (b"\x00\x01\x02\x03" * 100, "binary")])
def test_cli_clean_bad_input_one_line_error(tmp_path, content, word):
    p = tmp_path / "bad.bin"
    p.write_bytes(content)
    r = _run("clean", str(p))
    err = r.stderr.decode("utf-8").strip()
    assert r.returncode == 1
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert "bad.bin" in err and word in err


def test_cli_clean_missing_file():
    r = _run("clean", "/nonexistent/x.txt")
    err = r.stderr.decode("utf-8").strip()
    assert r.returncode == 1 and "x.txt" in err and len(err.splitlines()) == 1
