"""Reading article files: encoding detection and binary refusal.

UTF-8 (with or without BOM) and UTF-16 (BOM) are recognized directly; otherwise
we try the strict decoders Chinese text is found in (GB18030 covers GBK/GB2312,
then Big5) and keep the one that yields the most plausible CJK text.
"""
from __future__ import annotations

import codecs
import os
from pathlib import Path

from .errors import InputError

__all__ = ["decode_bytes", "read_text", "size_text", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = int(os.environ.get("NARREX_MAX_BYTES", 50 * 1024 * 1024))

# magic numbers of common binary formats we are likely to be handed by mistake
_MAGIC = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\x1f\x8b": "a gzip archive",
    b"SQLite format 3": "an SQLite database",
    b"\x7fELF": "an executable",
}


def _looks_binary(data: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return what
    head = data[:8192]
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    return None


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    bad = sum(1 for ch in sample if ch == "\ufffd" or ("\ue000" <= ch <= "\uf8ff"))
    return (cjk - 5 * bad) / len(sample)


def _try_decode(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def _plausible(text: str) -> float:
    """Share of characters typical of Chinese market text (ASCII printable, CJK, CJK and full-width punctuation)."""
    sample = text[:4000]
    if not sample:
        return 0.0
    ok = sum(
        1
        for ch in sample
        if (" " <= ch <= "~") or ch in "\r\n\t" or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f" or "\u00a0" <= ch <= "\u00ff"
    )
    return ok / len(sample)


def decode_bytes(data: bytes, name: str | None = None) -> str:
    """Decode article bytes to text; raises InputError for binary or undecodable data."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"not valid UTF-16 text ({e.reason})", name) from None
    what = _looks_binary(data)
    if what:
        # UTF-16 without BOM: ASCII puts NULs at one parity, CJK (U+4E00 = 00 4E) at the other,
        # so try both byte orders and keep one that reads as plausible text
        if what.startswith("binary data") and len(data) >= 4 and len(data) % 2 == 0:
            best = max(((_plausible(t), t) for t in (_try_decode(data, "utf-16-le"), _try_decode(data, "utf-16-be")) if t),
                       default=(0.0, ""), key=lambda x: x[0])
            if best[0] >= 0.97:
                return best[1]
        raise InputError(f"looks like {what}, not text", name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((_cjk_share(data.decode(enc)), enc))
        except UnicodeDecodeError:
            continue
    if not candidates:
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
        except Exception:  # pragma: no cover - detector failure is just "unknown"
            best = None
        if best is None:
            raise InputError("cannot detect the text encoding (not UTF-8, UTF-16, GB18030 or Big5)", name)
        return str(best)
    candidates.sort(reverse=True)
    return data.decode(candidates[0][1])


def size_text(n: int) -> str:
    """A byte count as people read it (``50 MiB``, ``800 KiB``, ``120 bytes``)."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def read_text(path: str | os.PathLike, max_bytes: int | None = None) -> str:
    """Read an article file in any supported encoding. ``-`` reads stdin."""
    import sys

    name = str(path)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise InputError("is a directory", name)
            with open(p, "rb") as f:
                data = f.read(limit + 1)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except PermissionError:
        raise InputError("permission denied", name) from None
    except OSError as e:
        raise InputError(f"cannot read ({e.strerror or e})", name) from None
    if len(data) > limit:
        raise InputError(f"larger than the {size_text(limit)} limit (set NARREX_MAX_BYTES to raise it)", name)
    text = decode_bytes(data, name)
    if not text.strip():
        raise InputError("empty file (no text)", name)
    return text
