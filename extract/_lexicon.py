"""Loaders for the figure lexicons in ``corpora/figures/`` (TSV, read once, cached).

Every lexicon is keyed on the normalized text (Simplified, half-width: see ``_numerals.norm``);
the loaders normalize the data too, so a Traditional entry in a file still matches.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import corpora

from ._numerals import norm

__all__ = ["rows", "units", "qualifiers", "directions", "metric_cues", "subject_cues", "not_figures",
           "zero_patterns", "uncheckable", "yield_curves", "fx_pairs", "alternation", "trie_branches"]


def rows(name: str) -> list[list[str]]:
    """Data rows of ``corpora/figures/<name>`` (comments, blank lines and the header row skipped)."""
    out = []
    with open(corpora.path("figures", name), encoding="utf-8") as f:
        header_seen = False
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if not header_seen:
                header_seen = True
                continue
            out.append(line.split("\t"))
    return out


def alternation(words, latin_bounds: bool = False) -> re.Pattern:
    """A compiled regex matching any of ``words`` (the longest word that matches at a position).

    The words are compiled as a trie (``价(?:格|位)`` rather than ``价格|价位``): Python's ``re``
    tries the alternatives of a flat alternation one by one at every position, a trie branches
    on one character at each step, and a pattern whose branches all start with a literal lets
    ``re`` skip non-candidate positions in C. With ``latin_bounds``, words starting with a Latin letter only
    match as whole Latin words (not inside ``BTCUSD``).
    """
    branches = trie_branches(words, latin_bounds)
    if not branches:
        return re.compile(r"(?!x)x")
    return re.compile("(?:" + "|".join(branches) + ")")


def trie_branches(words, latin_bounds: bool = False) -> list[str]:
    """The top-level branches of :func:`alternation`'s regex, one per first character.

    Each starts with a literal (a Latin guard looks back past the first character), so a regex
    made of such branches lets ``re`` skip to candidate positions in C (its charset prefix).
    """
    trie: dict = {}
    for w in {w for w in words if w}:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    branches = []
    for ch in sorted(trie):
        latin = latin_bounds and _LATIN.match(ch) is not None
        guard = r"(?<![A-Za-z].)" if latin else ""
        branches.append(re.escape(ch) + guard + _trie_re(trie[ch], r"(?![A-Za-z])" if latin else ""))
    return branches


_LATIN = re.compile("[A-Za-z]")


def _trie_re(node: dict, end_guard: str) -> str:
    """Regex of the words below ``node``: longer continuations first, the word ending here last."""
    alts = [re.escape(ch) + _trie_re(sub, end_guard) for ch, sub in sorted(node.items()) if ch]
    if "" in node:
        alts.append(end_guard)
    if not alts:
        return ""
    if len(alts) == 1:
        return alts[0] if "" not in node or not alts[0] else "(?:" + alts[0] + ")"
    return "(?:" + "|".join(alts) + ")"


@dataclass(frozen=True)
class Unit:
    surface: str
    side: str
    unit: str
    kind: str
    factor: Decimal


@lru_cache(maxsize=1)
def units() -> tuple[dict[str, Unit], re.Pattern, dict[str, Unit], re.Pattern]:
    """(post units, post regex anchored at a position, pre units, pre regex matching at the end)."""
    post: dict[str, Unit] = {}
    pre: dict[str, Unit] = {}
    for r in rows("units.tsv"):
        u = Unit(norm(r[0]), r[1], r[2], r[3], Decimal(r[4]))
        (post if u.side == "post" else pre)[u.surface] = u
    post_re = alternation(post)
    pre_re = re.compile("(?:" + "|".join(re.escape(w) for w in sorted(pre, key=len, reverse=True)) + r")\s?$")
    return post, post_re, pre, pre_re


@lru_cache(maxsize=1)
def qualifiers() -> tuple[dict[str, tuple[str, int]], dict[str, tuple[str, int]]]:
    """(pre words -> (approx, gap), post words -> (approx, gap))."""
    pre, post = {}, {}
    for w, side, approx, gap in rows("qualifiers.tsv"):
        (pre if side == "pre" else post)[norm(w)] = (approx, int(gap))
    return pre, post


@lru_cache(maxsize=1)
def directions() -> tuple[dict[str, str], re.Pattern]:
    """Direction words -> '+', '-' or '0' (a level verb), and their regex."""
    d = {norm(w): s for w, s in rows("directions.tsv")}
    return d, alternation(d)


@dataclass(frozen=True)
class MetricCue:
    cue: str
    metric: str
    units: frozenset
    kind: str
    signed: bool
    subjects: frozenset


@lru_cache(maxsize=1)
def metric_cues() -> tuple[dict[str, tuple[MetricCue, ...]], re.Pattern]:
    """cue -> its readings (one per unit class: 收益率 with % is a yield, with bp a yield change)."""
    d: dict[str, list[MetricCue]] = {}
    for cue, metric, us, kind, signed, subs in rows("metric_cues.tsv"):
        d.setdefault(norm(cue), []).append(
            MetricCue(norm(cue), metric, frozenset(us.split(",")), kind, signed == "1", frozenset(subs.split(","))))
    return {k: tuple(v) for k, v in d.items()}, alternation(d)


@lru_cache(maxsize=1)
def subject_cues() -> tuple[dict[str, tuple[str, str]], re.Pattern]:
    """cue -> (entity id, type)."""
    d = {norm(c): (i, t) for c, i, t in rows("subject_cues.tsv")}
    return d, alternation(d, latin_bounds=True)


@lru_cache(maxsize=1)
def not_figures() -> dict[str, object]:
    """{'prefix': regex at end, 'classifier': regex at start, 'idiom': regex, 'label': regex}."""
    by: dict[str, list[str]] = {}
    for kind, text in rows("not_figures.tsv"):
        by.setdefault(kind, []).append(text)
    return {
        "prefix": re.compile("(?:" + "|".join(re.escape(norm(w)) for w in sorted(by["prefix"], key=len, reverse=True)) + r")\s*$"),
        "classifier": re.compile(r"\s*[多余几]?\s*(?:" + "|".join(re.escape(norm(w)) for w in sorted(by["classifier"], key=len, reverse=True)) + ")"),
        "idiom": re.compile("|".join(by["idiom"])),
        "label": re.compile(_first_char_guard(by["label"]) + "(?:" + "|".join(f"(?:{p})" for p in by["label"]) + ")"),
        "label_scan": _dispatch_scan(by["label"]),
    }


def label_spans(t: str, cands: Optional[list[int]] = None) -> list[tuple[int, int]]:
    """Spans of ``not_figures()["label"].finditer(t)``, found faster (see :func:`_dispatch_scan`).
    ``cands``: :func:`scan_candidates` ``(t)[1]`` when the caller has them: only those positions
    are tried."""
    rx, which = not_figures()["label_scan"]
    if which is None:
        return [m.span() for m in rx.finditer(t)]
    out = []
    pos = 0
    if cands is not None:
        match = rx.match
        for p in cands:
            if p >= pos and (m := match(t, p)) is not None:
                a, b = m.span(m.lastindex)  # (a == p: the pattern's lookahead starts there)
                out.append((a, b))
                pos = b if b > a else a + 1
        return out
    search = rx.search
    while True:
        m = search(t, pos)
        if m is None:
            return out
        a, b = m.span(m.lastindex)  # the pattern's group closes last
        out.append((a, b))
        pos = b if b > a else a + 1


def idiom_spans(t: str, cands: Optional[list[int]] = None) -> list[tuple[int, int]]:
    """Spans of ``not_figures()["idiom"].finditer(t)``; ``cands``: :func:`scan_candidates` ``(t)[2]``."""
    rx = not_figures()["idiom"]
    if cands is None:
        return [m.span() for m in rx.finditer(t)]
    out = []
    end = 0
    match = rx.match
    for p in cands:
        if p >= end and (m := match(t, p)) is not None:  # (no idiom matches the empty string)
            end = m.end()
            out.append((p, end))
    return out


def _dispatch_scan(patterns: list[str], gate: bool = True) -> tuple[re.Pattern, Optional[bool]]:
    """A regex finding what the alternation of ``patterns`` finds, without trying every
    alternative at every position (``re`` tries the branches of an alternation one by one).

    The characters a match can start with are grouped by which patterns can start with them
    (digits: the stock-code patterns; S, s: S&P ...). The regex is one set of all of them --
    ``re`` jumps in C to candidate positions -- then a lookbehind that steps back over the
    character and, per group, ``[its characters](?<=(?=(?:(p1)|(p2)...)).)``: the group's set
    is checked first (a branch starting with a plain set is skipped in C when the character is
    not in it), then its patterns in their order, matched from the candidate position by a
    lookahead that captures the span. Searching again from the end of each match gives the
    same leftmost, first-alternative, non-overlapping spans as ``finditer`` on the plain
    alternation. Returns (regex, True), or the plain alternation and None when a pattern's
    first characters cannot be worked out. ``gate``: check what follows the first character
    (:func:`_after_first`) before trying the group's patterns (False only to test it).
    """
    guard = _first_char_guard(patterns)  # (?=[...]): every match starts with one of these
    plain = re.compile(guard + "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")")
    firsts = []
    for p in patterns:
        fc = _first_chars(p)
        if fc is None:
            return plain, None
        firsts.append(re.compile(fc))
    allc = _all_chars()
    gx = re.compile(guard[3:-1])
    groups: dict[tuple[int, ...], list[str]] = {}
    for c in sorted({c for f in firsts for c in f.findall(allc)}):
        if gx.match(c):  # the plain alternation needs the guard too
            groups.setdefault(tuple(i for i, f in enumerate(firsts) if f.match(c)), []).append(c)
    # most frequent characters first: digits, then capitals
    order = sorted(groups.items(), key=lambda kv: (not kv[1][0].isdigit(), not kv[1][0].isupper(), kv[0]))
    branches = []
    for idx, chars in order:
        alts = "|".join(f"({patterns[i]})" for i in idx)
        # a character before the candidate that every pattern of the group rejects (a digit
        # before a digit: the middle of a number) skips the group at once
        rejected = set.intersection(*(_rejected_before(patterns[i], allc) for i in idx))
        guard = f"(?<![{''.join(map(re.escape, sorted(rejected)))}](?s:.))" if rejected else ""
        if gate:
            # what must follow the first character (a digit run then [A-Z./], 证 after 中, a second
            # capital): most candidates fail here, before the nested lookarounds below
            nexts = [_after_first(patterns[i]) for i in idx]
            if all(nexts):
                guard += "(?=" + "|".join(dict.fromkeys(nexts)) + ")"
        branches.append("[" + "".join(map(re.escape, chars)) + f"]{guard}(?<=(?=(?:{alts}))(?s:.))")
    cls = "".join(re.escape(c) for _, chars in order for c in chars)
    try:
        rx = re.compile(f"[{cls}](?<=(?=(?:" + "|".join(branches) + "))(?s:.))")
    except re.error:  # pragma: no cover - a pattern the lookaround nesting cannot hold
        return plain, None
    return rx, True


_LEADING_NOT_BEFORE = re.compile(r"\(\?<!\[((?:\\.|[^\]\\])+)\]\)")


def _rejected_before(pattern: str, allc: str) -> set:
    """The characters (of the BMP) that ``pattern`` cannot follow, read off a leading one-character
    negative lookbehind ``(?<![...])``; empty when it has none."""
    m = _LEADING_NOT_BEFORE.match(pattern)
    if m is None:
        return set()
    return set(re.compile("[" + m.group(1) + "]").findall(allc))


# re._parser's category names -> their regex text
_CAT_TEXT = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
             "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def _set_parts(av, negate: bool = False) -> Optional[list[str]]:
    """Regex text of the items of a parsed character set (``re._parser``'s IN argument), or None
    when one cannot be spelled out (an unknown category; a negated set unless ``negate``)."""
    import re._constants as C

    parts = []
    for o, a in av:
        if o is C.NEGATE and negate:
            parts.append("^")
        elif o is C.LITERAL:
            parts.append(re.escape(chr(a)))
        elif o is C.RANGE:
            parts.append(re.escape(chr(a[0])) + "-" + re.escape(chr(a[1])))
        elif o is C.CATEGORY and getattr(a, "name", None) in _CAT_TEXT:
            parts.append(_CAT_TEXT[a.name])
        else:
            return None
    return parts


def _after_first(pattern: str, max_items: int = 3) -> Optional[str]:
    """A regex that matches right after the first character of every match of ``pattern``: its
    leading items of one character (literals, sets, their repeats, groups and alternations of
    them), the first character taken off, zero-width assertions dropped (which only widens it),
    at most ``max_items`` items. None when the first character cannot be read off (or nothing
    follows it: no gate)."""
    import re._constants as C
    import re._parser as P

    repeats = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)

    def one(op, av):  # regex text of an item matching one character, or None
        if op is C.LITERAL:
            return re.escape(chr(av))
        parts = _set_parts(av, negate=True) if op is C.IN else None
        return None if parts is None else "[" + "".join(parts) + "]"

    def seq(items, drop, n):
        """(text, first character still to take off, items left, stopped early) or None."""
        out = []
        for op, av in items:
            if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
                continue
            if n == 0:
                return "".join(out), drop, n, True
            c = one(op, av)
            if c is None and op in repeats and len(av[2].data) == 1:
                c = one(*av[2].data[0])
                if c is not None:
                    lo, hi = av[0], av[1]
                    if drop:
                        if lo == 0:
                            return None
                        lo, hi, drop = lo - 1, hi if hi is C.MAXREPEAT else hi - 1, False
                    out.append(f"{c}{{{lo},{'' if hi is C.MAXREPEAT else hi}}}")
                    n -= 1
                    continue
            if c is not None:
                if drop:
                    drop = False
                else:
                    out.append(c)
                    n -= 1
                continue
            if op is C.SUBPATTERN and not (av[1] | av[2]) & ~re.IGNORECASE:
                r = seq(av[3].data, drop, n)
                if r is None:
                    return None
                fl = ("i" if av[1] else "") + ("-i" if av[2] else "")
                out.append(f"(?{fl}:{r[0]})")
                _, drop, n, stop = r
                if stop:
                    return "".join(out), drop, n, True
                continue
            if op is C.BRANCH:
                rs = [seq(s.data, drop, n) for s in av[1]]
                if None in rs or len({r[1] for r in rs}) > 1:
                    return None
                if any(r[0] for r in rs):
                    out.append("(?:" + "|".join(r[0] for r in rs) + ")")
                drop, n = rs[0][1], min(r[2] for r in rs)
                if any(r[3] for r in rs):
                    return "".join(out), drop, n, True
                continue
            return "".join(out), drop, n, True
        return "".join(out), drop, n, False

    try:
        parsed = P.parse(pattern)
        flags = parsed.state.flags & ~re.UNICODE
        r = None if flags & ~re.IGNORECASE else seq(parsed.data, True, max_items)
    except Exception:  # pragma: no cover - private parser API changed: no gate
        return None
    if r is None or r[1] or not r[0]:
        return None
    return f"(?i:{r[0]})" if flags else r[0]


def _first_chars(pattern: str) -> Optional[str]:
    """A regex of one character: those ``pattern`` can start a match with (a superset is fine), or None."""
    import re._constants as C
    import re._parser as P

    def seq(items, flags):
        cs, ci = [], []
        for op, av in items:
            r = item(op, av, flags)
            if r is None:
                return None
            cs += r[0]
            ci += r[1]
            if not r[2]:
                return cs, ci, False
        return cs, ci, True  # may match empty

    def item(op, av, flags):
        if flags & (re.ASCII | re.LOCALE):
            return None
        ign = bool(flags & re.IGNORECASE)
        if op is C.LITERAL:
            frag = [re.escape(chr(av))]
        elif op is C.IN:
            frag = _set_parts(av)
            if frag is None:
                return None
        elif op is C.BRANCH:
            cs, ci, empty = [], [], False
            for sub in av[1]:
                r = seq(sub.data, flags)
                if r is None:
                    return None
                cs, ci, empty = cs + r[0], ci + r[1], empty or r[2]
            return cs, ci, empty
        elif op is C.SUBPATTERN:
            return seq(av[3].data, (flags | av[1]) & ~av[2])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            r = seq(av[2].data, flags)
            return None if r is None else (r[0], r[1], r[2] or av[0] == 0)
        elif op is C.ATOMIC_GROUP:
            return seq(av.data, flags)
        elif op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            return [], [], True  # zero width
        else:
            return None
        return ([], frag, False) if ign else (frag, [], False)  # case-folded sets stay under (?i:)

    try:
        parsed = P.parse(pattern)
        r = seq(parsed.data, parsed.state.flags)
    except Exception:  # pragma: no cover - private parser API changed: fall back to the plain scan
        return None
    if r is None or r[2]:
        return None
    cs = list(r[0])
    if r[1]:
        # a case-folded set is spelled out (every character it matches, S -> S s ſ): ``re`` only
        # skips a branch in C when its first item is a plain set
        folded = re.compile("(?i:[" + "".join(r[1]) + "])").findall(_all_chars())
        if len(folded) > 256:
            return None
        cs += [re.escape(c) for c in folded]
    return "[" + "".join(cs) + "]"


@lru_cache(maxsize=1)
def _all_chars() -> str:
    """Every BMP code point once (to list what a character set matches with one ``findall``).
    Case folding never maps a character outside the BMP onto one inside it (re's extra
    folds, like ſ for s and K for k, are all in the BMP)."""
    return "".join(map(chr, range(0x10000)))


def _first_char_guard(patterns: list[str]) -> str:
    """A lookahead of the characters the patterns may start with (ASCII, or any CJK char they contain):
    positions that cannot start a label fail at once."""
    cjk = sorted({ch for p in patterns for ch in p if ord(ch) > 0x2E80})
    return "(?=[\\x21-\\x7e" + "".join(cjk) + "])"


@lru_cache(maxsize=1)
def zero_patterns() -> re.Pattern:
    return re.compile("|".join(f"(?:{r[0]})" for r in rows("zero_contexts.tsv")))


@lru_cache(maxsize=1)
def uncheckable() -> tuple[dict[str, str], re.Pattern]:
    d = {norm(w): s for w, s in rows("uncheckable_cues.tsv")}
    return d, alternation(d)


@lru_cache(maxsize=1)
def yield_curves() -> tuple[dict[str, str], re.Pattern]:
    d = {norm(c): t for c, t in rows("yield_curves.tsv")}
    return d, alternation(d)


@lru_cache(maxsize=1)
def fx_pairs() -> tuple[dict[str, tuple[str, str]], re.Pattern]:
    d = {norm(c): (u, s) for c, u, s in rows("fx_pairs.tsv")}
    return d, alternation(d)


# --- candidate positions of three whole-text scans, from one numpy pass ---------------------
# A regex pass over the whole text whose pattern starts with a character set costs ~57
# instructions per character, plus the branches tried at each character of the set (the date
# trigger, label and idiom scans cost ~300M per pass over the bench corpus together). One numpy
# table lookup per character serves all three, and also checks the characters after and before:
# most positions whose first character fits fail there (ET in ETF, 这 not before 周 or 个).
def utf16(t: str):
    """``t``'s characters as a numpy uint16 array, or None: no numpy, a short text (the numpy calls
    cost more than they save), or an astral character (two UTF-16 units: positions would shift)."""
    if len(t) < 256:
        return None
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a declared dependency
        return None
    a = np.frombuffer(t.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    return a if len(a) == len(t) else None


def pattern_rows(patterns: list[str], guard: Optional[str] = None) -> Optional[list[tuple]]:
    """:class:`PairGate` rows for ``patterns``, read off them: the first characters
    (:func:`_first_chars`, within ``guard``, a one-character regex every match's first character
    must also match), the second (the first characters of :func:`_after_first`, when a match needs
    one) and a leading ``(?<![...])``. None when a pattern's first characters cannot be read off (it
    may match the empty string)."""
    allc = _all_chars()
    rows: dict[str, tuple[Optional[set], set]] = {}
    for p in patterns:
        fc = _first_chars(p)
        if fc is None:
            return None
        if guard is not None:
            fc = _char_class(c for c in re.findall(fc, allc) if re.match(guard, c))
        after = _after_first(p)
        sc = _first_chars(after) if after else None
        second = set(re.findall(sc, allc)) if sc else None
        rejected = _rejected_before(p, allc)
        if fc in rows:  # patterns with the same first characters share a row
            s0, r0 = rows[fc]
            second = None if s0 is None or second is None else s0 | second
            rejected = r0 & rejected
        rows[fc] = (second, rejected)
    # (no third character: the rows then differ less and more of them share a bit)
    return [(fc, None if s is None else _char_class(s), None, _char_class(r) if r else None) for fc, (s, r) in rows.items()]


def _char_class(chars) -> str:
    chars = sorted(chars)
    return "[" + "".join(map(re.escape, chars)) + "]" if chars else r"(?!x)x"


def _merge_rows(rows: list[tuple]) -> list[tuple]:
    """``rows`` with those that differ only in their first characters joined (the same positions
    pass: a bit saved)."""
    by: dict[tuple, list[str]] = {}
    for first, *rest in rows:
        by.setdefault(tuple(rest), []).append(first)
    return [(fs[0] if len(fs) == 1 else "(?:" + "|".join(fs) + ")", *rest) for rest, fs in by.items()]


def _join_rows(r1: tuple, r2: tuple) -> tuple:
    """One row letting through what either does (a wider row only lets more positions through)."""
    (f1, s1, t1, x1), (f2, s2, t2, x2) = r1, r2
    return (f"(?:{f1}|{f2})", None if s1 is None or s2 is None else f"(?:{s1}|{s2})",
            None if t1 is None or t2 is None else f"(?:{t1}|{t2})",
            # (rejected by both: a character matching x1, then, looking back at it, x2)
            f"(?:{x1})(?<=(?:{x2}))" if x1 is not None and x2 is not None else None)


class PairGate:
    """Per BMP character four bit tables, a bit per row: ``first`` -- the row's matches can start
    with it --, ``second``, ``third`` -- can go on with it as their second, third character --,
    ``before`` -- can stand after it. Position p is a candidate of a row when its bit is set in all
    four for t[p], t[p+1], t[p+2], t[p-1] (the text's ends check only what exists). Every row must
    give supersets: a position where a match of the row's patterns starts is then always a
    candidate."""

    __slots__ = ("first", "second", "third", "before", "groups")

    def __init__(self, groups: list[list[tuple[str, Optional[str], Optional[str], Optional[str]]]]):
        """``groups``: per scan, its rows (first, second, third, rejected_before), each a regex of
        one character (``second``, ``third`` None: any; ``rejected_before`` None: none rejected)."""
        import numpy as np

        groups = [_merge_rows(rows) for rows in groups]
        while sum(map(len, groups)) > 64:
            g = max(groups, key=len)
            g[-2:] = [_join_rows(*g[-2:])]
        n = sum(map(len, groups))
        dtype = next(d for k, d in ((8, np.uint8), (16, np.uint16), (32, np.uint32), (64, np.uint64)) if n <= k)
        allc = _all_chars()
        self.first, self.second, self.third, self.before = (np.zeros(0x10000, dtype=dtype) for _ in range(4))
        self.groups = []
        i = 0
        for rows in groups:
            mask = 0
            for first, second, third, rejected in rows:
                b = dtype(1 << i)
                mask |= 1 << i
                i += 1
                self.first[[ord(c) for c in re.findall(first, allc)]] |= b
                for table, chars in ((self.second, second), (self.third, third)):
                    if chars is None:
                        table |= b
                    else:
                        table[[ord(c) for c in re.findall(chars, allc)]] |= b
                self.before |= b
                if rejected is not None:
                    self.before[[ord(c) for c in re.findall(rejected, allc)]] &= ~b
            self.groups.append(dtype(mask))

    def candidates(self, a) -> list[list[int]]:
        """Per group, the candidate positions of the text ``a`` (:func:`utf16`), in order."""
        # the first characters first (one lookup over the text); the rest only where one fits
        c = self.first.take(a)
        nz = c.nonzero()[0]
        if not nz.size:
            return [[] for _ in self.groups]
        c = c.take(nz)
        # (past the end, the last character stands in: a superset, as no match needing that
        # character can start there)
        c &= self.second.take(a.take(nz + 1, mode="clip"))
        c &= self.third.take(a.take(nz + 2, mode="clip"))
        before = self.before.take(a.take(nz - 1, mode="clip"))
        if nz[0] == 0:
            before[0] = ~before.dtype.type(0)  # nothing stands before the text's first character
        c &= before
        return [nz.compress(c & g).tolist() for g in self.groups]


@lru_cache(maxsize=1)
def scan_gate() -> Optional[PairGate]:
    """:class:`PairGate` of four scans: (0) the date trigger (``dates._trigger_rows``), (1) the label
    patterns, (2) the idiom patterns, (3) the subject cues; None without numpy or when a pattern's first characters
    cannot be read off."""
    try:
        import numpy  # noqa: F401
    except ImportError:  # pragma: no cover - numpy is a declared dependency
        return None
    from .dates import _trigger_rows

    by: dict[str, list[str]] = {}
    for kind, text in rows("not_figures.tsv"):
        by.setdefault(kind, []).append(text)
    groups = [_trigger_rows(), pattern_rows(by["label"], _first_char_guard(by["label"])[3:-1]), pattern_rows(by["idiom"]),
              _subject_rows()]
    if None in groups:
        return None
    return PairGate(groups)


def _subject_rows() -> list[tuple]:
    """:class:`PairGate` rows of the subject cue scan (``subject_cues()[1]``), see :func:`word_rows`."""
    return word_rows(subject_cues()[0], latin_bounds=True)


def word_rows(words, latin_bounds: bool = False) -> list[tuple]:
    """:class:`PairGate` rows of ``alternation(words, latin_bounds)``, read off the words: per first
    character the second and third characters (any, when a word is shorter); a Latin first character
    must not follow a Latin letter (the ``(?<![A-Za-z].)`` guard). The rows are joined into at most
    four -- Latin or not, third character checked or not -- to leave the date trigger its bits: a
    joined row lets the cross pairs through too (a superset, few of them in text), and keeping the
    rows that check a third character apart keeps that check."""
    by: dict[str, list[str]] = {}
    for w in words:
        if w:
            by.setdefault(w[0], []).append(w)
    parts: dict[tuple[bool, bool], list[tuple]] = {}
    for c, ws in sorted(by.items()):
        latin = latin_bounds and _LATIN.match(c) is not None
        second = None if min(map(len, ws)) < 2 else _char_class({w[1] for w in ws})
        third = None if min(map(len, ws)) < 3 else _char_class({w[2] for w in ws})
        parts.setdefault((latin, third is None), []).append(
            (_char_class(c), second, third, "[A-Za-z]" if latin else None))
    out = []
    for _, rows in sorted(parts.items()):
        row = rows[0]
        for r in rows[1:]:
            row = _join_rows(row, r)
        out.append(row)
    return out


def cue_spans(rx: re.Pattern, t: str, cands: list[int], lo: int = 0,
              hi: Optional[int] = None) -> list[tuple[int, int, str]]:
    """(start, end, text) of each match of ``rx.finditer(t, lo, hi)``, ``rx`` tried only at
    ``cands``: sorted positions including every one where a match starts (:func:`scan_candidates`),
    ``rx`` matching no empty string. A match at the first candidate past the previous match is the
    one ``finditer`` finds, as it resumes there."""
    if hi is None:
        hi = len(t)
    k = bisect.bisect_left(cands, lo) if lo else 0
    n = bisect.bisect_left(cands, hi, k)
    out = []
    end = lo
    match = rx.match
    for p in cands[k:n]:
        if p >= end and (m := match(t, p, hi)) is not None:
            end = m.end()
            out.append((p, end, m.group()))
    return out


@lru_cache(maxsize=4)
def scan_candidates(t: str) -> Optional[list[list[int]]]:
    """Candidate start positions in normalized text ``t`` of the date trigger (``dates._scan``), the
    labels (:func:`label_spans`), the idioms (:func:`idiom_spans`) and the subject cues (binding's
    ``_Doc``: :func:`cue_spans`), or None (a short text, no
    numpy): then each scans the whole text itself. Kept for the text: the dates stage, the
    figure mask and binding all read it."""
    gate = scan_gate()
    a = utf16(t) if gate is not None else None
    return None if a is None else gate.candidates(a)
