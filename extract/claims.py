"""Causal claims: cue families from ``corpora/claims/`` give cause and effect spans at clause level.

A text is cut into sentences (。！？ and line breaks) and clauses (，；： too).
Each cue family knows on which side of the cue the cause stands:

- ``fwd``: ``A 导致 B`` — cause is the clause text before the cue (a bare 这/此 or an
  empty subject takes the previous clause), effect the text after it;
- ``bwd`` / ``abd``: ``B 源于 A``, ``B 表明 A`` — effect before, cause after;
- ``conn``: ``A，从而 B`` — the previous clause causes the rest of this one;
- ``because``: ``由于 A，B`` (cause first) or ``B，因为 A`` (effect first), chosen by position;
- passive frames ``受 A 影响``, ``由 A 引发``, ``被 A 放大``, ``在 A 推动下``;
- ``noun``: ``B 的导火索是 A``, ``A 是 B 的催化剂``; ``relation``: ``B 与 A 有关/无关``;
- ``之所以 B，是因为 A`` and ``因 A 而 B``.

Conditionals (如果/若/一旦/当 … clauses) are skipped, as are reasons for a belief
(我们怎么知道的？因为 …). Flags: ``hedged`` (可能, 或许, 假设 … in the sentence
up to the effect), ``negated`` (并非/没有 before the cue, a refuting sentence
opener such as 我不认为, or a negative cue such as 无关), ``attributed_to``
(据 X / X 表示: the entity id when X names one, else X as written; the byline
author by default). Each claim lists the entities and figures inside its spans.
"""
from __future__ import annotations

import importlib.util
import itertools
from bisect import bisect_left, bisect_right
import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from ._gazetteer import read_lines, read_tsv
from ._trie import char_class, key_scanner, trie_pattern
from .records import Claim, Figure, Mention, Span

__all__ = ["find_claims"]

_CLAUSE_PUNCT = "，,；;：:—"
_SENT_PUNCT = "。！？!?\n"
# an ASCII comma or colon between digits (118,000 / 16:00) does not end a clause
# one character class first, so re skips to candidates fast (a leading lookbehind would cost that)
_BOUNDARY = re.compile(r"[。！？!?\n；;，：—,:](?!(?<=\d[,:])\d)")
# what _trim cuts: leading connectives, brackets and topic frames; trailing adverbs and particles
_LEAD_PUNCT = "“”\"'「」『』（(-•·*"  # and whitespace
_LEAD_FRAMES = r"对[^，,。]{1,12}?(?:而言|来说)|从[^，,。]{1,6}来看|在[^，,。]{1,8}方面|在[^，,。]{1,8}上(?![，,。])"
_LEAD_WORDS = "然而|不过|反而|甚至|而且|而是|而|并且|并|且|但是|但|这也|进而|从而|最终|也|还|就|又|则|同时|此外|因此|所以|那么|然后|其次|首先|第一|第二|第三|可以说|事实上|实际上|换句话说|是的|于是|了|的"
_LEAD = re.compile(rf"^(?:[\s“”\"'「」『』（(\-•·*]|{_LEAD_FRAMES}|{_LEAD_WORDS})+")
# _LEAD without the ^, for match(text, a, b): the same match as _LEAD.match(text[a:b]) without the copy
# (no lookbehind in it; its one lookahead sees the end at b, as in the slice)
_LEAD_AT = re.compile(_LEAD.pattern[1:])
_TRAIL_PUNCT = "“”\"'「」『』)）"  # and whitespace
# (?<!…) keeps 机会, 所以会, 场所, 但是, 存在 … whole
_TRAIL_WORDS = "进一步|直接|最终|可能|很可能|或许|也许|(?<![机议协员事社聚约])会|将|也|都|已经|已|正在|往往|还|就|又|才|(?<![易究务场])所|则|并|主要|首先|同时|恰好|正是|完全有可能|有可能|足以单独|足以|单独|共同|再次|明显|大幅|几乎|明确|既|基本上|实际上|事实上|成为|成了|更易|容易|易|反而|甚至|往往|通常|只|(?<![但总或就正还也却])是|了|的|被|由|(?<![存现实潜内外所正])在|将|把"
_TRAIL_BODY = rf"(?:[\s“”\"'「」『』)）]|{_TRAIL_WORDS})+$"
_TRAIL = re.compile(_TRAIL_BODY)
# _TRAIL tried only where a run can start (whitespace or the first character of a word): the class up
# front lets re skip to those in C instead of entering the pattern at every position
_TRAIL_FIRSTS = _TRAIL_PUNCT + "".join(re.sub(r"\(\?<!\[[^\]]*\]\)", "", w)[0] for w in _TRAIL_WORDS.split("|"))
_TRAIL_SCAN = re.compile(rf"[\s{char_class(set(_TRAIL_FIRSTS))}](?<=(?={_TRAIL_BODY}).)", re.S)  # (. takes \n too)
# A span whose first (last) character cannot open (close) one of these needs no regex: most spans.
# (Searching for a $-anchored pattern tries every start position.)
# (with every character str.isspace() -- re's \s -- accepts: one set test instead of a method call)
_SPACES = frozenset(c for c in map(chr, range(0x3001)) if c.isspace())  # none lies above U+3000 (a test checks)
_LEAD_FIRST = frozenset(_LEAD_PUNCT + "对从在" + "".join(w[0] for w in _LEAD_WORDS.split("|"))) | _SPACES
_TRAIL_LAST = frozenset(_TRAIL_PUNCT + "".join(w[-1] for w in _TRAIL_WORDS.split("|"))) | _SPACES
_TRAIL_MAX = max(len(re.sub(r"\(\?<!\[[^\]]*\]\)", "", w)) for w in _TRAIL_WORDS.split("|"))  # longest word (5)
_TRAIL_WINDOW = 16
_PRONOUNS = frozenset("这|此|这一|这一点|这些|这种|其|它|它们|该|这便|这就|这也|此举|这一切|这个|那|这种情况|此事|这只".split("|"))
_PRONOUN_FIRST = frozenset(w[0] for w in _PRONOUNS)  # (and whitespace, which strip() removes: _SPACES)
_PRONOUN_HEAD = re.compile(r"^(?:它们|它)(?!们的|的)")  # "它直接影响 X 并迫使 Y": the cause is what 它 refers to
_ANAPHOR_EVENT = re.compile(r"^(?:若|如果|一旦)?(?:这|此|该)[一种个些]?[^，,。]{1,3}(?:持续|延续|继续)(?:下去)?$")  # 若此态势持续
_ANAPHOR = re.compile(r"^(?:这|此|该)[一种个些]?[^，,。]{0,3}$")  # 这一过程, 此态势: a cause named by reference
_REFERS_FIRST = ("它", "若", "如果", "一旦", "这", "此", "该")  # how _PRONOUN_HEAD / _ANAPHOR_EVENT matches begin
_REFERS_OPEN = _PRONOUN_FIRST | _SPACES | {w[0] for w in _REFERS_FIRST}  # what a span _refers_back to can open with
_BECAUSE_OPENER = re.compile(r"\s*(?:因为|由于)")
_MODIFIER_NOUNS = ("因素", "因子", "作用", "效应")
_MIN_SPAN = 2
# one-character cues and the neighbours that make them another word: (chars before, chars after)
_ONE_CHAR_CUES = {
    "使": ("即假纵大行天出", "用命馆者节徒"),
    "令": ("命指法禁口号", "人"),
    "让": ("转出退谦忍礼", "步位利渡我你他她人们"),
}
_ROLE = re.compile(r"(?:的)?(?:首席)?(?:分析师|分析师们|策略师|经济学家|研究员|研究团队|团队|报告|研报|数据|报道|官员|发言人)$")
# 当 A 时，B (a temporal condition stated as fact); 之所以 B，是因为 A; 因 A 而 B
# 当 (or 而当/但当/每当) opening a clause: each alternative starts with its literal and a lookbehind
# after it checks the character before (_NOT_OPEN: one that ends no clause), so re jumps to candidates
# instead of trying every position; the same matches as (?:^|(?<=[…]))(?:而|但|每)?当
_NOT_OPEN = r"[^，,；;。！？!?\n\s“]"
_WHEN = re.compile(rf"(?:而(?<!{_NOT_OPEN}而)当|但(?<!{_NOT_OPEN}但)当|每(?<!{_NOT_OPEN}每)当|当(?<!{_NOT_OPEN}当))" r"(?![前天时地然下中局年月周即初场面])(?!日(?![元圆]))(?P<c>[^，,。！？!?\n；;]{2,50}?)(?:(?:(?<![同及当临随暂届实适按准平小])时|之时|的时候)[，,]?|(?=[，,]))")
_SHI = re.compile(r"(?:^|(?<=[，,；;。！？!?\n]))\s*(?P<c>[^，,。！？!?\n；;当]{3,40}?)(?<![同此届平临及暂随到彼那这有小])时[，,]")  # "市场走弱时，B"
_CASE = re.compile(r"(?:^|(?<=[，,；;。！？!?\n]))\s*在(?P<c>[^，,。！？!?\n；;]{2,50}?)的?(?:情况下|情形下|情景下|背景下)[，,]?")  # 在 A 的情况下，B
# rare literals, one of which every match of a frame holds: frames are only tried on the sentences that
# contain one (found with str.find: a regex scan of the whole text for them costs more than the frames)
_ANCHORS = {
    "when": ("当",),
    "shi": ("时，", "时,"),
    "case": ("情况下", "情形下", "情景下", "背景下"),
    "zhisuoyi": ("之所以",),
    "yinwei_er": ("因为", "由于"),
    "paren": ("（因", "(因", "（由于", "(由于"),  # （因为 holds （因
}


