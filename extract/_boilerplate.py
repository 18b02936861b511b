"""Line-level boilerplate detection for flattened page text.

Two kinds of evidence decide that a raw line is not article body:

* phrase patterns from ``corpora/clean/patterns.tsv`` (login prompts, counters, disclaimers,
  notices, social links, paywalls, ...), byline patterns from ``corpora/clean/bylines.tsv`` and the
  interface words of ``corpora/clean/ui_words.txt``;
* structural signals that need no phrase list: symbol-only lines and runs of digit-only lines
  (countdown and counter widgets), link-only lines, emoji-led calls to action and emoji counters,
  doubled link text (banner alt text + label), navigation bars (not data tables), blocks repeated in
  the page and lines repeated three times, the repeated title and labels around it, forum post
  headers, poster sidebars and other users' replies, teaser lists, comment sections, short lines
  above the title or after the article's last paragraph, and the page footer.

Content is sacred: phrase rules only fire on lines up to their ``max_len``; zones stop at the first
line that reads like prose; figures, list items, captions and bullets count as content.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, filterfalse, repeat

import corpora

from ._script import CharMap, _t2s_table
from ._trie import key_scanner

__all__ = ["Drop", "Analysis", "analyze", "fold"]


@dataclass(frozen=True)
class _Rule:
    kind: str
    action: str
    max_len: int
    regex: re.Pattern
    reason: str
    needles: tuple[str, ...] | None = None  # a match always contains one of these (cheap prefilter), or None


@dataclass
class Drop:
    """Why (part of) a line is not body. ``spans`` is None for whole lines, else the dropped (start, end) pieces."""

    kind: str
    reason: str
    spans: list[tuple[int, int]] | None = None


@dataclass
class Analysis:
    """Decisions for the lines of one page."""

    drops: dict[int, Drop] = field(default_factory=dict)
    byline: dict[str, str] = field(default_factory=dict)  # values as written (converted later)
    published: str | None = None
    title_line: int | None = None
    folded: list[str] = field(default_factory=list, repr=False)  # fold() of each line, for a re-analysis
    keys: list[str] = field(default_factory=list, repr=False)  # the folded lines, stripped (what the rules read)
    # what some context rules saw, for reanalysis_drops_nothing(): the digit-only lines, and the
    # (first, last) long line of _bylines and prose/content line of _head_and_tail (None: there was none)
    digit_lines: list[int] = field(default_factory=list, repr=False)
    byline_ends: tuple[int, int] | None = field(default=None, repr=False)
    body_ends: tuple[int, int] | None = field(default=None, repr=False)


# --- data --------------------------------------------------------------------------------
def _read_tsv(*parts: str) -> list[list[str]]:
    rows = []
    with open(corpora.path(*parts), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    out = []
    for kind, action, max_len, pattern, reason in _read_tsv("clean", "patterns.tsv"):
        # lines are lowercased: no re.I (which would also slow the search down)
        out.append(_Rule(kind, action, int(max_len), re.compile(pattern), reason, _needles(pattern)))
    return tuple(out)


try:  # the regex parser: re._parser from 3.11, sre_parse before
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]
_C = _sre_parse  # opcodes are re-exported by the parser module


def _needles(pattern: str) -> tuple[str, ...] | None:
    """Literal strings one of which every match of ``pattern`` must contain (None when unknown).

    Used as a prefilter: a line without any of them cannot match, so the regex is not run on it.
    """
    try:
        tree = _sre_parse.parse(pattern)
    except Exception:  # pragma: no cover - compiled fine above, so this does not happen
        return None
    cover = _cover_seq(list(tree.data))
    if not cover or len(cover) > 24:
        return None
    return tuple(sorted(cover))


def _cover_seq(items) -> set[str] | None:
    best: set[str] | None = None

    def score(c: set[str]) -> float:
        return min(len(x) for x in c) - 0.01 * len(c)

    def consider(c):
        nonlocal best
        if c and all(c) and (best is None or score(c) > score(best)):
            best = c

    run: list[str] = []
    for op, av in items:
        if op is _C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider({"".join(run)})
            run = []
        consider(_cover_item(op, av))
    if run:
        consider({"".join(run)})
    return best


def _cover_item(op, av) -> set[str] | None:
    if op is _C.SUBPATTERN:
        return _cover_seq(list(av[-1].data))
    if op is _C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            c = _cover_seq(list(alt.data))
            if not c:
                return None
            out |= c
        return out
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT) or op is getattr(_C, "POSSESSIVE_REPEAT", None):
        return _cover_seq(list(av[2].data)) if av[0] >= 1 else None
    if op is _C.IN:
        chars = set()
        for o, a in av:
            if o is not _C.LITERAL:
                return None
            chars.add(chr(a))
        return chars if len(chars) <= 8 else None
    return None


class _Bucket:
    """The rules that admit lines of one length range, with a scanner for their needles.

    ``scan.findall(line)`` lists, at every position where one starts, the longest needle there
    (``_trie.key_scanner``: the regex engine does the scanning in C). Every needle starting at the
    same position is a prefix of the longest one, so ``masks`` maps a needle to the rules of it and
    of its prefixes (bit ``p`` = ``rules[p]``). Rules without needles are always tried.
    """

    def __init__(self, rules: tuple[_Rule, ...]):
        self.rules = rules
        self.always = 0  # bits of the rules without needles
        by_needle: dict[str, int] = {}
        for pos, r in enumerate(rules):
            if r.needles is None:
                self.always |= 1 << pos
            else:
                for n in r.needles:
                    by_needle[n] = by_needle.get(n, 0) | (1 << pos)
        self.masks: dict[str, int] = {}
        for n in by_needle:
            m = 0
            for j in range(1, len(n) + 1):
                m |= by_needle.get(n[:j], 0)
            self.masks[n] = m
        if by_needle:
            # the longest needle at each position where one starts (see key_scanner)
            self.scan: re.Pattern | None = key_scanner(by_needle)
        else:
            self.scan = None

    def candidates(self, k: str) -> list[_Rule]:
        """The rules (in file order) that may match the lowercased line ``k``: those holding a needle in it."""
        m = self.always
        if self.scan is not None:
            masks = self.masks
            for n in self.scan.findall(k):
                m |= masks[n]
        rules = self.rules
        out = []
        while m:
            low = m & -m
            out.append(rules[low.bit_length() - 1])
            m ^= low
        return out


@lru_cache(maxsize=1)
def _len_buckets() -> tuple[_Bucket, ...]:
    """``_len_buckets()[min(n, len - 1)]``: the bucket of the rules that admit a line of ``n`` characters."""
    rules = _rules()
    limits = sorted({r.max_len for r in rules if r.max_len})
    buckets = [_Bucket(tuple(r for r in rules if not r.max_len or r.max_len >= lim)) for lim in limits]
    buckets.append(_Bucket(tuple(r for r in rules if not r.max_len)))
    top = limits[-1] if limits else 0
    return tuple(buckets[bisect_left(limits, n)] for n in range(top + 2))


def _bucket_for_len(n: int) -> _Bucket:
    """The rules that apply to a line of ``n`` characters."""
    by_len = _len_buckets()
    return by_len[n if n < len(by_len) else -1]


@lru_cache(maxsize=1)
def _ui_words() -> frozenset[str]:
    words = set()
    with open(corpora.path("clean", "ui_words.txt"), encoding="utf-8") as f:
        for line in f:
            w = line.split("#", 1)[0].strip()
            if w:
                words.add(w)
    return frozenset(words)


@lru_cache(maxsize=1)
def _share_words() -> tuple[frozenset[str], frozenset[str]]:
    """(platform names, label words) of share/follow bars (corpora/clean/share_platforms.txt)."""
    platforms, labels = set(), set()
    with open(corpora.path("clean", "share_platforms.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line.startswith("label\t"):
                labels.update(line.split("\t", 1)[1].split())
            elif line:
                platforms.add(line)
    return frozenset(platforms), frozenset(labels)


_SHARE_SPLIT = re.compile(r"[\s|/·•,，、:;；]+")
_SHARE_FIRST = re.compile(r"[\s|/·•,，、:;；]*([^\s|/·•,，、:;；]+)")  # the first token of _SHARE_SPLIT


@lru_cache(maxsize=1)
def _share_vocab() -> frozenset[str]:
    platforms, labels = _share_words()
    return platforms | labels


@lru_cache(maxsize=1)
def _token_heads() -> frozenset[str]:
    """The characters a share word or an interface word starts with, and the separators of _SHARE_SPLIT and
    _UI_SPLIT that are not whitespace (the first token of a line starting with none of them and with no
    whitespace starts with its first character)."""
    return frozenset(w[0] for w in _share_vocab() | _ui_words()) | frozenset("|/·•,，、:;；›»>[]【】")


def _is_share_bar(k: str) -> bool:
    """A share/follow bar: platform names only (two or more, or one after a label such as 分享：)."""
    first = _SHARE_FIRST.match(k)
    if first is None or first.group(1) not in _share_vocab():  # most lines fail on their first token
        return False
    toks = [t for t in _SHARE_SPLIT.split(k) if t]
    if not _share_vocab().issuperset(toks):
        return False
    platforms, labels = _share_words()
    n = sum(t in platforms for t in toks)
    return bool(toks) and n >= 1 and all(t in platforms or t in labels for t in toks) and (n >= 2 or n < len(toks))


@lru_cache(maxsize=1)
def _byline_rules() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((fld, re.compile(pat, re.I)) for fld, pat in _read_tsv("clean", "bylines.tsv"))


@lru_cache(maxsize=1)
def _fold_map() -> CharMap:
    table = dict(_t2s_table())
    for c in range(0xFF01, 0xFF5F):  # full-width ASCII forms
        table[c] = chr(c - 0xFEE0)
    table[0x3000] = " "
    table[0x00A0] = " "
    for c in range(0x41, 0x5B):  # ASCII A-Z: patterns are written in lowercase
        table[c] = chr(c + 32)
    for c in range(0xFF21, 0xFF3B):  # full-width Ａ-Ｚ
        table[c] = chr(c - 0xFEE0 + 32)
    return CharMap(table)


def fold(line: str) -> str:
    """The matching form of a line: Simplified characters, ASCII digits, lowercase letters and punctuation; same length."""
    return _fold_map()(line)


def fold_lines(lines: list[str]) -> list[str]:
    """``fold`` of every line, in one pass over the whole text."""
    return fold("\n".join(lines)).split("\n")


# --- line shapes ---------------------------------------------------------------------------
_WS = " \t\r\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff"
_WORD = re.compile(r"[^\W_]")
_DIGIT_ONLY = re.compile(r"^[\d\s:.\-/]+$")
_DIGIT_HEAD = re.compile(r"[\d\s:.\-/]")  # the first character of a _DIGIT_ONLY line
_HAS_DIGIT = re.compile(r"\d")
_SENT_END = re.compile(r"[。！？!?；;]\s*$")  # the plain form of _ends_sentence, kept for the tests
_CLAUSE_END = re.compile(r"[。；;，,：:]\s*$")
_SENT_END_CHARS = "。！？!?；;"
_SENT_PUNCT = re.compile(r"[。，,；;！？!?、]")
# every _URL match holds "://", "www." or a dot before one of its top-level domains; these prechecks
# are literal (or start with one) where _URL, with no literal prefix, costs a regex step per position
_URL_TLD = re.compile(r"\.(?:com|org|net|io|me|gg|cn|hk|tw)", re.I)
_URL = re.compile(r"(?:https?://|www\.)[^\s\u3000，。）)\]】]+|[a-z0-9][a-z0-9.-]*\.(?:com|org|net|io|me|gg|cn|hk|tw)\b(?:/[^\s]*)?", re.I)  # ASCII-only domains: cheap on CJK text
_SOCIAL = re.compile(r"telegram|twitter|推特|\bx\b|微博|微信|公众号|discord|facebook|youtube|linkedin|instagram|medium|tiktok|抖音|小红书|社群|电报", re.I)
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\U0001F000-\U0001F2FF]")
# call-to-action words (not 关注/查看 alone: "✅ 关注美联储决议" is a body bullet)
_CTA = re.compile(r"点击|点我|扫码|下载|注册|领取|订阅|报名|预约|福利|优惠|立即|马上|戳|加入我们|加入.{0,8}(社群|社区|群|频道)|关注我们|关注公众号|声明|条款", re.I)
_DOUBLED = re.compile(r"^(?:(.{2,15}?)\1)+$")
_NAV_SPLIT = re.compile(r"\s*[|｜•·]\s*")
_UI_SPLIT = re.compile(r"[\s|/·•›»>\[\]【】]+")
_UI_FIRST = re.compile(r"[\s|/·•›»>\[\]【】]*([^\s|/·•›»>\[\]【】]+)")  # the first token of _UI_SPLIT
_CJK_TOKEN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_META_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b", re.I)
_META_WORD = re.compile(r"发布于|发布时间|发表于|更新于|更新时间|修改于|来源\s*[:：]|作者\s*[:：]|原创|分钟阅读|阅读时间|\d+\s*分钟|min read|\d{1,2}:\d{2}", re.I)
_META_FIELD = re.compile(r"\s*(来源|作者|编辑|责任编辑|编译|记者)\s*[:：]\s*([^\s|·,，;；()（）]{1,20})")
_META_FIELD_HEAD = re.compile(r"[\s来作编责记]")  # the first character of a _META_FIELD match
_BYLINE_HINT = re.compile(r"[:：丨|/｜]|记者|通讯员|报道|报导|\d")
_META_FIELDS = {"来源": "source", "作者": "author", "记者": "author", "编辑": "editor", "责任编辑": "editor", "编译": "compiler"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_EMOJI_CLASS = "\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\U0001F000-\U0001F2FF\uFE0F\u20E3"
_EMOJI_COUNTER = re.compile(rf"^(?:\s*[{_EMOJI_CLASS}]+\s*[\d.,]+\s*[kmw万]?)+(?:\s+\d{{1,2}}:\d{{2}})?\s*$")
_DATE_ONLY = re.compile(r"^\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*(星期[一二三四五六日天]|周[一二三四五六日天]|礼拜[一二三四五六日天]|mon|tue|wed|thu|fri|sat|sun)?[a-z]*\.?\s*(\d{1,2}:\d{2}(:\d{2})?)?\s*$")
# a market figure: a number with a unit, a percent sign, a sign, or a price with two decimals
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:%|亿|万|千|百万|美元|元|港元|日元|欧元|英镑|点|基点|bp|倍|吨|桶|盎司|手|股|枚|个百分点)|[+-]\d|\d\.\d\d")
_LIST_ITEM = re.compile(r"^\s*(?:[-•·*●○■□◆◇▪▶►]|\d{1,2}\s*[.、)）](?!\d)|[(（]\d{1,2}[)）]|[一二三四五六七八九十]{1,2}\s*[、.]|[①-⑳])")
_CAPTION = re.compile(r"^\s*(图|表|注|来源|数据来源|资料来源|图片来源|图注|图表|附图|附表|source|chart|▲|△|※|\*)", re.I)
_POST_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _may_hold_url(k: str) -> bool:
    """False only when ``_URL.search(k)`` finds nothing, for a folded (lower-case) line ``k`` as analyze reads
    (a precheck without a regex step per position; "WWW." is not looked for)."""
    return "://" in k or "www." in k or _URL_TLD.search(k) is not None


def _ends_sentence(k: str) -> bool:
    """``_SENT_END.search(k)``: a sentence mark, then only whitespace (``\\s`` is ``str.isspace``)."""
    k = k.rstrip()
    return bool(k) and k[-1] in _SENT_END_CHARS


def _is_prose(s: str) -> bool:
    """A line that reads like running text (content, never a zone member)."""
    return (len(s) >= 40 and bool(_SENT_PUNCT.search(s))) or "。" in s


def _title_like(s: str) -> bool:
    return 4 <= len(s) <= 80 and not _CLAUSE_END.search(s) and "。" not in s


def _in_table(keys: list[str], nb: list[int], i: int, nseg: int) -> bool:
    """True when a neighbouring line has as many |-separated cells and holds numbers (a data table)."""
    p = bisect_left(nb, i)  # nb is sorted
    for q in (p - 1, p + 1):
        if 0 <= q < len(nb):
            k = keys[nb[q]]
            if len([s for s in _NAV_SPLIT.split(k) if s]) == nseg and _HAS_DIGIT.search(k):
                return True
    return False


_MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_EN_DATE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b", re.I)


def iso_date(s: str) -> str | None:
    """First date in ``s`` (``2026-2-2``, ``2026年2月2日``, ``2026/02/02``, ``Apr 30, 2024``) as ISO ``YYYY-MM-DD``, or None."""
    m = _POST_DATE.search(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _EN_DATE.search(s)
        if not m:
            return None
        mo, d, y = _MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


_SHORT_YEAR = re.compile(r"(?<!\d)(\d{2})-(\d{1,2})-(\d{1,2})\s+\d{1,2}:\d{2}")


def _short_year_date(s: str) -> str | None:
    """``25-11-20 22:15`` in a post header (two-digit year, with a time) as ``2025-11-20``."""
    m = _SHORT_YEAR.search(s)
    if not m:
        return None
    return iso_date(f"20{m.group(1)}-{m.group(2)}-{m.group(3)}")


# --- analysis ------------------------------------------------------------------------------
def analyze(lines: list[str], line_rules: Container[int] | None = None, folded: list[str] | None = None) -> Analysis:
    """Decide, for each raw line, whether it is body; returns the drops with kinds and reasons.

    ``line_rules`` limits the single-line rules (phrase patterns and line shapes) to those line
    indexes; context rules always see every line. A re-analysis of already kept lines passes the
    few lines whose text changed, since the others gave the same single-line verdicts before.
    ``folded`` is ``fold_lines(lines)`` when the caller has it already.
    """
    res = Analysis()
    drops = res.drops
    folded = fold_lines(lines) if folded is None else folded
    res.folded = folded
    keys = res.keys = list(map(str.strip, folded, repeat(_WS)))
    nb = list(compress(range(len(keys)), keys))  # the non-blank lines
    nb_single = nb if line_rules is None else list(filter(line_rules.__contains__, nb))  # (in C)

    def drop(i: int, kind: str, reason: str, spans=None) -> None:
        if i not in drops:
            drops[i] = Drop(kind, reason, spans)

    footers: list[int] = []
    teasers: list[int] = []
    posts: list[int] = []
    comments: list[int] = []
    by_pattern: set[int] = set()

    # 1. phrase patterns (only those whose max_len admits the line and whose needles it holds)
    by_len = _len_buckets()
    top = len(by_len) - 1
    for i in nb_single:
        k = keys[i]
        n = len(k)
        for r in by_len[n if n < top else top].candidates(k):
            if not r.regex.search(k):
                continue
            if r.action == "span":
                full = folded[i]
                spans = [(m.start(), m.end()) for m in r.regex.finditer(full)]
                rest = list(full)
                for a, b in spans:
                    rest[a:b] = [" "] * (b - a)
                if _WORD.search("".join(rest)):
                    drop(i, r.kind, f"{r.reason} (pattern, partial line)", spans)
                else:
                    drop(i, r.kind, f"{r.reason} (pattern)")
            else:
                drop(i, r.kind, f"{r.reason} (pattern)")
                if r.action == "footer":
                    footers.append(i)
                elif r.action == "teaser":
                    teasers.append(i)
                elif r.action == "post":
                    posts.append(i)
                elif r.action == "comments":
                    comments.append(i)
            by_pattern.add(i)
            break

    # 2. structural shapes of single lines
    ui = _ui_words()
    share = _share_vocab()  # a share bar's first token is in it (checked before the whole bar)
    heads = _token_heads()
    for i in nb_single:
        if i in drops:
            continue
        k = keys[i]
        n = len(k)
        h = k[0]
        if not (h.isalnum() or _WORD.search(k)):  # (_WORD is str.isalnum: most lines pass on their first char)
            drop(i, "chrome", "symbol-only line")
            continue
        if n <= 160 and ("." in k or "://" in k) and _may_hold_url(k) and _URL.search(k):
            rest = _URL.sub("", k).strip(_WS + ":：-|")
            if len(rest) <= 20 and not _SENT_PUNCT.search(rest):
                if _SOCIAL.search(k):
                    drop(i, "social", "social-media link line")
                else:
                    drop(i, "chrome", "link-only line")
                continue
        if n <= 60 and _EMOJI_COUNTER.match(k):
            drop(i, "counter", "reaction/view counters (emoji and numbers only)")
            continue
        if n <= 40 and _EMOJI.match(k) and _CTA.search(k):
            drop(i, "chrome", "emoji-led call-to-action line")
            continue
        if n <= 40:
            s = k.replace(" ", "")
            if not len(s) % 2 and _DOUBLED.match(s):  # a doubled line is pairs of equal halves: even length
                drop(i, "ad", "doubled link text (banner image alt text + label)")
                continue
        # (a line starting with a character that starts no share word nor interface word and is no
        # separator has a first token outside both lists: the two checks below fail without a regex)
        if n <= 80 and (h in heads or h.isspace()):
            if (m := _SHARE_FIRST.match(k)) and m.group(1) in share and _is_share_bar(k):
                drop(i, "social", "share/follow bar (platform names only)")
                continue
        if n <= 80 and (h in heads or not h.isalnum()):
            # tokens with a word character (emoji and symbols do not count) are all interface words:
            # none outside the list has one, and one in the list has
            first = _UI_FIRST.match(k)  # most lines fail on their first token
            if first is None or (first.group(1) not in ui and _WORD.search(first.group(1))):
                toks = ()
            else:
                toks = set(_UI_SPLIT.split(k))
            if toks and not any(map(_WORD.search, toks - ui)) and any(map(_WORD.search, toks & ui)):
                drop(i, "chrome", "interface words only (buttons, toolbar, menu)")
                continue
        if n <= 120 and not ((r := k.rstrip()) and r[-1] in _SENT_END_CHARS):  # (_ends_sentence inlined)
            # three items need two separators (without one, the line is a single item)
            segs = [s for s in _NAV_SPLIT.split(k) if s] if ("|" in k or "•" in k or "·" in k or "｜" in k) else ()
            if (len(segs) >= 3 and all(len(s) <= 14 and not _HAS_DIGIT.search(s) for s in segs)
                    and not _in_table(keys, nb, i, len(segs))):
                drop(i, "chrome", "navigation bar (short items separated by |)")
                continue
            toks = k.split()
            if len(toks) >= 4 and all(_CJK_TOKEN.match(t) for t in toks):
                drop(i, "chrome", "navigation menu (short words separated by spaces)")
                continue

    # 3. digit-only runs (countdown and counter widgets)
    res.digit_lines = _digit_runs(keys, nb, drops)

    # 4. repeated blocks and lines
    title = _find_title(keys, nb, drops)
    _repeats(keys, nb, drops, by_pattern, title)

    # 5. forum posts: the first header opens the article; later headers without 楼主 open replies
    if posts:
        res.published = iso_date(keys[posts[0]]) or _short_year_date(keys[posts[0]])
        post_set = set(posts)
        pos = {i: p for p, i in enumerate(nb)}
        chrome_text = "\n".join(keys[d] for d in drops if drops[d].kind == "chrome")
        for h in posts:
            # the poster's sidebar (name, online status, points) flattened just above the header
            # (a name is taken only right above the header or when it recurs in other chrome lines)
            budget = 6
            q = pos[h] - 1
            while q >= 0 and budget > 0:
                j = nb[q]
                q -= 1
                if j == title or j in post_set:
                    break
                budget -= 1
                if j in drops:
                    continue
                k = keys[j]
                if len(k) > 16 or _SENT_PUNCT.search(k) or ":" in k or len(k.split()) != 1:
                    break
                if _DIGIT_ONLY.match(k) or q == pos[h] - 2 or k in chrome_text:
                    drop(j, "chrome", "poster sidebar (name, status, points) above a post header")
                else:
                    break
        for h in posts[1:]:
            if "楼主" in keys[h]:
                continue
            started = False
            for q in range(pos[h] + 1, len(nb)):  # up to the next post header: linear over the page
                j = nb[q]
                if j in post_set:
                    break
                if j in drops:
                    if started:
                        break
                    continue
                drop(j, "forum_reply", "reply by another forum user (post header without 楼主)")
                started = True

    # 6. title, its repeat and the labels around it
    title = _find_title(keys, nb, drops)
    if title is not None:
        title = _title_and_labels(keys, nb, drops, title)
    res.title_line = title

    # 7. bylines in the head and tail of the article, then the other short lines there
    _bylines(lines, keys, nb, drops, res)
    res.body_ends = _head_and_tail(keys, nb, drops, title)

    # a date in the page head's chrome (e.g. "发布于 2026年1月15日 · 5 分钟阅读") when nothing better was found
    if res.published is None:
        first_body = next((i for i in nb if i not in drops and len(keys[i]) >= 60), len(lines))
        for i in nb:
            if i >= first_body:
                break
            if i in drops and _META_DATE.search(keys[i]) and (_META_WORD.search(keys[i]) or len(keys[i]) <= 30):
                res.published = iso_date(keys[i])
                if res.published:
                    break

    # 8. teaser lists, comment sections and the page footer
    pos = {i: p for p, i in enumerate(nb)}
    for h in teasers:
        for q in range(pos[h] + 1, len(nb)):
            j = nb[q]
            if j in drops:
                continue
            if _is_prose(keys[j]) or len(keys[j]) > 60:
                break
            drop(j, "ad", "teaser headline under a related-reading heading")
    if comments:
        for q in range(pos[comments[0]] + 1, len(nb)):
            if nb[q] not in drops:
                drop(nb[q], "forum_reply", "readers' comment section (after a comments heading)")
    if footers:
        # quiet[p]: no kept line from nb[p] on is long or prose (computed once, from the end)
        quiet = [True] * (len(nb) + 1)
        for p in range(len(nb) - 1, -1, -1):
            j = nb[p]
            quiet[p] = quiet[p + 1] and (j in drops or (len(keys[j]) <= 40 and not _is_prose(keys[j])))
        f = next((f for f in sorted(footers) if quiet[pos[f] + 1]), None)
        if f is not None:
            for q in range(pos[f] + 1, len(nb)):
                if nb[q] not in drops:
                    drop(nb[q], "chrome", "page footer (after a footer marker, no prose follows)")
    return res


def _digit_runs(keys: list[str], nb: list[int], drops: dict[int, Drop]) -> list[int]:
    """Drops the digit-only lines of runs of three or more; returns the digit-only lines."""
    run: list[int] = []
    digit_only: list[int] = []

    def flush() -> None:
        digits = [j for j in run if j not in drops]
        if len(run) >= 3 and len(digits) >= 2:
            for j in digits:
                drops[j] = Drop("chrome", f"digit-only line in a run of {len(run)} (counter or countdown widget)")
        run.clear()

    # a run is a stretch of consecutive non-blank lines that are digit-only or dropped as symbol-only,
    # so only those lines are visited; a digit-only line starts with a character of the class, found for
    # all lines by one regex pass over their first characters (instead of a match call per line)
    member: dict[int, bool] = {}  # position in nb -> digit-only (else a symbol-only drop)
    heads = "".join([keys[i][0] for i in nb])
    for m in _DIGIT_HEAD.finditer(heads):
        p = m.start()
        if _DIGIT_ONLY.match(keys[nb[p]]):
            member[p] = True
    for i, d in drops.items():
        if d.reason == "symbol-only line":
            p = bisect_left(nb, i)  # (nb is sorted)
            if p < len(nb) and nb[p] == i:
                member.setdefault(p, False)
    last = -2
    for p in sorted(member):
        if p != last + 1 and run:  # a line between ends the run
            flush()
        last = p
        if member[p]:
            digit_only.append(nb[p])
        run.append(nb[p])
    flush()
    return digit_only


def _find_title(keys: list[str], nb: list[int], drops: dict[int, Drop]) -> int | None:
    """The title: the first headline-like Chinese line of 12+ (else 8+) characters before the first
    paragraph, else the first kept line when it is headline-like."""
    kept = list(filterfalse(drops.__contains__, nb))  # (in C)
    if not kept:
        return None
    head = []
    for i in kept:
        if _is_prose(keys[i]):
            break
        if _title_like(keys[i]) and _CJK.search(keys[i]):
            head.append(i)
    for min_len in (12, 8):  # headlines are rarely shorter than 12 characters; slogans and labels are
        for i in head:
            if len(keys[i]) >= min_len:
                return i
    return kept[0] if _title_like(keys[kept[0]]) else None


def _contentish(k: str) -> bool:
    """Short lines that still read as article content: figures, list items, captions, bullets."""
    return bool(_FIGURE.search(k) or _LIST_ITEM.match(k) or _CAPTION.match(k) or _EMOJI.match(k))


def _head_and_tail(keys: list[str], nb: list[int], drops: dict[int, Drop], title: int | None) -> tuple[int, int] | None:
    """Short lines outside the article: above the title, Latin interface lines between the title and
    the first paragraph, and short lines after the last paragraph (captions and sentences excepted).
    Returns the (first paragraph, last content line) it cut at, None without a paragraph."""
    kept = list(filterfalse(drops.__contains__, nb))  # (in C)
    # _is_prose inlined (a call per line costs more than the test)
    prose = [i for i in kept if "。" in keys[i] or (len(keys[i]) >= 40 and _SENT_PUNCT.search(keys[i]))]
    if not prose:
        return None
    first = prose[0]
    # the article ends at its last paragraph, figure line, list item, caption or bullet (kept is
    # ascending: the first such line from the end)
    prose_set = set(prose)
    last = next(i for i in reversed(kept) if i in prose_set or _contentish(keys[i]))
    for i in kept:
        if i >= first:
            break
        k = keys[i]
        cjk = _CJK.search(k)
        if title is not None and i < title and len(k) <= (10 if cjk else 40):
            drops[i] = Drop("chrome", "short line above the title (page header)")
        elif title is None and len(k) <= (3 if cjk else 20):
            drops[i] = Drop("chrome", "very short line above the first paragraph (menu item)")
        elif (title is None or i > title) and not cjk and len(k) <= 30 and not _HAS_DIGIT.search(k):
            drops[i] = Drop("chrome", "interface line (no Chinese) above the article body")
    for i in kept[bisect_right(kept, last):]:  # the kept lines after ``last`` (kept is ascending)
        k = keys[i]
        if _CAPTION.match(k) or _ends_sentence(k) or _LIST_ITEM.match(k) or _EMOJI.match(k):
            continue
        if len(k) <= (20 if _CJK.search(k) else 40):
            drops[i] = Drop("chrome", "short line after the article's last paragraph (page footer)")
    return first, last


def _repeats(keys, nb, drops, by_pattern, title) -> None:
    seq = [keys[i] for i in nb]
    count = Counter(seq)
    if len(count) == len(seq):  # no line occurs twice: no pair of lines can repeat, no line occurs 3 times
        return
    # blocks: consecutive pairs of non-blank lines that occur more than once
    pairs = Counter(zip(seq, seq[1:]))
    marked = set()
    for p in range(len(seq) - 1):
        a, b = seq[p], seq[p + 1]
        if pairs[(a, b)] >= 2 and len(a) + len(b) >= 8:
            marked.add(p)
            marked.add(p + 1)
    if marked:
        total = sum(len(s) for s in seq) or 1
        share = sum(len(seq[p]) for p in marked) / total
        first_seen: set[tuple] = set()
        for p in sorted(marked):
            i = nb[p]
            if share > 0.5:
                # the page holds its text twice: keep the first copy, drop later ones
                key = seq[p]
                if key not in first_seen:
                    first_seen.add(key)
                    continue
                drops.setdefault(i, Drop("duplicate_title" if i == title else "chrome", "repeat of an earlier block of the page"))
                continue
            if i in drops:
                continue
            kinds = Counter(drops[nb[q]].kind for q in _run_of(marked, p) if nb[q] in by_pattern)
            kind = kinds.most_common(1)[0][0] if kinds else "chrome"
            drops[i] = Drop(kind, "block repeated in the page")
    # single lines repeated three or more times (slogans between posts, separators)
    if max(count.values()) < 3:
        return
    for p, s in enumerate(seq):
        i = nb[p]
        if i in drops or i == title:
            continue
        if count[s] >= 3 and len(s) <= 40 and not _HAS_DIGIT.search(s) and len(_WORD.findall(s)) >= 4 and not _CAPTION.match(s):
            drops[i] = Drop("chrome", f"line repeated {count[s]} times in the page")


def _run_of(marked: set[int], p: int) -> list[int]:
    lo = p
    while lo - 1 in marked:
        lo -= 1
    hi = p
    while hi + 1 in marked:
        hi += 1
    return list(range(lo, hi + 1))


_TITLE_SUFFIX = re.compile(r"\s*[-|_–—:]\s*\S.{0,24}$")  # after a repeated title: " - site name"


def _label_above(keys: list[str], kept: list[int], pos: int) -> bool:
    """The title candidate ``kept[pos]`` is a short tag/category label above the real title ("比特币 ETF" over a headline)."""
    t = keys[kept[pos]]
    if len(t.replace(" ", "")) <= 8 and not _SENT_PUNCT.search(t) and pos + 1 < len(kept):
        nxt = keys[kept[pos + 1]]
        return _title_like(nxt) and len(nxt) >= 10
    return False


def _title_and_labels(keys, nb, drops, title: int) -> int:
    kept = list(filterfalse(drops.__contains__, nb))  # (in C)
    pos = kept.index(title)
    t = keys[title]
    if _label_above(keys, kept, pos):
        nxt = kept[pos + 1]
        drops[title] = Drop("chrome", "short category label above the title")
        title, pos, t = nxt, pos + 1, keys[nxt]
    # later copies of the title ("<title> - <site>" too); short labels between the title and its first repeat
    first_repeat = None
    for j in kept[pos + 1:]:
        if keys[j].startswith(t) and (len(keys[j]) == len(t) or _TITLE_SUFFIX.match(keys[j], len(t))):
            drops[j] = Drop("duplicate_title", "repeat of the title")
            if first_repeat is None:
                first_repeat = j
    if first_repeat is not None:
        between = [j for j in kept[pos + 1:] if j < first_repeat]
        if len(between) <= 4 and all(len(keys[j]) <= 30 and not _is_prose(keys[j]) and not _ends_sentence(keys[j]) for j in between):
            for j in between:
                drops[j] = Drop("chrome", "label between the title and its repeat (site header)")
    return title


def _bylines(lines, keys, nb, drops, res: Analysis) -> None:
    kept = list(filterfalse(drops.__contains__, nb))  # (in C)
    # head and tail: before the first / after the last paragraph-length line
    first = next((i for i in kept if len(keys[i]) >= 60), None)
    if first is not None:
        last = next(i for i in reversed(kept) if len(keys[i]) >= 60)
        zone_set = {i for i in kept if i < first or i > last}
        res.byline_ends = (first, last)
    else:
        zone_set = set(kept)
    rules = _byline_rules()
    if first is not None:
        # outside the zone only a line starting like _META_FIELD can hold a field: the zone lines and
        # those, in line order (one regex pass over the lines' first characters, not a match per line)
        heads = "".join([keys[i][0] for i in kept])
        kept = sorted(zone_set.union([kept[m.start()] for m in _META_FIELD_HEAD.finditer(heads)]))
    for i in kept:
        k = keys[i]
        if i in zone_set:
            if not _BYLINE_HINT.search(k):  # every byline form has a separator, 记者 or a date
                continue
        elif not _META_FIELD.match(k):  # outside the zone only labelled fields (their ":" is a hint too)
            continue
        fields = list(_META_FIELD.finditer(k)) if len(k) <= 120 else []
        if len(fields) >= 2 and "。" not in k:
            # "来源:雪球App,作者:长期主义的猫,(URL)": several labelled fields on one line
            for m in fields:
                fld = _META_FIELDS.get(m.group(1), "author")
                res.byline.setdefault(fld, lines[i].strip(_WS)[m.start(2):m.end(2)].strip(",，;；"))
            res.published = res.published or iso_date(k)
            drops[i] = Drop("byline", "byline fields (source, author ...), kept as metadata")
            continue
        if i not in zone_set:
            continue
        if len(k) <= 80 and "。" not in k and _HAS_DIGIT.search(k) and _META_DATE.search(k) and (_META_WORD.search(k) or _DATE_ONLY.match(k)):
            res.published = res.published or iso_date(k)
            for m in _META_FIELD.finditer(k):
                fld = _META_FIELDS.get(m.group(1), "author")
                v = lines[i].strip(_WS)[m.start(2):m.end(2)]
                res.byline.setdefault(fld, v)
            drops[i] = Drop("chrome", "date/meta line (date and byline kept as metadata)")
            continue
        if len(k) > 50:
            continue
        for fld, rx in rules:
            m = rx.match(k)
            if not m:
                continue
            # fold() is 1:1 and strips the same characters, so the match offsets index the raw line too
            v = lines[i].strip(_WS)[m.start("v"):m.end("v")]
            if fld == "published":
                res.published = res.published or iso_date(k)
                drops[i] = Drop("chrome", "publication date line")
            else:
                res.byline.setdefault(fld, v.strip())
                drops[i] = Drop("byline", f"byline ({fld}), kept as metadata")
            break


def reanalysis_drops_nothing(an: Analysis) -> bool:
    """True when ``analyze`` of the kept lines alone (``clean``'s re-analysis) provably drops nothing more.

    ``an`` is ``analyze`` of a whole page. Only whole-line drops are handled (a cut line is new text
    for the single-line rules). The re-analysis reads the kept lines K, starts without drops and runs
    no single-line rule, so it meets no footer, teaser, comment or post marker either. Step by step,
    each step dropping nothing when the ones before did not:

    * digit runs: only three digit-only lines next to each other in K;
    * repeated lines and blocks: run here on K (cheap);
    * title: when K's title is this pass's, its repeats in K were dropped by this pass (it read a
      superset of K), so only a label above it is new; another title is run here;
    * bylines: a line's verdict depends on its text and whether it lies in the head/tail zone, and
      the zone verdict is the looser one; while this pass's first and last long lines are kept, the
      zone on K is this pass's zone cut to K (else run here);
    * head and tail: verdicts depend on the text, the title, the first paragraph and the last
      content line, the same while the title is and those lines are kept (else run here).
    """
    drops = an.drops
    if any(d.spans is not None for d in drops.values()):
        return False
    keys = an.keys
    kept = list(filterfalse(drops.__contains__, compress(range(len(keys)), keys)))
    digits = set(an.digit_lines).intersection(kept)
    if len(digits) >= 3:
        run = 0
        for i in kept:
            run = run + 1 if i in digits else 0
            if run == 3:
                return False
    scratch: dict[int, Drop] = {}  # drops of the steps run here on K
    title = _find_title(keys, kept, scratch)
    _repeats(keys, kept, scratch, set(), title)
    if scratch:
        return False
    same_title = title == an.title_line
    if title is not None:
        if same_title:
            if _label_above(keys, kept, kept.index(title)):
                return False
        else:
            _title_and_labels(keys, kept, scratch, title)
            if scratch:
                return False
    ends = an.byline_ends
    if ends is not None and (ends[0] in drops or ends[1] in drops):
        _bylines(keys, keys, kept, scratch, Analysis())  # (the fields it would keep are not wanted)
        if scratch:
            return False
    ends = an.body_ends
    if not same_title or (ends is not None and (ends[0] in drops or ends[1] in drops)):
        _head_and_tail(keys, kept, scratch, title)
    return not scratch
