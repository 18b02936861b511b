"""Rules run after the gazetteer match: post-processing of gazetteer hits and discovery of new entities.

All cue lists come from ``corpora/entities/``. A mention here is a tuple
``(start, end, id, type)`` with offsets into the document text.

- unit suppression: 美元 in "5 亿美元" is a unit, not a mention of the dollar;
- context switch: 纳斯达克 next to price words is the index, not the exchange;
- tenor bonds: "10 年期美债收益率", "40年期JGB收益率" → ``US 10Y Treasury``, ``JGB 40Y``;
- discovery: @handles, Latin names and tickers, "<title> <name>" people, "<name><org suffix>" organisations;
- linking inside the document: a bare surname goes to the full name seen earlier, a generic term
  (套息交易) to the one specific child seen in the same document (日元套息交易).
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from bisect import bisect_left, bisect_right
from operator import itemgetter
from typing import Iterable

from ._gazetteer import gazetteer, read_lines, read_tsv, to_simplified

__all__ = ["mentions_for_doc", "find_extra", "tenor_entity", "Mention4"]

Mention4 = tuple[int, int, str, str]  # (start, end, id, type)

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_ONLY = re.compile(f"[{CJK}]+")
# the lookbehinds follow the first character (a leading lookbehind costs re its fast skip to "@" / [A-Z])
_HANDLE = re.compile(r"@(?<![A-Za-z0-9_.@]@)[A-Za-z0-9_]{2,30}")
_LATIN_NAME = re.compile(r"[A-Z](?<![A-Za-z0-9@#/_.-][A-Z])[A-Za-z0-9]*(?:[&'.-][A-Za-z0-9]+)*(?: [A-Z][A-Za-z0-9]*(?:[&'.-][A-Za-z0-9]+)*){0,3}(?![A-Za-z0-9_])")
_LOWER_WORD = re.compile(r"[a-z]{2,}")
_CAPITALISED = re.compile(r"[A-Z][a-z]+").fullmatch
_LATIN_TAIL = re.compile(r"([A-Z][A-Za-z0-9&.-]*(?: [A-Z][A-Za-z0-9&.-]*){0,2}) ?$")  # a Latin name ending a window
_SCALE_BEFORE = re.compile(r"[0-9０-９亿億万萬千百十兆kKmMbB%.][ \u00a0]?$")  # the plain form of _scale_before (tests)
_CLAUSE_END = re.compile(r"[，,；;。！？!?\n：:（）()]")
_NUM_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "五": 5, "七": 7, "十": 10, "二十": 20, "三十": 30, "四十": 40, "五十": 50}


@lru_cache(maxsize=1)
def _lex() -> dict:
    """All discovery lexicons, loaded once."""
    titles = sorted(read_lines("entities", "titles.tsv"), key=len, reverse=True)
    suffix_rows = [r + [""] * (3 - len(r)) for r in read_tsv("entities", "org_suffixes.tsv")]
    cjk_suffix = {s: t for s, t, _ in suffix_rows if re.match(rf"[{CJK}]", s)}
    latin_suffix = {s.lower(): t for s, t, _ in suffix_rows if not re.match(rf"[{CJK}]", s)}
    continuations = {s: tuple(c for c in cont.split("|") if c) for s, _, cont in suffix_rows}
    tenor_rows = read_tsv("entities", "tenor_bonds.tsv")
    tenor_cues: dict[str, str] = {}
    default_tpl = "US {n}Y Treasury"
    for cues, tpl, dflt in tenor_rows:
        for c in cues.split("|"):
            tenor_cues[c.lower()] = tpl
        if dflt == "1":
            default_tpl = tpl
    cue_alt = "|".join(sorted(map(re.escape, tenor_cues), key=len, reverse=True))
    ctx = {}
    for row in read_tsv("entities", "context_switch.tsv"):
        row = row + [""] * (5 - len(row))
        ctx[row[0].lower()] = (row[1], row[2], [c for c in row[3].split("|") if c], [c for c in row[4].split("|") if c])
    generic = set(read_lines("entities", "generic_modifiers.txt"))
    multi_generic = sorted((g for g in generic if len(g) > 1), key=len, reverse=True)
    return {
        "titles": titles,
        "title_re": re.compile(
            "(?:" + "|".join(map(re.escape, titles)) + r")\s*"
            r"(?!表示|认为|指出|称|说|预计|预测|写道|强调|警告|也|则|曾|在|的|对|将|已|是|等|们)"
            rf"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){{1,2}}|[{CJK}]{{1,4}}·[{CJK}]{{1,6}}|[{CJK}]{{2,3}})"
            r"(?=\s*(?:表示|认为|指出|称|说|预计|预测|写道|强调|警告|在|也|则|曾|，|,|。|：|:))"
        ),
        "cjk_suffix": cjk_suffix,
        "continuations": continuations,
        "cjk_suffix_re": re.compile("|".join(sorted(map(re.escape, cjk_suffix), key=len, reverse=True))),
        "latin_suffix": latin_suffix,
        "generic": generic,
        # one search instead of a loop over the list: does a string contain any multi-character generic modifier?
        "generic_re": re.compile("|".join(map(re.escape, multi_generic))) if multi_generic else None,
        "stop": {w.lower() for w in read_lines("entities", "latin_stopwords.txt")},
        "unit_assets": set(read_lines("entities", "unit_assets.txt")),
        "tenor_cues": tenor_cues,
        "tenor_default": default_tpl,
        "tenor_cue_re": re.compile(cue_alt, re.I),  # the plain form of tenor_cue_at (tests)
        "tenor_cue_at": _gated_scanner(cue_alt, {k[0] for k in tenor_cues}),
        "tenor_re": re.compile(
            rf"(?P<n>\d{{1,2}}|二十|三十|四十|五十|十|两|二|三|五|七)\s*年期\s*"
            rf"(?P<c>{cue_alt})?\s*"
            r"(?P<k>国债|公债|政府债券|政府债|债券|债|JGB|JGBs|Treasury|Treasuries)?\s*"
            r"(?P<y>收益率|殖利率|利率)?",
            re.I,
        ),
        "ctx": ctx,
        "ctx_lens": {len(k) for k in ctx},
        # keys of Chinese characters only are found in the text as in its lowercase (lower() leaves them, and
        # makes none): only the other keys need the text lowercased
        "ctx_cjk": tuple(k for k in ctx if _CJK_ONLY.fullmatch(k)),
        "ctx_other": tuple(k for k in ctx if not _CJK_ONLY.fullmatch(k)),
    }


_FOLD_EXTRA = "\u0130\u0131\u017f\u212a"  # İ ı ſ K: under re.I they match i, i, s, k, and are neither's other case


def _gated_scanner(alt: str, firsts: set[str]) -> re.Pattern:
    """A regex matching one character where ``alt`` (an alternation, case-insensitive) matches, the match as group 1.

    ``firsts``: the first characters of the alternatives. The character class first keeps ``re``'s fast skip
    to them (``alt`` under re.I has none: ~20x dearer per character); a lookahead inside a one-character
    lookbehind then matches ``alt`` there (``endpos`` still bounds it). One character is consumed per match,
    so matches overlap: see :func:`_last_cue`.
    """
    cands = {x for f in firsts for x in (f, f.lower(), f.upper(), f.swapcase())} | set(_FOLD_EXTRA)
    chars = sorted(x for x in cands if len(x) == 1 and any(re.fullmatch(re.escape(f), x, re.I) for f in firsts))
    return re.compile("[" + "".join(map(re.escape, chars)) + "](?<=(?=((?i:" + alt + "))).)", re.S)


def _last_cue(text: str, a: int, z: int) -> str | None:
    """The last match of ``tenor_cue_re.finditer(text, a, z)`` (its text), or None: the scanner's matches that
    start at or after the end of the one kept before (as finditer resumes there)."""
    last, end = None, a
    for m in _lex()["tenor_cue_at"].finditer(text, a, z):
        if m.start() >= end:
            last = m.group(1)
            end = m.start() + len(last)
    return last


def tenor_entity(name: str) -> tuple[str, str] | None:
    """(id, type) when ``name`` is a tenor-bond id such as ``JGB 40Y`` or ``US 10Y Treasury``."""
    lex = _lex()
    for tpl in set(lex["tenor_cues"].values()) | {lex["tenor_default"]}:
        pat = "^" + re.escape(tpl).replace(r"\{n\}", r"(\d{1,2})") + "$"
        if re.match(pat, name.strip(), re.I):
            return tpl.replace("{n}", re.match(pat, name.strip(), re.I).group(1)), "INDICATOR"
    return None


def _line_bounds(text: str, i: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, i) + 1
    b = text.find("\n", i)
    return a, (len(text) if b < 0 else b)


def _clause(text: str, s: int, e: int) -> str:
    a = s
    while a > 0 and not _CLAUSE_END.match(text[a - 1]) and s - a < 60:
        a -= 1
    b = e
    while b < len(text) and not _CLAUSE_END.match(text[b]) and b - e < 60:
        b += 1
    return text[a:b]


def _tenor_matches(text: str, rx: re.Pattern) -> list[re.Match]:
    """What ``rx.finditer(text)`` yields, tried only just before each 年期 (the pattern has no fast prefix).

    A match is a number (at most two characters), optional whitespace, then 年期;
    so it starts at most two characters before the whitespace run that precedes
    a 年期, and no later than the character before it. Trying those few starts,
    left to right and never before the end of the previous match, finds the same
    matches as scanning every character.
    """
    out = []
    last = 0  # end of the previous match
    q = text.find("年期")
    while q >= 0:
        lo = q
        while lo > last and text[lo - 1].isspace():  # re's \s is str.isspace
            lo -= 1
        for p in range(max(last, lo - 2), q):
            m = rx.match(text, p)
            if m is not None:
                out.append(m)
                last = m.end()
                break
        q = text.find("年期", max(q + 1, last))
    return out


def _tenor_mentions(text: str) -> list[Mention4]:
    if "年期" not in text:  # every tenor bond names 年期; the pattern itself has no fast prefix
        return []
    lex = _lex()
    out = []
    for m in _tenor_matches(text, lex["tenor_re"]):
        if not (m.group("k") or m.group("y") or m.group("c")):
            continue  # "10 年期" alone is a tenor, not a bond
        n = m.group("n")
        n = int(n) if n.isdigit() else _NUM_CN[n]
        cue = m.group("c")
        if cue is None:
            # issuer named just before ("美国 10 年期", "日本30年期"), else the nearest cue earlier on the line
            a, _ = _line_bounds(text, m.start())
            cue = _last_cue(text, a, m.start())
        tpl = lex["tenor_cues"].get(cue.lower(), lex["tenor_default"]) if cue else lex["tenor_default"]
        end = m.end()
        while end > m.start() and text[end - 1].isspace():
            end -= 1
        out.append((m.start(), end, tpl.replace("{n}", str(n)), "INDICATOR" if m.group("y") else "ASSET"))
    return out


class _Taken:
    """Character spans that already belong to a mention, kept sorted by start and disjoint: a check is one bisection.

    ``spans`` are tuples that begin with (start, end). ``ordered=True`` promises that they are sorted by
    start, disjoint and non-empty (as a Doc's mentions are), so they are used as they are, without a pass.
    """

    def __init__(self, spans: Iterable[tuple] = (), ordered: bool = False):
        if ordered:
            self.spans = list(spans)  # a copy: add() inserts
            self.starts = list(map(_START, self.spans))  # bisected without a key function (cheaper per check)
        else:
            self.spans, self.starts = [], []
            for sp in spans:
                self.add(sp[0], sp[1])

    def add(self, a: int, b: int) -> None:
        if a >= b:
            return
        spans = self.spans
        i = bisect_right(spans, a, key=_END)  # spans[i:j] overlap [a, b): the first ending after a ...
        j = bisect_left(self.starts, b)  # ... up to the last starting before b
        if i < j:  # merged into one
            a, b = min(a, spans[i][0]), max(b, spans[j - 1][1])
        spans[i:j] = [(a, b)]
        self.starts[i:j] = [a]

    def append(self, span: tuple) -> None:
        self.add(span[0], span[1])

    def hits(self, a: int, b: int) -> bool:
        """Does [a, b) overlap a taken span? (the last span starting before b is the only candidate)"""
        j = bisect_left(self.starts, b)
        return a < b and j > 0 and self.spans[j - 1][1] > a


_START, _END = itemgetter(0), itemgetter(1)


def _latin_mentions(text: str, taken: _Taken, starts: list[int] | None = None) -> list[Mention4]:
    lex = _lex()
    stop = lex["stop"]
    out = []
    hits = taken.hits
    for m in _matches_at(_LATIN_NAME, text, starts):
        s, e = m.span()
        if hits(s, e):
            continue  # most Latin words are gazetteer tokens (ETF, BTC)
        name = m.group()
        words = name.split(" ")
        while words and words[0].lower() in stop:
            s += len(words[0]) + 1
            words = words[1:]
        while words and words[-1].lower() in stop:
            e -= len(words[-1]) + 1
            words = words[:-1]
        if not words:
            continue
        name = " ".join(words)
        if len(name) < 2 or name.isdigit():
            continue
        # inside English prose ("... and Prime Services"): not a name we can type safely
        before = text[max(0, s - 12):s]
        after = text[e:e + 12]
        if _LOWER_WORD.search(before.split(" ")[-2] if before.endswith(" ") and len(before.split(" ")) > 1 else "") or (
            after.startswith(" ") and _LOWER_WORD.match(after[1:])
        ):
            if not name.isupper():
                continue
        last = words[-1].lower()
        if len(words) > 1 and last in lex["latin_suffix"]:
            typ = lex["latin_suffix"][last]
        elif 2 <= len(words) <= 3 and all(map(_CAPITALISED, words)):
            typ = "PERSON"
        else:
            typ = "ORG"
        out.append((s, e, name, typ))
    return out


def start_cues() -> tuple[list[str], list[str]]:
    """(titles, Chinese org suffixes): the tokenizer marks where one may start (see :func:`find_extra`)."""
    lex = _lex()
    return lex["titles"], list(lex["cjk_suffix"])


def _matches_at(rx: re.Pattern, text: str, starts: list[int] | None) -> Iterable[re.Match]:
    """What ``rx.finditer(text)`` yields, given ``starts`` (sorted) holding every position a match can start at:
    tried left to right, never before the end of the previous match (no pattern here matches empty)."""
    if starts is None:
        yield from rx.finditer(text)
        return
    last = 0
    match = rx.match
    for p in starts:
        if p >= last:
            m = match(text, p)
            if m is not None:
                last = m.end()
                yield m


def _title_mentions(text: str, taken: _Taken, starts: list[int] | None = None) -> list[Mention4]:
    out = []
    for m in _matches_at(_lex()["title_re"], text, starts):
        s, e = m.span("name")
        if not taken.hits(s, e):
            out.append((s, e, to_simplified(m.group("name")), "PERSON"))
    return out


_BOUNDARY_FLAGS = {"a", "ad", "an", "d", "m", "mq", "q", "r", "p", "c", "u", "uj", "ul", "uz", "ud", "f", "t", "s", "v", "vd", "vn", "y", "e", "o", "z", "zg", "b"}


@lru_cache(maxsize=1)
def _jieba():
    """(jieba.lcut, jieba's dictionary POS tags), loaded on first use (only a few windows end in an org suffix)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict ..." chatter on the user's stderr
    import jieba.posseg as pseg

    return jieba.lcut, pseg.dt.word_tag_tab  # unknown words have no tag


@lru_cache(maxsize=4096)
def _name_before(window: str) -> str | None:
    """The proper name that ends ``window`` (2-6 chars), or None when the words before the suffix are generic.

    Tokens are walked back from the end until a function word, a generic modifier
    (对冲, 养老, 多策略 …) or a common word of a non-noun class; single characters
    are kept because jieba splits unknown names (高瓴) into them. Memoized: the
    same window recurs across articles, and jieba is the slow part of discovery.
    """
    lex = _lex()
    lcut, tags = _jieba()
    generic, generic_re = lex["generic"], lex["generic_re"]
    # no HMM: unknown names come out as single characters, which the walk below keeps (HMM costs ~50x more)
    toks = lcut(window, HMM=False)
    name = ""
    for w in reversed(toks):
        flag = tags.get(w, "x")
        if not _CJK_ONLY.fullmatch(w) or w in generic:
            break
        if generic_re is not None and generic_re.search(w + name):
            return None  # 多+策略: a generic modifier split by the segmenter
        if len(w) > 1 and flag in _BOUNDARY_FLAGS:
            break
        if len(w) == 1 and flag in _SINGLE_STOP_FLAGS:
            break
        if len(name) + len(w) > 6:
            return None
        name = w + name
    if len(name) < 2 or name in generic:
        return None
    return name


_SINGLE_STOP_FLAGS = {"uj", "ul", "p", "c", "r", "m", "q", "d", "f", "v", "u"}


def _org_mentions(text: str, taken: _Taken, starts: list[int] | None = None) -> list[Mention4]:
    lex = _lex()
    out = []
    for m in _matches_at(lex["cjk_suffix_re"], text, starts):
        s = m.start()
        if taken.hits(s, m.end()):
            continue  # the suffix is part of a gazetteer name
        if text.startswith(lex["continuations"].get(m.group(), ()) or ("\0",), m.end()):
            continue  # 资本开支, 银行股: the suffix starts a common word
        window = text[max(0, s - 12):s]
        window = _CLAUSE_END.split(window)[-1]
        if not window.strip() or window[-1] in "的了在和与及或是为对被把将从向等之其该某各这那":
            continue  # 总部位于香港的基金: a function word before the suffix, no name
        if window[-2:] in lex["generic"] or window[-3:] in lex["generic"]:
            continue  # 对冲基金, 多策略基金: generic
        latin = _LATIN_TAIL.search(window)
        if latin:
            if latin.group(1).lower() in lex["stop"]:
                continue
            start = s - len(latin.group(0))
        else:
            name = _name_before(window)
            if not name:
                continue
            start = s - len(name)
        if taken.hits(start, m.end()):
            continue
        name = to_simplified(text[start:m.end()].strip())
        out.append((start, m.end(), name, lex["cjk_suffix"][m.group()]))
    return out


def find_extra(text: str, taken: list[tuple] | _Taken, starts: tuple[list[int], list[int], list[int]] | None = None) -> list[Mention4]:
    """Entities the gazetteer does not know, outside the ``taken`` spans: handles, Latin names, titled people, orgs.

    ``taken`` holds (start, end) pairs, or tuples that begin with start and end (such as Mention4).
    ``starts``: sorted positions where a title, a Chinese org suffix, a Latin name may start (supersets, as
    the tokenizer finds them from its character tables); the regexes are then tried only there instead of
    scanning the whole text three times (~55 instructions per character each).
    """
    title_at, suffix_at, latin_at = starts if starts is not None else (None, None, None)
    out: list[Mention4] = []
    spans = taken if isinstance(taken, _Taken) else _Taken(taken)
    for m in _HANDLE.finditer(text) if "@" in text else ():
        if not spans.hits(m.start(), m.end()):
            out.append((m.start(), m.end(), m.group(), "PERSON"))
            spans.append(m.span())
    for finder, at in ((_title_mentions, title_at), (_org_mentions, suffix_at), (_latin_mentions, latin_at)):
        for t in finder(text, spans, at):
            if not spans.hits(t[0], t[1]):
                out.append(t)
                spans.append((t[0], t[1]))
    return out


_TO_ASCII_LOWER = "\u0130\u212a"  # İ and the Kelvin sign: the only non-ASCII characters whose lower() has ASCII in it


def _lower_may_contain(text: str, keys: tuple[str, ...]) -> bool:
    """True when ``text.lower()`` contains one of ``keys`` (lowercase), and maybe (rarely) when it does not.

    ASCII keys are looked for in the text's ASCII characters lowered, the others dropped (~5x cheaper than
    lowering the whole text): any occurrence in ``text.lower()`` is one there, since only the characters of
    ``_TO_ASCII_LOWER`` lower to ASCII from outside it (a false hit only costs the per-mention check).
    """
    if any(not k.isascii() for k in keys) or any(c in text for c in _TO_ASCII_LOWER):
        low = text.lower()
        return any(k in low for k in keys)
    low = text.encode("ascii", "ignore").lower()
    return any(k.encode("ascii") in low for k in keys)


_SCALE_CHARS = frozenset("0123456789０１２３４５６７８９亿億万萬千百十兆kKmMbB%.")  # _SCALE_BEFORE's first class


def _scale_before(text: str, s: int) -> bool:
    """``_SCALE_BEFORE.search(text[max(0, s - 2):s])`` read off one or two characters (no slice, no regex call:
    ~5x cheaper): a scale character right before ``s``, or one before a space, a no-break space or a newline
    (the pattern's ``$`` also matches before a final newline)."""
    if s < 1:
        return False
    c = text[s - 1]
    return c in _SCALE_CHARS or (s >= 2 and c in " \u00a0\n" and text[s - 2] in _SCALE_CHARS)


def _postprocess_gazetteer(text: str, ents: list[Mention4]) -> list[Mention4]:
    lex = _lex()
    unit, ctx = lex["unit_assets"], lex["ctx"]
    # a context switch needs its surface in the text: test the few keys once instead of every mention
    other = lex["ctx_other"]
    switch = any(k in text for k in lex["ctx_cjk"])
    if not switch and other:  # lowercase the text only when a Latin key is still to be looked for
        switch = _lower_may_contain(text, other)
    if switch:
        lens = lex["ctx_lens"]
        todo = [i for i, m in enumerate(ents) if m[2] in unit or m[1] - m[0] in lens]
    else:
        ctx = None
        todo = [i for i, m in enumerate(ents) if m[2] in unit]  # only unit assets can change
        if not todo:
            return ents
    out = list(ents)
    drop = []
    for i in todo:
        s, e, cid, typ = ents[i]
        if cid in unit and _scale_before(text, s):
            drop.append(i)  # "5 亿美元": a unit
            continue
        if ctx is not None:
            sw = ctx.get(text[s:e].lower())
            if sw:
                clause = _clause(text, s, e)
                alt_id, alt_type, cues, blocks = sw
                if any(c in clause for c in cues) and not any(b in clause for b in blocks):
                    out[i] = (s, e, alt_id, alt_type)
    for i in reversed(drop):
        del out[i]
    return out


def _link_in_document(ments: list[Mention4]) -> list[Mention4]:
    gz = gazetteer()
    ids = set(map(itemgetter(2), ments))
    # a generic term goes to its one specific child mentioned in the same document
    relink = {}
    for generic, specific in gz.narrows.items():
        if generic in ids:
            present = [k for k in specific if k in ids]
            if len(present) == 1:
                relink[generic] = present[0]
    # a bare surname goes to the person named in full in the same document
    surnames: dict[str, tuple[str, str]] = {}
    for s, e, cid, typ in [m for m in ments if m[3] == "PERSON"]:
        if " " in cid:
            surnames.setdefault(cid.split(" ")[-1], (cid, typ))
    if not relink and (not surnames or ids.isdisjoint(surnames)):
        return ments  # nothing to relink (the common case)
    out = list(ments)
    for i in [i for i, m in enumerate(ments) if m[2] in relink or m[2] in surnames]:
        s, e, cid, typ = ments[i]
        if cid in relink:
            cid = relink[cid]
            typ = gz.entries[cid].type
        elif cid in surnames and cid not in gz.entries:
            cid, typ = surnames[cid]
        out[i] = (s, e, cid, typ)
    return out


def mentions_for_doc(doc) -> list[Mention4]:
    """All mentions of a processed spaCy Doc: gazetteer hits (post-processed), tenor bonds, discovered entities."""
    text = doc.user_data.get("narrex.text")
    if text is None:  # a Doc from another tokenizer: its text is the real text
        text = doc.text
    offs = doc.user_data.get("narrex.offsets")
    matches = doc.user_data.get("narrex.gazetteer")
    if offs is None or matches is None:
        gaz = sorted((ent.start_char, ent.end_char, ent.ent_id_, ent.label_) for ent in doc.ents)
    else:
        gaz = [(offs[a][0], offs[b - 1][1], cid, label) for a, b, label, cid in matches]  # sorted, disjoint
    gaz = _postprocess_gazetteer(text, gaz)
    tenor = _tenor_mentions(text)
    if tenor:  # a tenor bond wins over the gazetteer words inside it
        hits = _Taken(tenor, ordered=True).hits  # found left to right, disjoint, non-empty
        gaz = [g for g in gaz if not hits(g[0], g[1])]
        base = sorted(gaz + tenor)
    else:
        base = gaz
    extra = find_extra(text, _Taken(base, ordered=True), doc.user_data.get("narrex.starts"))  # sorted, disjoint, non-empty tokens and tenors
    return _link_in_document(sorted(base + extra) if extra else base)