def _sentences_with(literals: tuple[str, ...], seg: "_Segments") -> list[tuple[int, int]]:
    """(start, end) of the sentences holding one of ``literals``, in order, without repeats."""
    sk = seg.sk
    ks = {sk[i] for lit in literals for i in seg.starts(lit)}  # sentence indexes: in the text's order
    sstart, send = seg.sstart, seg.send
    return [(sstart[k], send[k]) for k in sorted(ks)]


def _finditer(rx: re.Pattern, literals: tuple[str, ...], seg: "_Segments"):
    """Matches of ``rx`` in the sentences holding one of ``literals``, in text order."""
    for s0, s1 in _sentences_with(literals, seg):
        yield from rx.finditer(seg.text, s0, s1 + 1)


def _matches_at(rx: re.Pattern, starts, seg: "_Segments"):
    """``_finditer(rx, literals, seg)`` when every match of ``rx`` starts at one of ``starts``: ``rx`` is
    tried at those only (sorted), not at every position of the sentences holding a literal."""
    text, sk, send = seg.text, seg.sk, seg.send
    end = 0
    for p in starts:
        if p >= end:  # finditer resumes at a match's end
            m = rx.match(text, p, send[sk[p]] + 1)  # the sentence bounds the search, as in _finditer
            if m is not None:
                end = m.end()
                yield m


def _when_starts(seg: "_Segments") -> list[int]:
    """Where a _WHEN match can start: at each 当, or at the 而/但/每 just before it (tried first)."""
    text = seg.text
    out = []
    for i in seg.starts("当"):
        if i > 0 and text[i - 1] in "而但每":
            out.append(i - 1)
        out.append(i)
    return out


_PAREN_E_STOP = "，,。！？!?\n；;（("  # what the cause-before part of _PAREN_REASON excludes


def _paren_matches(seg: "_Segments"):
    """``_finditer(_PAREN_REASON, _ANCHORS["paren"], seg)``, tried at one start per anchor.

    The part before the bracket excludes brackets, so a match from start s uses the first bracket
    after s: the anchor at k ends the run of such characters (from r) that holds s. Every start in
    [max(r, k - 60), k - 2] then gives the same match (what follows k does not depend on s), the
    smallest one first; a start before k - 60 cannot reach k (nor any bracket). So each anchor is
    tried once, at its smallest start, in text order.
    """
    text, sk, sstart, send = seg.text, seg.sk, seg.sstart, seg.send
    anchors = sorted({i for w in _ANCHORS["paren"] for i in seg.starts(w)})
    end = 0
    for k in anchors:
        lo = max(end, sstart[sk[k]], k - 60)  # finditer resumes at a match's end, within the sentence
        r = k
        while r > lo and text[r - 1] not in _PAREN_E_STOP:
            r -= 1
        if k - r < 2:
            continue
        m = _PAREN_REASON.match(text, r, send[sk[k]] + 1)
        if m is not None:
            end = m.end()
            yield m


def _clause_matches(rx: re.Pattern, literals: tuple[str, ...], seg: "_Segments"):
    """``_finditer(rx, literals, seg)`` for _SHI and _CASE, tried only where a match can start.

    Such a match opens a clause (its own boundary set, _FRAME_CLAUSE_PUNCT: start of text or after one
    of those characters), lies inside it but for a trailing comma, and holds one of ``literals``; so
    every match is the match at the clause start before some literal, and matches never overlap.
    """
    text = seg.text
    starts = {}
    for lit in literals:
        for i in seg.starts(lit):
            s0, s1 = seg.sentence(i)  # sentence enders are in the set too: the clause starts at s0 or later
            st = s0
            for ch in _FRAME_CLAUSE_PUNCT:
                k = text.rfind(ch, st, i) + 1
                if k > st:
                    st = k
            starts[st] = s1 + 1  # the sentence bounds the search, as in _finditer
    for st in sorted(starts):
        m = rx.match(text, st, starts[st])
        if m is not None:
            yield m


_FRAME_CLAUSE_PUNCT = "，,；;"  # with the sentence enders: the (?<=[…]) set of _SHI and _CASE
_ZHISUOYI = re.compile(r"之所以(?P<e>[^。！？!?\n]{2,60}?)[，,]\s*(?:正是|主要是|就是|是)?(?:因为|由于|在于)(?P<c>[^，,。！？!?\n；;]{2,80})")
_YINWEI_ER = re.compile(r"(?:因为|由于)(?P<c>[^，,。！？!?\n；;]{2,40}?)而(?P<e>[^，,。！？!?\n；;]{1,40})")
_PAREN_REASON = re.compile(r"(?P<e>[^，,。！？!?\n；;（(]{2,60})[（(](?:因为|由于|因)(?P<c>[^）)]{2,80})[）)]")
# the lookbehind after 因 (same test as before it) lets re find the literal fast
_YIN_ER = re.compile(r"因(?<![原基诱成病主起]因)(?![为此而素果子])(?P<c>[^，,。！？!?\n；;]{2,40}?)而(?P<e>[^，,。！？!?\n；;]{1,40})")


@dataclass(frozen=True, slots=True)
class _Cue:
    text: str
    family: str
    neg: bool
    nonoun: bool
    noqty: bool
    rev: bool = False


def _find_cues(text: str, lex: dict, a=None, cand: list[int] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, word) of the cues in ``text``: the matches of ``lex["cue_re"].finditer(text)``.

    ``a``: the text's UTF-16 code units (``_utf16``), when it has them; then numpy finds the positions
    whose two characters can open a cue (~1 in 50), and only those are tried; ``cand``: those
    positions (``_gate_scan``), when the caller has them.
    """
    out = []
    end = 0
    if a is not None:
        match = lex["cue_re"].match
        if cand is None:
            cand = _pair_candidates(_np_cue_tables(), a).tolist()
        for p in cand:
            if p >= end:  # a cue starting inside the previous one is not one (finditer resumes after it)
                m = match(text, p)
                if m is not None:
                    end = m.end()
                    out.append((p, end, m.group()))
        return out
    for m in lex["cue_scan"].finditer(text):
        p = m.start()
        if p >= end:  # finditer resumes after a match: a cue starting inside the previous one is not one
            w = m.group(1)
            end = p + len(w)
            out.append((p, end, w))
    return out


@lru_cache(maxsize=1)
def _np_cue_tables():
    """``_pair_tables`` of the cue words (on the characters of ``_gate_tables``)."""
    first, second, pair_cue, _ = _gate_tables()
    return first, second, pair_cue


@lru_cache(maxsize=1)
def _gate_tables():
    """``first`` and ``second`` of ``_pair_tables`` over the cue words and the literals together, and the
    ``pair`` of each: one numpy pass over a text then finds the candidates of both."""
    cues, lits = tuple(_lex()["cues"]), _literal_words()
    first, second, _ = _pair_tables(cues + lits)
    return first, second, _pair_mask(first, second, cues), _pair_mask(first, second, lits)


def _pair_tables(words: tuple[str, ...]):
    """Per BMP character its index among the words' first (``first``, times a stride) and second
    (``second``) characters, 0 for none; ``pair[first + second]`` is True where a word can start: a
    two-character opening of a word, or a one-character word followed by anything."""
    import numpy as np

    firsts = sorted({w[0] for w in words})
    seconds = sorted({w[1] for w in words if len(w) > 1})
    stride = len(seconds) + 1
    assert (len(firsts) + 1) * stride < 0x10000  # uint16 sums
    first, second = np.zeros(0x10000, dtype=np.uint16), np.zeros(0x10000, dtype=np.uint16)
    for i, ch in enumerate(firsts, 1):
        first[ord(ch)] = i * stride
    for i, ch in enumerate(seconds, 1):
        second[ord(ch)] = i
    return first, second, _pair_mask(first, second, words)


def _pair_mask(first, second, words) -> object:
    """The ``pair`` of ``_pair_tables`` for ``words`` (each of whose first two characters has an index)."""
    import numpy as np

    stride = int(second.max()) + 1
    pair = np.zeros((int(first.max()) // stride + 1) * stride, dtype=bool)
    for w in words:
        f = int(first[ord(w[0])])
        if len(w) == 1:
            pair[f:f + stride] = True
        else:
            pair[f + int(second[ord(w[1])])] = True
    return pair


def _pair_candidates(tables, a):
    """Positions (numpy) where one of the words of ``_pair_tables`` can start in the text whose
    ``_utf16`` array is ``a``: those whose first two characters open one (a superset of the starts)."""
    first, second, pair = tables
    code = first.take(a)  # nonzero where a word's first character stands
    cand = code.nonzero()[0]
    # (the last position's "next" is itself: a false candidate at worst, which the caller rejects)
    return cand[pair.take(code.take(cand) + second.take(a.take(cand + 1, mode="clip")))]


def _gate_scan(a) -> tuple[list[int], list[int], list[int]]:
    """``_pair_candidates`` of the cue words, and of the literals with each one's index into ``pair``
    (which names its first two characters), from one numpy pass over the text's ``_utf16`` array."""
    first, second, pair_cue, pair_lit = _gate_tables()
    code = first.take(a)
    cand = code.nonzero()[0]
    k = code.take(cand) + second.take(a.take(cand + 1, mode="clip"))
    lit = pair_lit.take(k)
    return cand[pair_cue.take(k)].tolist(), cand[lit].tolist(), k[lit].tolist()


