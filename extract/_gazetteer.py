"""The gazetteer (``corpora/entities/gazetteer.tsv``) and the small discovery lexicons, loaded once.

Aliases are stored in any script; matching uses their Simplified and Traditional
forms, and :func:`norm` (OpenCC t2s + NFKC + casefold + collapsed spaces) gives
the key under which every alias of an entity is indexed, so that 貝萊德, 贝莱德
and BlackRock reach the same record.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import corpora


__all__ = ["GazEntry", "Gazetteer", "gazetteer", "norm", "to_simplified", "to_traditional", "read_lines", "read_tsv"]

_WS = re.compile(r"\s+")


@lru_cache(maxsize=2)
def _cc(config: str):
    import opencc

    return opencc.OpenCC(config)


@lru_cache(maxsize=4096)
def to_simplified(s: str) -> str:
    """``s`` converted to Simplified Chinese (OpenCC t2s; Latin text unchanged)."""
    return _cc("t2s").convert(s) if s else s


@lru_cache(maxsize=4096)
def to_traditional(s: str) -> str:
    """``s`` converted to Traditional Chinese (OpenCC s2t)."""
    return _cc("s2t").convert(s) if s else s


@lru_cache(maxsize=65536)  # the same ids and names are looked up for every article
def norm(s: str) -> str:
    """Lookup key of a name: NFKC, Simplified, casefolded, spaces collapsed (and dropped between CJK and Latin)."""
    s = unicodedata.normalize("NFKC", s or "").strip()
    s = to_simplified(s).casefold()
    s = _WS.sub(" ", s)
    # "比特币 ETF" and "比特币ETF" are the same name
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", s)


def read_lines(*parts: str) -> list[str]:
    """Non-empty, non-comment lines of a shipped data file."""
    out = []
    with open(corpora.path(*parts), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                out.append(line.strip())
    return out


def read_tsv(*parts: str) -> list[list[str]]:
    """Rows of a shipped TSV file (comment lines skipped, cells stripped)."""
    return [[c.strip() for c in line.split("\t")] for line in read_lines(*parts)]


@dataclass
class GazEntry:
    """One gazetteer row: canonical id, type, the specific ids a generic term narrows to, aliases as written."""

    id: str
    type: str
    narrows_to: list[str] = field(default_factory=list)  # specific ids a generic mention may resolve to
    aliases: list[str] = field(default_factory=list)  # as written in the data file ("=" marks stripped)
    case_sensitive: set[str] = field(default_factory=set)  # aliases that must match with their exact case


class Gazetteer:
    """Canonical entities by id and by normalized alias."""

    def __init__(self, entries: list[GazEntry]):
        self.entries: dict[str, GazEntry] = {}
        self.by_key: dict[str, str] = {}
        self.narrows: dict[str, list[str]] = {}  # generic id -> specific ids
        for e in entries:
            if e.id in self.entries:  # a repeated id extends the first row
                self.entries[e.id].aliases.extend(a for a in e.aliases if a not in self.entries[e.id].aliases)
                self.entries[e.id].case_sensitive |= e.case_sensitive
                continue
            self.entries[e.id] = e
        for e in self.entries.values():
            for name in [e.id, *e.aliases]:
                self.by_key.setdefault(norm(name), e.id)
            if e.narrows_to:
                self.narrows[e.id] = list(e.narrows_to)

    def get(self, name: str) -> GazEntry | None:
        """The entry for an id or alias in any script/case, or None."""
        if not name:
            return None
        if name in self.entries:
            return self.entries[name]
        cid = self.by_key.get(norm(name))
        return self.entries.get(cid) if cid else None

    def surface_forms(self, e: GazEntry) -> list[tuple[str, bool]]:
        """(form, case_sensitive) pairs to match in text: each alias in Simplified and Traditional script."""
        seen: dict[str, bool] = {}
        for a in e.aliases:
            cs = a in e.case_sensitive
            base = unicodedata.normalize("NFKC", a)
            for form in (base, to_simplified(base), to_traditional(to_simplified(base))):
                form = _WS.sub(" ", form).strip()
                if form and form not in seen:
                    seen[form] = cs
        return list(seen.items())


def _parse(rows: list[list[str]]) -> list[GazEntry]:
    out = []
    for row in rows:
        row = row + [""] * (4 - len(row))
        cid, typ, narrows, aliases = row[0], row[1], row[2], row[3]
        e = GazEntry(id=cid, type=typ, narrows_to=[n.strip() for n in narrows.split("|") if n.strip()])
        for a in aliases.split("|"):
            a = a.strip()
            if not a:
                continue
            if a.startswith("="):
                a = a[1:]
                e.case_sensitive.add(a)
            if a not in e.aliases:
                e.aliases.append(a)
        out.append(e)
    return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shipped gazetteer (loaded once)."""
    return Gazetteer(_parse(read_tsv("entities", "gazetteer.tsv")))
