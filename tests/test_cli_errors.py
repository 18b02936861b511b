"""Bad input reaches the user as one line naming the file, never a traceback (unless --debug)."""
from __future__ import annotations

import subprocess
import sys

import pytest


def narrex(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "narrex", *args], input=stdin, capture_output=True, timeout=120)


@pytest.mark.parametrize(
    "name,data,problem",
    [
        ("doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        ("img.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        ("blank.txt", b"  \n\t\n", "empty"),
        ("nul.txt", b"\x00\x01\x02\x03" * 100, "binary"),
    ],
)
def test_bad_file_one_line(tmp_path, name, data, problem):
    p = tmp_path / name
    p.write_bytes(data)
    r = narrex("clean", str(p))
    err = r.stderr.decode()
    assert r.returncode == 1
    assert "Traceback" not in err
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    assert name in lines[0] and problem in lines[0]


def test_missing_file(tmp_path):
    r = narrex("figures", str(tmp_path / "nope.txt"))
    assert r.returncode == 1
    assert "nope.txt: no such file" in r.stderr.decode()


def test_debug_shows_traceback(tmp_path):
    p = tmp_path / "doc.pdf"
    p.write_bytes(b"%PDF-1.4\n")
    r = narrex("--debug", "clean", str(p))
    assert r.returncode != 0
    assert "Traceback" in r.stderr.decode()


def test_stdin_and_help():
    r = narrex("figures", "-", stdin="净流入 5.3 亿美元".encode())
    assert r.returncode == 0, r.stderr.decode()
    r = narrex("--help")
    assert r.returncode == 0
    for cmd in ("clean", "figures", "extract"):
        assert cmd in r.stdout.decode()