@lru_cache(maxsize=1)
def _literal_words() -> tuple[str, ...]:
    """The literals whose every start ``_Segments`` records: frame anchors, passive markers and the
    characters their verbs share, conditional words."""
    lex = _lex()
    words = {w for lits in _ANCHORS.values() for w in lits}
    for marker, _, common in lex["passive"]:
        words.update((marker, *common))
    words.update(lex["cond_words"])
    return tuple(sorted(words))


@lru_cache(maxsize=1)
def _literals() -> tuple[tuple[str, ...], list]:
    """``_literal_words``, and per index into the ``pair`` of ``_gate_tables`` the literals opening with
    those two characters, as (index among the literals, literal, whether the text must still be compared)."""
    lits = _literal_words()
    if not _HAVE_NUMPY:
        return lits, []
    first, second, pair, _ = _gate_tables()
    stride = int(second.max()) + 1
    by_pair: list[list] = [[] for _ in range(len(pair))]
    for i, w in enumerate(lits):
        f = int(first[ord(w[0])])
        if len(w) == 1:
            for k in range(f, f + stride):
                by_pair[k].append((i, w, False))
        else:
            # the pair index names two characters; at the last position it names that one twice
            by_pair[f + int(second[ord(w[1])])].append((i, w, len(w) > 2 or w[0] == w[1]))
    return lits, [tuple(x) for x in by_pair]


def _literal_starts(text: str, a=None, found: tuple[list[int], list[int]] | None = None) -> dict[str, list[int]]:
    """Per literal of ``_literals`` the start of each of its occurrences in ``text`` (``_occurrences``).

    With the text's ``_utf16`` array ``a``: one numpy pass finds the few positions where any of them
    can start and the two characters there, instead of a whole-text str.find per literal (two dozen).
    ``found``: the literals' part of ``_gate_scan(a)`` when the caller has it.
    """
    lits, by_pair = _literals()
    if a is None:
        return {w: _occurrences(text, w) for w in lits}
    out: list[list[int]] = [[] for _ in lits]
    startswith = text.startswith
    cand, pk = found if found is not None else _gate_scan(a)[1:]
    for p, k in zip(cand, pk):
        for i, w, check in by_pair[k]:
            if not check or startswith(w, p):
                out[i].append(p)
    return dict(zip(lits, out))


@lru_cache(maxsize=1)
def _lex() -> dict:
    """Cue lists, loaded once and compiled into regexes."""
    cues = {}
    for row in read_tsv("claims", "cues.tsv"):
        flags = set(row[2].split(",")) if len(row) > 2 else set()
        cues[row[0]] = _Cue(row[0], row[1], "neg" in flags, "nonoun" in flags, "noqty" in flags, "rev" in flags)
    words = sorted(cues, key=len, reverse=True)
    # characters that turn a one-character cue into another word (使用, 即使, 命令, 令人 …)
    cue_re = re.compile(trie_pattern(words))  # 使/令/让 are checked in _from_cues
    passive = []
    for marker, verbs in read_tsv("claims", "passive.tsv"):
        vs = [v for v in verbs.split("|") if v]
        common = "".join(sorted(set.intersection(*map(set, vs))))  # characters every verb holds (在: 下)
        passive.append((marker, re.compile(trie_pattern(vs)), common))
    neg_rows = read_tsv("claims", "negations.txt")
    attrib = read_tsv("claims", "attribution.tsv")
    verbs = sorted((c for c, k in attrib if k == "verb"), key=len, reverse=True)
    prefixes = sorted((c for c, k in attrib if k == "prefix"), key=len, reverse=True)
    attr_verb = rf"(?:^|[{_CLAUSE_PUNCT}{_SENT_PUNCT}])\s*(?P<src>[^{_CLAUSE_PUNCT}{_SENT_PUNCT}]{{2,24}}?)\s*(?:也|则|曾|还|进一步|此前|近日)?(?:{'|'.join(map(re.escape, verbs))})"
    attr_prefix = rf"(?:^|[{_CLAUSE_PUNCT}{_SENT_PUNCT}])\s*(?:{'|'.join(map(re.escape, prefixes))})(?P<src>[^{_CLAUSE_PUNCT}{_SENT_PUNCT}]{{2,24}}?)(?:的)?(?:报道|数据|统计|消息|分析|估计|测算|显示|称|指出|[{_CLAUSE_PUNCT}])"
    return {
        "cues": cues,
        "cue_re": cue_re,  # the plain form of cue_scan (tests compare them)
        "cue_scan": key_scanner(words),  # overlapping matches: _find_cues drops those inside an earlier cue
        "passive": passive,
        "hedge_re": re.compile(trie_pattern(read_lines("claims", "hedges.txt"))),
        "neg_clause_re": re.compile("|".join(re.escape(c) for c, s in neg_rows if s == "clause")),
        "neg_sent_re": re.compile("|".join(re.escape(c) for c, s in neg_rows if s == "sentence")),
        "nonobject": frozenset(read_lines("claims", "nonobject.txt")),
        "nonobject_len": max(map(len, read_lines("claims", "nonobject.txt"))),  # a longer effect is none of them
        "implicit_effect_re": re.compile("^(?:[^的]{0,8})?(?:" + "|".join(re.escape(c) for c, v in cues.items() if v.family == "noun") + "|催化因素|诱因|原因)$"),
        "quantity_re": re.compile(r"^(?:超过|约|近|逾|大约|高达|不到|[0-9０-９+\-−.])"),
        "skip_re": re.compile("|".join(map(re.escape, read_lines("claims", "skip_contexts.txt")))),
        "cond_words": tuple(read_lines("claims", "conditionals.txt")),
        "cond_re": re.compile(r"^(?:[\s“”\"'「」]|而|但|那么|所以)*(?:" + "|".join(map(re.escape, read_lines("claims", "conditionals.txt"))) + ")"),
        # any negation or attribution word: most text before a cue holds none, and then one search decides all four
        "before_cue_any": re.compile(trie_pattern([c for c, _ in neg_rows] + verbs + prefixes)),
        "attr_prefix_re": re.compile(attr_prefix),  # the plain forms of attr_scans (tests compare them)
        "attr_verb_re": re.compile(attr_verb),
        # the two without their "^|" start, for a text led by one added punctuation mark (which the
        # "^" matches stood for): a character set first lets re skip to the candidates; each with
        # a search for its prefixes / verbs, one of which every match holds (it rules most texts out)
        "attr_scans": (
            (re.compile(attr_prefix.replace("(?:^|[", "(?:[", 1)), re.compile(trie_pattern(prefixes))),
            (re.compile(attr_verb.replace("(?:^|[", "(?:[", 1)), re.compile(trie_pattern(verbs))),
        ),
    }


_PLUS_ONE = (1).__add__
_HAVE_NUMPY = importlib.util.find_spec("numpy") is not None  # a declared dependency; the regex path stays correct without it


@lru_cache(maxsize=1)
def _np_tables():
    """Per BMP character: 3 sentence ender, 1 other clause boundary, 2 an ASCII , or : (a boundary unless
    between digits); and whether it is a decimal digit (re's \\d for str patterns is str.isdecimal)."""
    import numpy as np

    kind = np.zeros(0x10000, dtype=np.uint8)
    for ch in "；;，：—":
        kind[ord(ch)] = 1
    for ch in ",:":
        kind[ord(ch)] = 2
    for ch in _SENT_PUNCT:
        kind[ord(ch)] = 3
    digit = np.array([chr(c).isdecimal() for c in range(0x10000)], dtype=bool)
    return kind, digit


