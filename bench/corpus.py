"""Deterministic bench corpus: the bundled articles replicated to size with light variation.

Each copy shuffles some body paragraphs and perturbs the numbers (amounts, percentages,
days and months within valid ranges), so every copy has its own content hash and the
graph's dedup cannot turn ingest into a no-op. One copy in ten is stored as GB18030
bytes so the decoder's non-UTF-8 path is part of the measurement. Same seed, same corpus.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

__all__ = ["BenchArticle", "source_articles", "iter_corpus", "write_jsonl"]

_NUM = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass
class BenchArticle:
    """One corpus article: its text, the bytes a file would hold, and batch metadata."""

    id: str
    text: str
    data: bytes  # the text encoded as UTF-8 (or GB18030 for one copy in ten)
    encoding: str
    source: str
    published: Optional[str]


def source_articles(extra_dirs: tuple[Path, ...] = ()) -> list[tuple[str, str]]:
    """(name, text) of the real articles the corpus is built from: the bundled seeds plus ``extra_dirs``."""
    import corpora

    dirs = [corpora.path("articles"), *extra_dirs]
    out = []
    for d in dirs:
        for p in sorted(Path(d).glob("*.txt")):
            out.append((p.name, p.read_text(encoding="utf-8")))
    if not out:
        raise RuntimeError("no bundled articles found under corpora/articles")
    return out


def _perturb_number(m: re.Match, rng: random.Random, text: str) -> str:
    s = m.group(0)
    after = text[m.end():m.end() + 2].lstrip()
    if "." in s:
        whole, frac = s.split(".")
        v = float(s) * rng.uniform(0.7, 1.3)
        return f"{v:.{len(frac)}f}"
    n = int(s)
    if len(s) == 4 and _YEAR.fullmatch(s):
        return s  # years stay: relative dates and market data are anchored on them
    if after.startswith("月"):
        return str(rng.randint(1, 12))
    if after.startswith(("日", "号")):
        return str(rng.randint(1, 28))
    if n == 0:
        return s
    v = max(1, round(n * rng.uniform(0.7, 1.3)))
    return str(v)


def _vary(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    # shuffle a few body paragraphs (the first lines hold title and chrome: leave them)
    body = [i for i, ln in enumerate(lines) if i >= 3 and len(ln.strip()) > 20]
    for _ in range(min(3, len(body) // 2)):
        a, b = rng.sample(body, 2)
        lines[a], lines[b] = lines[b], lines[a]
    out = []
    for ln in lines:
        out.append(_NUM.sub(lambda m, ln=ln: _perturb_number(m, rng, ln), ln))
    return "\n".join(out)


def iter_corpus(size_bytes: int, seed: int = 7, extra_dirs: tuple[Path, ...] = ()) -> Iterator[BenchArticle]:
    """Articles until their encoded size reaches ``size_bytes`` (at least one of each source article).

    Deterministic for a given ``seed``; the first round is the source articles unchanged.
    """
    rng = random.Random(seed)
    sources = source_articles(extra_dirs)
    seen: set[bytes] = set()
    total = 0
    n = 0
    rnd = 0
    while total < size_bytes or rnd == 0:
        for name, text in sources:
            if rnd:
                for _ in range(5):
                    t = _vary(text, rng)
                    h = hashlib.blake2b(t.encode("utf-8"), digest_size=12).digest()
                    if h not in seen:
                        break
                else:  # pragma: no cover - five collisions in a row do not happen with real text
                    t = f"{t}\n{n}"
                    h = hashlib.blake2b(t.encode("utf-8"), digest_size=12).digest()
            else:
                t = text
                h = hashlib.blake2b(t.encode("utf-8"), digest_size=12).digest()
            seen.add(h)
            enc = "gb18030" if n % 10 == 9 else "utf-8"
            data = t.encode(enc)
            total += len(data)
            month = 1 + (n % 12)
            yield BenchArticle(id=f"bench-{n:06d}-{name}", text=t, data=data, encoding=enc,
                               source=f"bench/{name}", published=f"2026-{month:02d}-{1 + n % 28:02d}")
            n += 1
            if total >= size_bytes and rnd:
                return
        rnd += 1


def write_jsonl(path: Path, articles: Iterator[BenchArticle]) -> tuple[int, int, int]:
    """Write articles as a JSON Lines archive ({id, text, source, published}); returns (articles, chars, bytes)."""
    n = chars = size = 0
    with open(path, "w", encoding="utf-8") as f:
        for a in articles:
            line = json.dumps({"id": a.id, "text": a.text, "source": a.source, "published": a.published},
                              ensure_ascii=False)
            f.write(line + "\n")
            n += 1
            chars += len(a.text)
            size += len(line.encode("utf-8")) + 1
    return n, chars, size