def _ranks(positions: list[int], n: int) -> list[int]:
    """``r[i] == bisect_left(positions, i)`` for 0 <= i <= n (``positions`` sorted, in [0, n))."""
    out: list[int] = []
    for k, p in enumerate(positions):
        out += [k] * (p + 1 - len(out))
    out += [len(positions)] * (n + 1 - len(out))
    return out


def _utf16(text: str):
    """The text's characters as a numpy uint16 array, or None: no numpy, a short text (plain Python is
    cheaper), or an astral character (two UTF-16 units: positions would shift)."""
    if _HAVE_NUMPY and len(text) >= 256:
        import numpy as np

        a = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
        if len(a) == len(text):
            return a
    return None


def _boundaries(text: str, a=None) -> tuple:
    """Clause boundaries (``_BOUNDARY`` matches) and sentence enders among them: positions, starts, ranks.

    Returns ``cb, sb, cstart, sstart, ck, sk``: the boundary positions, the clause and sentence starts
    (0, then each boundary + 1), and per position i in [0, len(text)] the index of its clause and
    sentence (``ck[i] == bisect_left(cb, i)``; an index lookup costs a fraction of a bisect, and the
    stage makes hundreds of them per text).

    Long texts are classified by a numpy table lookup per character (a regex scan of the whole
    text costs more); the regex does it for short ones and texts with astral characters.
    ``a``: the text's ``_utf16`` array when the caller has it.
    """
    n = len(text)
    if a is None:
        a = _utf16(text)
    if a is not None:
        import numpy as np

        kind_table, digit_table = _np_tables()
        kind = kind_table.take(a)
        two = (kind == 2).nonzero()[0]  # (the methods: np.flatnonzero and np.cumsum add Python-level wrappers)
        if two.size:  # , or : between two digits (118,000 / 16:00) ends no clause ("clip": the ends see themselves)
            between = digit_table.take(a.take(two - 1, mode="clip")) & digit_table.take(a.take(two + 1, mode="clip"))
            kind[two[between]] = 0
        isb, iss = kind != 0, kind == 3
        cbn, sbn = isb.nonzero()[0], iss.nonzero()[0]
        ck, sk = np.zeros(n + 1, dtype=np.intp), np.zeros(n + 1, dtype=np.intp)
        np.add.accumulate(isb, dtype=np.intp, out=ck[1:])  # the running count (np.cumsum's loop costs more)
        np.add.accumulate(iss, dtype=np.intp, out=sk[1:])
        cstart, sstart = (cbn + 1).tolist(), (sbn + 1).tolist()
        cstart.insert(0, 0)
        sstart.insert(0, 0)
        return cbn.tolist(), sbn.tolist(), cstart, sstart, memoryview(ck), memoryview(sk)
    cb = [m.start() for m in _BOUNDARY.finditer(text)]
    sb = [i for i in cb if text[i] in _SENT_PUNCT]
    return cb, sb, [0, *map(_PLUS_ONE, cb)], [0, *map(_PLUS_ONE, sb)], _ranks(cb, n), _ranks(sb, n)


class _Segments:
    """Sentence and clause boundaries of a text, with the clause and sentence of every position."""

    def __init__(self, text: str, lex: dict):
        self.text = text
        self.cue_starts: list[int] = []  # where cues start and end (set by find_claims)
        self.cue_ends: list[int] = []
        n = len(text)
        # boundary positions (the punctuation char); sentence enders always end a clause too
        # start and end of the k-th clause / sentence, and k for every position (ck, sk)
        # (int lists: a (start, end) tuple per clause would cost more to build than the lookups)
        self.u16 = _utf16(text)  # None for short texts: the plain regex paths then
        self.cb, self.sb, self.cstart, self.sstart, self.ck, self.sk = _boundaries(text, self.u16)
        self.cend, self.send = self.cb + [n], self.sb + [n]
        self._cond_re = lex["cond_re"]
        # where a conditional word (如果, 若 …) starts: a clause with none in its first characters opens no conditional
        # where each frame anchor, passive marker and conditional word starts (one numpy pass finds them all)
        self.cue_cand = None  # where a cue can start (found with the literals: find_claims reads it)
        if self.u16 is not None:
            self.cue_cand, lit_cand, lit_pair = _gate_scan(self.u16)
            self.at = _literal_starts(text, self.u16, (lit_cand, lit_pair))
        else:
            self.at = _literal_starts(text)
        self._cond_at = sorted(i for w in lex["cond_words"] for i in self.at[w])
        self.cond: dict[int, bool] = {}  # _conditional by clause start: cues and frames share clauses

    def starts(self, lit: str) -> list[int]:
        """Start of every occurrence of ``lit`` (recorded for the literals of ``_literals``)."""
        found = self.at.get(lit)
        return _occurrences(self.text, lit) if found is None else found

    def clause(self, i: int) -> tuple[int, int]:
        """(start, end) of the clause holding position ``i`` (a boundary char ends the clause before it)."""
        k = self.ck[i]
        return self.cstart[k], self.cend[k]

    def sentence(self, i: int) -> tuple[int, int]:
        """(start, end) of the sentence holding position ``i``."""
        k = self.sk[i]
        return self.sstart[k], self.send[k]

    def last_cue_end(self, a: int, b: int) -> int | None:
        """End of the last cue inside [a, b), or None."""
        k = bisect_left(self.cue_starts, b) - 1
        if k >= 0 and self.cue_starts[k] >= a:
            return min(self.cue_ends[k], b)
        return None

    def opens_cond(self, a: int) -> bool:
        """True when the text at ``a`` opens with 如果/若/一旦 … (after 而/但/所以 and quotes)."""
        k = bisect_left(self._cond_at, a)
        if k == len(self._cond_at) or self._cond_at[k] > a + 5:
            return False  # cond_re needs a conditional word inside text[a:a + 6]
        return bool(self._cond_re.match(self.text[a:a + 6]))

    def prev_clause(self, start: int) -> tuple[int, int] | None:
        """The clause before the one starting at ``start``, within the same sentence."""
        if start < 2:
            return None  # (at 1 the clause before is empty)
        s0 = self.sstart[self.sk[start]]
        if start - 1 < s0:
            return None
        k = self.ck[start - 2]
        a, b = self.cstart[k], self.cend[k]
        if b <= a or a < s0:
            return None
        return a, b

    def next_clause(self, end: int) -> tuple[int, int] | None:
        """The clause after the one ending at ``end``, within the same sentence."""
        n = len(self.text)
        if end >= n or self.text[end] in _SENT_PUNCT:
            return None
        a, b = self.clause(end + 1)
        return (a, b) if b > a else None


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Span (a, b) without leading connectives/brackets and trailing adverbs and particles."""
    if a >= b:
        return a, b
    ch = text[a]  # the first and last characters decide most spans without a slice
    if ch in _LEAD_FIRST:
        m = _LEAD_AT.match(text, a, b)
        if m:
            a = m.end()
            if a >= b:
                return a, b
    ch = text[b - 1]
    if ch in _TRAIL_LAST:
        m = _trail(text[a:b])
        if m:
            b = a + m.start()  # all adverbs and particles: nothing left
    return a, b


def _trail(seg: str) -> re.Match | None:
    """A match whose ``.start()`` is ``_TRAIL.search(seg).start()`` (None when that finds nothing), without
    trying every start position of a long span (only ``.start()`` is read: the match itself is one character).

    The trailing run is a chain of words of at most _TRAIL_MAX characters, and every word
    boundary in it starts a shorter run. So if a run started before the last _TRAIL_WINDOW
    characters, a search of those would find one starting within _TRAIL_MAX of their start;
    when it does not, its answer is the whole search's.
    """
    w = len(seg) - _TRAIL_WINDOW
    if w <= 0:
        return _TRAIL_SCAN.search(seg)
    m = _TRAIL_SCAN.search(seg, w)  # a lookbehind still sees the characters before w
    if m is not None and m.start() < w + _TRAIL_MAX:
        return _TRAIL_SCAN.search(seg)
    return m


def _ok(a: int, b: int) -> bool:
    return b - a >= _MIN_SPAN


def _is_pronoun(text: str, a: int, b: int) -> bool:
    ch = text[a:a + 1]  # most spans open with a character no pronoun opens with: no slice and strip
    if ch and ch not in _PRONOUN_FIRST and ch not in _SPACES:
        return False
    return text[a:b].strip() in _PRONOUNS


def _refers_back(text: str, a: int, b: int, anaphora: bool) -> bool:
    """True when span [a, b) is a bare pronoun or, with ``anaphora``, opens by referring back (它…, 若此态势持续)."""
    if text[a:a + 1] not in _REFERS_OPEN:
        return False  # most spans: no pronoun, no reference opens them (nor whitespace before one)
    if _is_pronoun(text, a, b):
        return True
    return anaphora and text.startswith(_REFERS_FIRST, a, b) and bool(_PRONOUN_HEAD.match(text[a:b]) or _ANAPHOR_EVENT.match(text[a:b]))


@dataclass(slots=True)
class _Raw:
    cause: tuple[int, int]
    effect: tuple[int, int]
    cue: tuple[int, int]
    neg: bool = False
    cond: bool = False  # stated inside a conditional (如果/若/一旦 …): kept as a hedged claim


def _cause_before(seg: _Segments, cs: int, p: int, anaphora: bool = True) -> tuple[int, int] | None:
    """Cause text before a cue at ``p`` in the clause starting at ``cs``: the clause head, or the previous clause."""
    text = seg.text
    a, b = _trim(text, cs, p)
    if b - a >= _MIN_SPAN and not _refers_back(text, a, b, anaphora):
        return a, b
    # seg.prev_clause(cs), inlined (its sentence start is needed below too)
    s0 = seg.sstart[seg.sk[cs]]
    prev = None
    if cs >= 2 and cs - 1 >= s0:
        k = seg.ck[cs - 2]
        pa, pb = seg.cstart[k], seg.cend[k]
        if pb > pa and pa >= s0:
            prev = pa, pb
    if prev is None:
        # 这 at a sentence start (or nothing before the cue) refers back to the previous sentence
        if s0 > 1:
            ps, pe = _widen(seg, seg.clause(s0 - 2))
            s1, _ = seg.sentence(ps)
            if _BECAUSE_OPENER.match(text[s1:pe]) and s1 > 1:
                ps, pe = _widen(seg, seg.clause(s1 - 2))  # "A。因为 B。这导致 C": 这 is A, B only explains it
            pa, pb = _trim(text, ps, pe)
            if _ok(pa, pb):
                return pa, pb
        return None
    pa, pb = _trim(text, *_widen(seg, prev))
    if _ok(pa, pb):
        return pa, pb
    return (a, b) if _ok(a, b) else None


def _widen(seg: _Segments, clause: tuple[int, int]) -> tuple[int, int]:
    """A clause taken as an antecedent, extended back over earlier clauses of its sentence that hold no cue.

    "A，B，使得 C": the subject of 使得 is the whole run A，B (an enumeration or a
    clause chain), up to the previous clause that is itself a causal statement.
    """
    a, b = clause
    s0 = seg.sstart[seg.sk[a]]
    ck, cstart, cend = seg.ck, seg.cstart, seg.cend
    while a > s0:
        # seg.prev_clause(a), inlined: a stays in the sentence starting at s0
        if a < 2:
            break
        k = ck[a - 2]
        pa, pb = cstart[k], cend[k]
        if pb <= pa or pa < s0 or seg.opens_cond(pa):
            break
        if _may_attribute(seg.text, pa, pb) and _ATTR_CLAUSE.match(seg.text[pa:pb]):
            break  # "据路透报道，A": the source is not part of the cause
        last = seg.last_cue_end(pa, pb)
        if last is not None:
            if pb - last >= _MIN_SPAN:
                a = last  # "A 导致 B，C，使得 D": the cause of D is "B，C"
            break
        a = pa
    return a, b


def _occurrences(text: str, word: str) -> list[int]:
    """Start positions of every occurrence of ``word`` in ``text``."""
    out = []
    i = text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def _effect_after(seg: _Segments, q: int, ce: int) -> tuple[int, int] | None:
    text = seg.text
    a, b = _trim(text, q, ce)
    if _ok(a, b):
        return a, b
    nxt = _next_main_clause(seg, ce)
    if nxt:
        a, b = _trim(text, *nxt)
        if _ok(a, b):
            return a, b
    return None


_PASSIVE_HEAD = re.compile(r"(?:^|[^理自经缘])由(?![于此])[^，,。]{1,30}$|被(?![动迫])[^，,。]{0,30}$")
_ATTR_CLAUSE = re.compile(r"^\s*(?:(?:据|根据)[^，,。]{1,20}(?:报道|称|消息|数据|统计|显示)?|[^，,。]{1,20}(?:表示|认为|指出|称|写道|强调|警告))\s*$")
# what an _ATTR_CLAUSE match opens with (after spaces), and ends with (before spaces)
_ATTR_OPEN = frozenset("据根") | _SPACES
_ATTR_CLOSE = frozenset("示为出称道调告") | _SPACES


def _may_attribute(text: str, a: int, b: int) -> bool:
    """False when _ATTR_CLAUSE cannot match text[a:b] (non-empty): it neither opens with 据/根据 nor
    ends with one of the verbs (nor with a space), as most clauses: no slice and regex for those."""
    return text[a] in _ATTR_OPEN or text[b - 1] in _ATTR_CLOSE
_ASIDE = re.compile(r"^\s*(?:无论|不管|不论|尽管|虽然|即使|哪怕|例如|比如|包括|尤其是|特别是)")


def _next_main_clause(seg: _Segments, end: int) -> tuple[int, int] | None:
    """The next clause of the sentence, skipping asides (无论…, 尽管…, 例如…)."""
    text = seg.text
    nxt = seg.next_clause(end)
    for _ in range(2):
        if nxt and (_ASIDE.match(text[nxt[0]:nxt[1]]) or (text[nxt[0] - 1] == "—" and text[nxt[1]:nxt[1] + 1] == "—")):
            nxt = seg.next_clause(nxt[1] + (1 if text[nxt[1] + 1:nxt[1] + 2] == "—" else 0))  # skip an aside (—— … ——)
    return nxt


def _conditional(seg: _Segments, cs: int, lex: dict) -> bool:
    """True when the clause at ``cs`` or the one before it (same sentence) opens with 如果/若/一旦/当 …"""
    r = seg.cond.get(cs)
    if r is None:
        # both clauses lie in [sentence start, cs + 5] as far as cond_re can see: most hold no conditional word
        at = seg._cond_at
        k = bisect_left(at, seg.sstart[seg.sk[cs]])
        if k == len(at) or at[k] > cs + 5:
            r = False
        else:
            r = seg.opens_cond(cs)
            if not r:
                prev = seg.prev_clause(cs)
                r = bool(prev and seg.opens_cond(prev[0]))
        seg.cond[cs] = r
    return r


def _from_cues(seg: _Segments, lex: dict, blocked: list[tuple[int, int]], found: list[tuple[int, int, str]]) -> list[_Raw]:
    text = seg.text
    bstarts = [b[0] for b in blocked]
    out: list[_Raw] = []
    cues = lex["cues"]
    ck, cstart, cend, cond_memo = seg.ck, seg.cstart, seg.cend, seg.cond
    for p, q, word in found:
        cue = cues.get(word)
        if cue is None:
            continue
        k = bisect_right(bstarts, p) - 1
        if k >= 0 and blocked[k][0] <= p and q <= blocked[k][1]:
            continue  # the verb of a passive frame (由 A 驱动), already read by _from_frames
        if cue.nonoun and p > 0 and text[p - 1] == "的":
            continue
        if cue.text == "所以" and p > 0 and text[p - 1] == "之":
            continue  # 之所以 … 是因为: read as a frame
        bad = _ONE_CHAR_CUES.get(cue.text)
        if bad and ((p > 0 and text[p - 1] in bad[0]) or text[q:q + 1] in bad[1]):
            continue  # 即使, 使用, 命令, 令人, 转让, 让我: not causal
        if cue.family == "fwd" and p > 0 and (text[p - 1] == "所" or (text[p - 1] == "为" and text[p - 2:p - 1] not in ("成", "作", "认", "因", "行"))):
            continue  # 以看跌期权为主导, 所驱动 (read by the passive frames); 成为决定 … is fine
        k = ck[p]  # seg.clause(p), inlined
        cs, ce = cstart[k], cend[k]
        n_before = len(out)
        fam = cue.family
        if fam == "fwd":
            if q < len(text) and text[q] in "下":  # 在…推动下: the passive frame handles it
                continue
            # the effect is the verb's object, in the same clause; none means the cue is a noun (波动性冲击)
            e = _trim(text, q, ce)
            if not _ok(*e):
                if cue.nonoun:
                    continue
                e = _effect_after(seg, q, ce)  # "这意味着，A": the object is the next clause
                if e is None:
                    continue
            if cue.noqty and lex["quantity_re"].match(text[e[0]:e[1]]):
                continue  # "增加了 2.3 亿美元": a quantity, not an effect
            if text.startswith("的", q):
                e = _effect_after(seg, q + 1, ce)  # "A 带来的 B": a relative clause, B is the effect
                if e is None:
                    continue
            head = text[cs:p]
            if ("由" in head or "被" in head) and _PASSIVE_HEAD.search(head):
                continue  # 由 A 主导: passive, read by the frames
            if text.startswith(_MODIFIER_NOUNS, e[0], e[1]):
                continue  # "火上浇油”因素": the cue qualifies a noun
            c = _cause_before(seg, cs, p)
            if c is None:
                continue
            # 将/把 construction: "A 将 X 推至 Y" — A is the cause, "X 推至 Y" the effect
            k = max(text.rfind("将", cs, p), text.rfind("把", cs, p)) if "将" in head or "把" in head else -1
            if k > cs and p - k > 2:  # 将 X 推至: an object between 将 and the verb (a bare 将 is "will")
                c2 = _trim(text, cs, k)
                if _ok(*c2) and not _is_pronoun(text, *c2) and not _ANAPHOR.match(text[c2[0]:c2[1]]):
                    c, e = c2, (k + 1, e[1])
                else:
                    prev = _cause_before(seg, cs, cs)
                    if prev:
                        c, e = prev, (k + 1, e[1])
            if e[1] - e[0] <= lex["nonobject_len"] and text[e[0]:e[1]] in lex["nonobject"]:
                continue  # 影响深远: an adjective, not an object
            out.append(_Raw(c, e, (p, q), cue.neg))
        elif fam == "conn":
            prev = seg.prev_clause(cs)
            if prev is None:
                continue
            head = text[cs:p].strip()
            if head and not (cue.text in ("因此", "因而", "所以", "于是") and len(head) <= 12):
                continue
            c = _trim(text, *_widen(seg, prev))
            e = _effect_after(seg, q, ce)
            if head and e:
                e = (_trim(text, cs, p)[0], e[1])  # "A，B 因此上涨": the effect is "B … 上涨"
            if _ok(*c) and e:
                out.append(_Raw(c, e, (p, q), cue.neg))
        elif fam in ("bwd", "abd"):
            if cue.text in ("来自", "来源于") and not text[cs:p].strip() and "的" in text[q:ce]:
                continue  # "来自 X 的数据显示 …": a noun phrase, not a claim
            e = _cause_before(seg, cs, p, anaphora=(fam == "abd"))  # the side before the cue is the effect here
            if e and fam == "abd" and _ANAPHOR.match(text[e[0]:e[1]]):
                prev = seg.prev_clause(cs)  # "A，这种结构反映 B": the observation is A
                if prev and _ok(*_trim(text, *prev)):
                    e = _trim(text, *_widen(seg, prev))
            if e and lex["implicit_effect_re"].search(text[e[0]:e[1]]):
                continue  # "催化剂来自 A": the effect is left implicit
            c = _effect_after(seg, q, ce)
            k = text.find("的", q, c[1]) if c else -1
            if c and k > q + 1 and e and cue.text in ("来自", "源自", "源于", "来源于") and re.search(r"(?:面临|受到|承受|遭遇|出现|带来|是|有|考虑|应对|防范|规避|关注|警惕|抵御)$", text[cs:p]):
                # "面临来自 A 的压力": cause A, effect the noun after 的
                c, e = _trim(text, q, k), _trim(text, k + 1, c[1])
                if _ok(*c) and _ok(*e):
                    out.append(_Raw(c, e, (p, q), cue.neg))
                continue
            if c and c[1] < len(text) and text[c[1]:c[1] + 1] in ("：", ":"):
                nxt = seg.next_clause(ce)
                if nxt and _ok(*_trim(text, *nxt)):
                    c = _trim(text, *nxt)  # "指向一个结论：A" — the cause is what follows the colon
            if c and e:
                out.append(_Raw(c, e, (p, q), cue.neg))
        elif fam in ("because", "since"):
            head = text[cs:p].strip()
            if head and head not in ("正是", "是", "而是", "正", "只是", "主要是", "就是", "这是", "但", "而", "也", "这主要是", "主要"):
                continue  # mid-clause 由于/因为 is covered by bwd cues (是因为) or is not a clause opener
            s0, _ = seg.sentence(cs)
            if cs == s0 and s0 > 0 and text[s0 - 1] in "?？":
                continue  # "我们怎么知道的？因为 …": a reason for a belief
            prev = seg.prev_clause(cs)
            if prev is not None and text[prev[1]] in "：:":
                prev = None  # "再叠加一个因素：由于 A，B" — the colon introduces, it is not the effect
            c = _trim(text, q, ce)
            if not _ok(*c):
                continue
            nxt = _next_main_clause(seg, ce)
            forward = head in ("但", "而", "但是") or (nxt is not None and re.match(r"\s*(?:所以|因此|才|就|于是|他们|它们|我们)", text[nxt[0]:nxt[1]]))
            use_prev = prev is not None and not forward and (fam == "because" or nxt is None)
            if use_prev:
                if lex["skip_re"].search(text[prev[0]:prev[1]]) or text[prev[1]] in "?？":
                    continue
                e = _trim(text, *_widen(seg, prev))  # B，因为 A
            else:
                if nxt is None:
                    s0, _ = seg.sentence(cs)
                    if cs != s0 or s0 < 2:
                        continue
                    e = _trim(text, *seg.clause(s0 - 2))  # "A。因为 B。": B explains the sentence before
                    if _ok(*e):
                        out.append(_Raw(c, e, (p, q), cue.neg))
                    continue
                e = _trim(text, *nxt)  # 由于 A，B
                if lex["skip_re"].search(text[nxt[0]:nxt[1]]):
                    continue
            if _ok(*e):
                out.append(_Raw(c, e, (p, q), cue.neg))
        elif fam == "noun":
            out.extend(_noun_claim(seg, cs, ce, p, q, cue.rev))
        elif fam == "relation":
            r = _relation_claim(seg, cs, p, q, cue.neg)
            if r:
                out.append(r)
        if len(out) > n_before:
            cond = cond_memo.get(cs)
            if cond is None:
                cond = _conditional(seg, cs, lex)
            for r in out[n_before:]:
                r.cond = cond
    return out


_NOUN_COPULA = re.compile(r"\s*(?P<neg>并不是|并非|不是|不在于|不来自)?(?:就是|则是|正是|是|来自|来源于|在于|为|源于|源自)?\s*")
_NOUN_MOD = re.compile(r"(?:直接|真正|主要|最终|根本|核心|关键|初始|最初|最大)$")
_NOUN_SUBJ = re.compile(r"(?:是|成为|成了|正是|就是|乃是)")


def _noun_claim(seg: _Segments, cs: int, ce: int, p: int, q: int, rev: bool = False) -> list[_Raw]:
    """``E 的导火索是 C`` or ``C 是 E 的导火索``; ``E 的导火索不是 A，而是 B`` gives a negated and a stated claim."""
    text = seg.text
    cop = _NOUN_COPULA.match(text, q)
    before = _NOUN_MOD.sub("", text[cs:p])  # "的直接导火索": the adjective belongs to the cue
    p = cs + len(before) if before.endswith("的") else p
    if cop and cop.end() > q and before.endswith("的"):
        e = _trim(text, cs, p - 1)
        c = _effect_after(seg, cop.end(), ce)
        if not (_ok(*e) and c):
            return []
        out = [_Raw(c, e, (p, q), neg=bool(cop.group("neg")))]
        if cop.group("neg"):
            nxt = seg.next_clause(ce)
            if nxt and text[nxt[0]:nxt[1]].lstrip().startswith("而是"):
                c2 = _trim(text, *nxt)
                if _ok(*c2):
                    out.append(_Raw(c2, e, (p, q)))
        return out
    if before.endswith("的"):
        sm = None
        for sm in _NOUN_SUBJ.finditer(before):
            pass
        if sm is not None:
            c = _trim(text, cs, cs + sm.start())
            e = _trim(text, cs + sm.end(), p - 1)
            if rev:
                c, e = e, c  # "X 是 Y 的延续": Y came first and carries on in X
            if _ok(*c) and _ok(*e):
                return [_Raw(c, e, (p, q))]
    return []


def _relation_claim(seg: _Segments, cs: int, p: int, q: int, neg: bool) -> _Raw | None:
    """``E 与/跟/和 C 有关/无关/没有关系``."""
    text = seg.text
    before = text[cs:p]
    k = max(before.rfind("与"), before.rfind("跟"), before.rfind("和"), before.rfind("同"))
    if k <= 0:
        return None
    e = _trim(text, cs, cs + k)
    c = _trim(text, cs + k + 1, p)
    _, ce = seg.clause(p)
    if text.startswith("的", q) or text.startswith("、", q):
        j = text.find("的", q, ce)  # "与 A 无关、但与 B 有关的抛售": the effect is the noun after 的
        if j >= 0:
            e = _trim(text, j + 1, ce)
    if not _ok(*e):
        prev = seg.prev_clause(cs)  # "比特币抛售的加速，很可能与期权市场有关"
        e = _trim(text, *prev) if prev else e
    if _ok(*e) and _ok(*c):
        return _Raw(c, e, (p, q), neg)
    return None


@dataclass(slots=True)
class _FrameMatch:
    """A passive frame found verb-first: MARKER cause VERB (same interface as the re.Match parts used)."""

    p: int  # marker start
    c: tuple[int, int]  # cause span (between marker and verb)
    v: tuple[int, int]  # verb span
    verb: str

    def start(self) -> int:
        return self.p

    def end(self) -> int:
        return self.v[1]

    def span(self, name: str) -> tuple[int, int]:
        return self.c if name == "c" else self.v

    def group(self, name: str) -> str:
        return self.verb


_MARKER_BAD_BEFORE = {"由": "自理经缘来事", "受": "接承享忍感遭", "被": "", "受到": "", "在": "存现实正所"}
_MARKER_BAD_AFTER = {"由": "于此", "受": "到益众理", "被": "动迫", "受到": "", "在": "于乎意"}


def _marker_clauses(seg: _Segments, marker: str, common: str) -> list[tuple[int, int]]:
    """(start, end) of the clauses holding ``marker`` and every character of ``common``, in order."""
    text, ck, cstart, cend = seg.text, seg.ck, seg.cstart, seg.cend
    out = []
    # walk the occurrences of the rarest of the marker and the common characters (下 for 在: about half
    # as many); every clause kept holds all of them, so any of them finds the same clauses
    need = (marker, *common)
    at = seg.at  # every start of each (their number is text.count: none of them overlaps itself)
    drive = min(need, key=lambda w: len(at[w])) if common else marker
    b = -1
    for i in at[drive]:
        if i <= b:
            continue  # in the clause just kept or dropped
        k = ck[i]  # seg.clause(i), inlined: this runs for every occurrence in the text
        a, b = cstart[k], cend[k]
        for w in need:
            if w != drive and text.find(w, a, b) < 0:
                break
        else:
            out.append((a, b))
    return out


def _frame_matches(text: str, seg: _Segments, marker: str, verb_re: re.Pattern, common: str = "") -> list[_FrameMatch]:
    """Passive frames ``MARKER A VERB``: each verb is found first, then the nearest marker 2-40 chars before it.

    (A regex starting at the marker with a lazy gap would retry at every 在 of the text.)
    Verbs are only looked for in the clauses that hold the marker (and the characters ``common``
    to all its verbs): a verb never spans a clause boundary, and a frame never does either, so
    this finds the same frames as a scan of the whole text, at a fraction of the cost.
    """
    out = []
    n = len(marker)
    bad_before = _MARKER_BAD_BEFORE.get(marker, "")
    bad_after = _MARKER_BAD_AFTER.get(marker, "")
    for cs, ce in _marker_clauses(seg, marker, common):
        for m in verb_re.finditer(text, cs, ce + 1):  # the verb's clause is the marker's: cs
            vs, ve = m.span()
            lo = max(cs, vs - 40 - n)
            k = text.rfind(marker, lo, vs - n) if vs - n > lo else -1  # at least one character between marker and verb
            while k >= lo:
                if (k == 0 or text[k - 1] not in bad_before) and text[k + n:k + n + 1] not in bad_after:
                    break
                k = text.rfind(marker, lo, k)
            if k < lo:
                continue
            a, b = k + n, vs
            if text[b - 1:b] in ("的", "所") and b - 1 - a >= 2:
                b -= 1  # 在降息预期的推动下, 由 A 所驱动
            if b - a < 2 and not (b - a == 1 and text[a] in "此这其"):
                continue  # 受此影响 names its cause by a pronoun
            out.append(_FrameMatch(k, (a, b), (vs, ve), m.group()))
    return out


def _from_frames(seg: _Segments, lex: dict, blocked: list[tuple[int, int]]) -> list[_Raw]:
    """Passive frames, 之所以…是因为, 因…而; the spans they cover are appended to ``blocked``."""
    text = seg.text
    out: list[_Raw] = []
    for marker, verb_re, common in lex["passive"]:
        if not seg.at[marker]:
            continue  # no frame without its marker: skip the scan for its verbs
        for m in _frame_matches(text, seg, marker, verb_re, common):
            p = m.start()
            cs, ce = seg.clause(p)
            cond = _conditional(seg, cs, lex)
            if marker.startswith("受") and text[max(cs, p - 1):p] == "易":
                continue  # 易受 A 影响: a susceptibility, not a stated cause
            c = _trim(text, *m.span("c"))
            if _is_pronoun(text, *c) or text[c[0]:c[1]] in ("此", "这", "其"):
                c = _cause_before(seg, cs, cs) or c  # 受此影响: what the previous sentence said
            if not _ok(*c):
                continue
            if m.group("v") == "主导" and text[m.end():m.end() + 1] in ("的", "、"):
                continue  # "由 A 主导的 B" describes B; "B 由 A 主导" states a cause
            cue = (p, p + len(marker)) if marker != "在" else m.span("v")
            # effect: a noun phrase after 的 (由 A 引发的 B), the clause head (B 受 A 拖累), else the rest of the clause
            after = m.end()
            e = None
            if marker in ("由", "被") and text.startswith("、", after):
                k = text.find("的", after, ce)  # 由 A 引发、被 B 放大的 NP
                if k > 0:
                    after = k
            if text.startswith("的", after) and marker in ("由", "被"):
                e = _effect_after(seg, after + 1, ce)
            if e is None:
                head = _trim(text, cs, p)
                if _ok(*head) and not _is_pronoun(text, *head):
                    e = head
            if e is None and marker != "由":
                e = _effect_after(seg, after, ce)
            if e is None and marker == "由":
                prev = seg.prev_clause(cs)  # 并非由 A 驱动，而是由 B 触发: same subject as before
                if prev:
                    e = _trim(text, prev[0], prev[1])
            if e:
                out.append(_Raw(c, e, cue, cond=cond))
                blocked.append((m.start(), m.end()))
    for m in _clause_matches(_CASE, _ANCHORS["case"], seg):
        c = _trim(text, *m.span("c"))
        if _is_pronoun(text, *c) or _ANAPHOR.match(text[c[0]:c[1]]):
            c = _cause_before(seg, m.start(), m.start()) or c  # 在这种情况下: the situation described before
        elif c[1] - c[0] < 4:
            continue  # 在某些情况下, 在极端情况下: a qualifier, not a condition
        end = m.end() - 1 if text[m.end() - 1] in "，," else m.end()
        _, ce = seg.clause(end)
        e = _trim(text, end + (1 if text[end:end + 1] in "，," else 0), ce) if text[end:end + 1] not in "，," else None
        if e is None or not _ok(*e):
            nxt = _next_main_clause(seg, end)
            e = _trim(text, *nxt) if nxt else None
        if _ok(*c) and e and _ok(*e):
            cs, _ = seg.clause(m.start())
            cue_end = m.end() - (1 if text[m.end() - 1] in "，," else 0)
            out.append(_Raw(c, e, (m.end("c"), cue_end), cond=_conditional(seg, cs, lex)))
            blocked.append((m.start(), m.end()))
    for m in _clause_matches(_SHI, _ANCHORS["shi"], seg):
        cs, ce = seg.clause(m.start("c"))
        c = _trim(text, *m.span("c"))
        nxt = _next_main_clause(seg, m.end() - 1)
        if nxt and not seg.opens_cond(nxt[0]) and _ok(*c):
            e = _trim(text, *nxt)
            if _ok(*e):
                out.append(_Raw(c, e, (m.end() - 2, m.end() - 1)))
    for m in _matches_at(_WHEN, _when_starts(seg), seg):
        # 当 A 时，B: a temporal condition stated as fact (the market reacts when A happens)
        cs, ce = seg.clause(m.end() - 1 if text[m.end() - 1] in "，," else m.end())
        c = _trim(text, *m.span("c"))
        e = _effect_after(seg, m.end(), ce) if text[m.end() - 1] not in "，," else None
        if e is None:
            nxt = seg.next_clause(ce if text[m.end() - 1] not in "，," else m.end() - 1)
            for _ in range(2):  # "当 A 时，如果 B，C": the effect is C
                if nxt and seg.opens_cond(nxt[0]):
                    nxt = seg.next_clause(nxt[1])
            e = _trim(text, *nxt) if nxt else None
        if _ok(*c) and e and _ok(*e):
            out.append(_Raw(c, e, (m.start("c") - 1, m.start("c"))))
            blocked.append((m.start(), m.end()))
    for m in _finditer(_ZHISUOYI, _ANCHORS["zhisuoyi"], seg):
        e, c = _trim(text, *m.span("e")), _trim(text, *m.span("c"))
        if _ok(*e) and _ok(*c):
            out.append(_Raw(c, e, (m.start(), m.start() + 3)))
            k = text.find("因为", m.end("e"), m.start("c"))
            if k < 0:
                k = text.find("由于", m.end("e"), m.start("c"))
            if k >= 0:
                blocked.append((k, k + 2))  # the 因为 of 之所以…是因为 (cues inside A and B still count)
    # 并非因为 A 而 B (every match opens with one of its anchors); B（因 A）
    yinwei_er = _matches_at(_YINWEI_ER, sorted(i for w in _ANCHORS["yinwei_er"] for i in seg.starts(w)), seg)
    for ms in (yinwei_er, _paren_matches(seg)):
        for m in ms:
            cs, _ = seg.clause(m.start())
            c, e = _trim(text, *m.span("c")), _trim(text, *m.span("e"))
            if _ok(*c) and e[1] > e[0]:
                out.append(_Raw(c, e, (m.start("c") - 2, m.start("c")), cond=_conditional(seg, cs, lex)))
                blocked.append((m.start("c") - 2, m.start("c")))
    # 因 is in most sentences, and the pattern starts with it (re jumps between its occurrences) and never
    # crosses a sentence end: one scan of the whole text finds the same matches as one per sentence
    for m in _YIN_ER.finditer(text):
        cs, _ = seg.clause(m.start())
        c, e = _trim(text, *m.span("c")), _trim(text, *m.span("e"))
        if _ok(*c) and e[1] > e[0]:
            out.append(_Raw(c, e, (m.start(), m.start() + 1), cond=_conditional(seg, cs, lex)))
    return out


def _attribution(text: str, s0: int, s1: int, p: int, mentions: list[Mention], starts: list[int], lex: dict, author: str | None) -> str | None:
    """Who asserts a claim whose cue is at ``p`` in sentence [s0, s1): 据 X / X 表示 before the cue, else ``author``."""
    best = None
    for rx, any_rx in lex["attr_scans"]:
        if any_rx.search(text, s0, p) is None:  # plain words: the same as searching text[s0:p], without the copy
            continue
        # the matches of the _re form in text[s0:p], one character on: "，" stands for its "^"
        for m in rx.finditer("，" + text[s0:p]):
            best = (s0 - 1 + m.start("src"), s0 - 1 + m.end("src"))
    if best is None:
        return author
    a, b = best
    src = text[a:b].strip()
    if re.fullmatch(r"(?:我|我们|笔者|本文|作者|我个人|我本人|我也|我始终|我一直)", src):
        return author
    k = bisect_left(starts, a)
    named = []
    for m in itertools.islice(mentions, k, None):  # sorted by start: stop at the first one past the source
        if m.start >= b:
            break
        if m.end <= b and m.type in ("PERSON", "ORG", "MEDIA", "EXCHANGE"):
            named.append(m)
    core = _ROLE.sub("", src)  # 高盛分析师 -> 高盛: the firm asserts through its analysts
    if len(named) == 1 and (named[0].end - named[0].start) >= len(core) - 1:
        return named[0].entity
    person = [m for m in named if m.type == "PERSON"]
    if person:
        return person[0].entity
    return src


def _inside(items: list, starts: list[int], i: int, b: int) -> list[int]:
    """Indexes of the items (sorted by start, ``starts`` theirs) from ``i`` on that start before and end by ``b``, non-empty.

    ``i`` is the first item starting at or after the span start: the caller has bisected already.
    """
    out = []
    n = len(items)
    while i < n and starts[i] < b:
        x = items[i]
        if x.end <= b and x.end > x.start:
            out.append(i)
        i += 1
    return out


def _entity_ids(ms: list[Mention], starts: list[int], i: int, b: int) -> list[str]:
    """Entity ids of the mentions from ``i`` on lying inside the span (see _inside), first occurrence first, without repeats."""
    ids: list[str] = []
    n = len(ms)
    while i < n and starts[i] < b:  # _inside, inlined
        x = ms[i]
        if x.end <= b and x.end > x.start and x.entity not in ids:
            ids.append(x.entity)
        i += 1
    return ids


def find_claims(text: str, mentions: list[Mention], figures: list[Figure], author: str | None = None) -> list[Claim]:
    """Causal claims in ``text``; spans index ``text``.

    Returns one Claim per (cause, cue, effect) found, in text order, with
    ``hedged``/``negated``/``attributed_to`` set and the ids of the entities
    (``cause_entities``/``effect_entities``) and the indexes into ``figures``
    (``cause_figures``/``effect_figures``) that fall inside the cause and effect spans.
    """
    if not text or not text.strip():
        return []
    lex = _lex()
    seg = _Segments(text, lex)
    found = _find_cues(text, lex, seg.u16, seg.cue_cand)
    seg.cue_starts = [a for a, _, _ in found]
    seg.cue_ends = [b for _, b, _ in found]
    blocked: list[tuple[int, int]] = []
    frames = _from_frames(seg, lex, blocked)
    blocked.sort()
    raws = frames + _from_cues(seg, lex, blocked, found)
    # mentions and figures by start (a stable sort): they mostly come so, and then a sort of the
    # starts alone (ints, in C) shows it, without a key call per item
    ms = list(mentions or [])
    starts = [m.start for m in ms]
    if starts != sorted(starts):
        ms.sort(key=attrgetter("start"))
        starts = [m.start for m in ms]
    figs = list(figures or [])
    fstarts = [f.start for f in figs]
    forder = range(len(figs))  # figure indexes refer to the list passed in
    if fstarts != sorted(fstarts):
        forder = sorted(forder, key=fstarts.__getitem__)
        figs = [figures[i] for i in forder]
        fstarts = [f.start for f in figs]
    n_ms, n_figs = len(ms), len(figs)
    # the cue and negation lists are plain words (no anchors or lookarounds): searching text between
    # pos and endpos is the same as searching the slice, without copying it
    hedge, neg_clause, neg_sent = lex["hedge_re"].search, lex["neg_clause_re"].search, lex["neg_sent_re"].search
    before_cue_any = lex["before_cue_any"].search
    sstart, send, sk, cstart, ck = seg.sstart, seg.send, seg.sk, seg.cstart, seg.ck
    kept: list[tuple[int, int, int, int]] = []  # cause and effect spans of the claims kept so far
    kept_e1_max = -1  # the largest effect end among them (an effect starting there or later overlaps none)
    out: list[Claim] = []
    for r in sorted(raws, key=lambda r: (r.cue[0], r.cause[0])):
        (c0, c1), (e0, e1), (p, q) = r.cause, r.effect, r.cue
        # an effect overlapping no kept effect rules the loop out at once (about 9 in 10 claims)
        if e0 < kept_e1_max:
            seen = False
            for kc0, kc1, ke0, ke1 in kept[-8:]:
                if c0 < kc1 and kc0 < c1 and e0 < ke1 and ke0 < e1:
                    seen = True
                    break
            if seen:
                continue  # the same link read twice (由 … 引发 and 引发; 导火索 … 来自): both spans overlap a kept claim's
        if c0 < e1 and e0 < c1:
            continue  # a claim whose spans overlap each other is a mis-parse
        kept.append((c0, c1, e0, e1))
        if e1 > kept_e1_max:
            kept_e1_max = e1
        k = sk[p]  # seg.sentence(p), inlined
        s0, s1 = sstart[k], send[k]
        # (conditional expressions: a min/max call costs several times more)
        hi = c1 if c1 > e1 else e1
        if q > hi:
            hi = q
        sa = c0 if c0 < e0 else e0  # the sentence of p starts at s0 <= p
        if s0 < sa:
            sa = s0
        sb = s1 if s1 >= hi else hi
        negated, attributed_to = r.neg, author
        if before_cue_any(text, s0, p) is not None:  # (the clause part [max(cs, lo), p) lies inside [s0, p))
            cs = cstart[ck[p]]  # seg.clause(p), inlined: only needed here
            lo = min(c0, e0, p)
            negated = r.neg or neg_clause(text, max(cs, lo), p) is not None or neg_sent(text, s0, p) is not None
            attributed_to = _attribution(text, s0, s1, p, ms, starts, lex, author)
        # the first mention / figure starting in the cause and in the effect (most spans hold none: no call then)
        mc, me, fc, fe = bisect_left(starts, c0), bisect_left(starts, e0), bisect_left(fstarts, c0), bisect_left(fstarts, e0)
        # positional (the field order of Claim): keyword arguments cost a dataclass __init__ twice as much
        out.append(
            Claim(
                Span(text[c0:c1], c0, c1),  # cause
                Span(text[e0:e1], e0, e1),  # effect
                Span(text[p:q], p, q),  # cue
                r.cond or hedge(text, s0, hi) is not None,  # hedged
                negated,
                attributed_to,
                Span(text[sa:sb], sa, sb),  # sentence
                _entity_ids(ms, starts, mc, c1) if mc < n_ms and starts[mc] < c1 else [],  # cause_entities
                _entity_ids(ms, starts, me, e1) if me < n_ms and starts[me] < e1 else [],  # effect_entities
                [forder[i] for i in _inside(figs, fstarts, fc, c1)] if fc < n_figs and fstarts[fc] < c1 else [],  # cause_figures
                [forder[i] for i in _inside(figs, fstarts, fe, e1)] if fe < n_figs and fstarts[fe] < e1 else [],  # effect_figures
            )
        )
    return out
