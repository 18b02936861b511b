"""Numbers in Chinese and Arabic script -> Decimal (a character-level job, no segmentation).

Two layers:

* :func:`norm` -- a 1:1 character map (same length, so offsets survive) that folds
  full-width digits/punctuation to ASCII and Traditional characters to Simplified
  (OpenCC's single-character table), so every later regex and lexicon is written once.
* :func:`parse_cn` / :func:`find_numbers` -- numeral grammar: Arabic with comma or space
  thousands, decimals, Chinese numerals (financial capitals too), mixed forms
  (``10万4782.88``, ``5.3 亿``, ``一百二十亿``), ``点`` decimals, ``分之`` fractions,
  ``负`` and written minus signs, Latin scale words (k, M, bn, million ...).

All values are :class:`~decimal.Decimal`: ``16.4 亿`` is exactly ``1640000000``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import corpora

__all__ = ["norm", "parse_cn", "parse_arabic", "find_numbers", "Number", "scale_words", "CN_DIGITS", "CN_CHARS"]

# --- character classes -------------------------------------------------------------------
CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG = {"万": 10 ** 4, "亿": 10 ** 8, "兆": 10 ** 12}
CN_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG)

# full-width and look-alike characters folded to ASCII (1:1)
_WIDTH = {0xFF10 + i: chr(0x30 + i) for i in range(10)}
# the full-width comma stays: in Chinese text it separates clauses ($20，300美元 is two amounts)
_WIDTH.update({ord(a): b for a, b in zip("％．＋－＄／：（）～＞＜＝＿", "%.+-$/:()~><=_")})
_WIDTH.update({0xFF21 + i: chr(0x41 + i) for i in range(26)})
_WIDTH.update({0xFF41 + i: chr(0x61 + i) for i in range(26)})
_WIDTH.update({ord("−"): "-", ord("貳"): "贰", ord("倆"): "俩", ord("兩"): "两"})
_CAPITALS = set("壹贰叁肆伍陆柒捌玖拾佰仟")  # financial numerals: alone they are words (大陆, 队伍, 收拾)


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """Traditional -> Simplified single characters (OpenCC TSCharacters, first candidate) + width folding."""
    table: dict[int, str] = {}
    try:
        import opencc  # data files only

        path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
        with open(path, encoding="utf-8") as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("\t")
                v = v.split(" ")[0]
                if len(k) == 1 and len(v) == 1 and k != v:
                    table[ord(k)] = v
    except OSError:  # pragma: no cover - opencc is a declared dependency
        pass
    for k in ("乾", "著", "瞭", "麽", "隻", "髮"):  # ambiguous or harmless: keep as written
        table.pop(ord(k), None)
    table.update(_WIDTH)
    return table


@lru_cache(maxsize=1)
def _bmp_table() -> str:
    """The same map as a 65536-character string: str.translate indexes it faster than a dict.
    Characters outside the BMP (emoji) raise IndexError inside translate and stay as they are."""
    d = _table()
    return "".join(d.get(i, chr(i)) for i in range(0x10000))


@lru_cache(maxsize=1)
def _changed_re() -> re.Pattern:
    """One character class of the BMP characters :func:`norm` changes (all in the BMP, so ``re``
    compiles it to a bitmap: one lookup per character, in C)."""
    return re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(_table()) if k < 0x10000) + "]")


# starts with the literal comma (the digit before it checked by a lookbehind), so ``re`` jumps
# from comma to comma instead of trying the lookbehind at every position
_FW_THOUSANDS = re.compile("，(?<=[０-９]，)(?=[０-９]{3}(?![０-９]))")


@lru_cache(maxsize=8)
def norm(text: str) -> str:
    """``text`` folded 1:1 (same length): full-width -> ASCII, Traditional -> Simplified characters.

    The full-width comma stays (a clause mark) except between full-width digits (４，５６５).
    """
    # str.translate looks every character up through Python objects; when few distinct
    # characters change (Simplified text: some full-width marks), replacing just those is faster
    rx = _changed_re()
    todo = set(rx.findall(text, 0, 1500))  # a sample first: Traditional text has many at once
    if len(todo) <= 48 and len(text) > 1500:
        todo.update(rx.findall(text, 1500))
    if len(todo) > 48:
        out = text.translate(_bmp_table())
    else:
        out = text
        table = _bmp_table()
        for c in todo:
            out = out.replace(c, table[ord(c)])
    if "，" in text:
        for m in _FW_THOUSANDS.finditer(text):
            out = out[:m.start()] + "," + out[m.end():]
    return out


# --- lexicon: Latin scale words ------------------------------------------------------------
@lru_cache(maxsize=1)
def scale_words() -> dict[str, Decimal]:
    """Latin scale words written after a number (``k``, ``M``, ``bn``, ``million`` ...) -> multiplier."""
    out: dict[str, Decimal] = {}
    with open(corpora.path("figures", "scales.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip() or line.startswith("word\t"):
                continue
            word, mult = line.rstrip("\n").split("\t")[:2]
            out[word] = Decimal(mult)
    return out


# --- parsing -----------------------------------------------------------------------------
def parse_arabic(s: str) -> Decimal:
    """``'112,965'``, ``'84 500'``, ``'.5'``, ``'1.2e3'`` -> Decimal. Raises ValueError."""
    if "," in s or " " in s or "\u00a0" in s:
        s = s.replace(",", "").replace(" ", "").replace("\u00a0", "")
    try:
        return Decimal(s)
    except InvalidOperation as e:
        raise ValueError(s) from e


_TOKEN = re.compile(r"\d+(?:\.\d+)?|\.\d+|[%s]|点|[余多几]" % re.escape(CN_CHARS))


def _tokens(s: str) -> list:
    out = []
    for m in _TOKEN.finditer(s.replace(",", "")):
        t = m.group()
        if t[0].isdigit() or t[0] == ".":
            out.append(("n", Decimal(t)))
        elif t in CN_DIGITS:
            out.append(("z" if CN_DIGITS[t] == 0 and t in "零〇" else "n", Decimal(CN_DIGITS[t])))
        elif t in CN_SMALL:
            out.append(("s", Decimal(CN_SMALL[t])))
        elif t in CN_BIG:
            out.append(("b", Decimal(CN_BIG[t])))
        elif t == "点":
            out.append(("p", None))
        else:
            out.append(("a", None))  # 余/多/几: approximate filler, adds nothing
    return out


def _section(toks: list) -> Decimal:
    """Value of tokens without big units: digits, 十/百/千, 零; ``两千四百五`` shorthand."""
    total = Decimal(0)
    num: Decimal | None = None
    last_unit = 0
    zero_after_unit = False
    prev = None
    for kind, val in toks:
        if kind == "n":
            if prev == "n" and num is not None and val < 10 and num == num.to_integral_value():
                num = num * 10 + val  # positional digits: 二零二六
            else:
                num = val
        elif kind == "z":
            zero_after_unit = True
            if prev == "n" and num is not None and num == num.to_integral_value():
                num = num * 10  # positional zero: 二零二六
            else:
                num = None
        elif kind == "s":
            total += (num if num is not None else Decimal(1)) * val
            num, last_unit, zero_after_unit = None, int(val), False
        prev = kind
    if num is not None:
        if last_unit >= 100 and not zero_after_unit and num < 10 and prev == "n" and len(toks) >= 2 and toks[-2][0] == "s":
            total += num * last_unit / 10  # 两千四百五 -> 2450
        else:
            total += num
    return total


def _integer(toks: list) -> Decimal:
    if len(toks) >= 2 and all(k in ("n", "z") and v < 10 and v == v.to_integral_value() for k, v in toks):
        return Decimal("".join(str(int(v)) for _, v in toks))  # positional: 二零二六 -> 2026
    bigs = [v for k, v in toks if k == "b"]
    if not bigs:
        return _section(toks)
    top = max(bigs)
    idx = max(i for i, (k, v) in enumerate(toks) if k == "b" and v == top)
    left, right = toks[:idx], toks[idx + 1:]
    # several big units in a row multiply (万万, 万亿): the left part carries them
    lv = _integer(left) if left else Decimal(1)
    rv = _integer(right) if right else Decimal(0)
    if right and len(right) == 1 and right[0][0] == "n" and right[0][1] < 10 and right[0][1] == right[0][1].to_integral_value():
        rv = right[0][1] * top / 10  # 一万三 -> 13000
    return lv * top + rv


@lru_cache(maxsize=4096)
def parse_cn(s: str, _normed: bool = False) -> Decimal:
    """Value of a Chinese, Arabic or mixed numeral (``一百二十亿``, ``10万4782.88``, ``五点五``, ``负三十二``).

    Returns a Decimal; raises ValueError when ``s`` holds no numeral.
    """
    s = (s if _normed else norm(s)).strip()
    neg = False
    if s[:1] in ("负", "-"):
        neg, s = True, s[1:].strip()
    if "分之" in s:
        den, _, numer = s.partition("分之")
        whole = Decimal(0)
        if "又" in den:
            w, _, den = den.partition("又")
            whole = parse_cn(w, True)
        d = parse_cn(den, True) if den.strip() else Decimal(1)
        n = parse_cn(numer, True)
        if d == 0:
            raise ValueError(s)
        v = whole + n / d
        return -v if neg else v
    s = s.replace(" ", "")
    toks = _tokens(s)
    if not any(k in ("n", "z", "s") for k, _ in toks):
        raise ValueError(s)
    if ("p", None) in toks:
        i = toks.index(("p", None))
        ip, fp = toks[:i], toks[i + 1:]
        big_after = [t for t in fp if t[0] == "b"]
        digits = "".join(str(int(v)) if k == "n" else "0" for k, v in fp if k in ("n", "z"))
        v = (_integer(ip) if ip else Decimal(0)) + (Decimal("0." + digits) if digits else Decimal(0))
        for _, b in big_after:  # 两千万点五 is rare; 三点五亿 = 3.5 亿
            v *= b
    else:
        v = _integer(toks)
    return -v if neg else v


# --- scanning ------------------------------------------------------------------------------
_D = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_SPACED = r"\d{1,3}(?: \d{3})+(?![\d.,])"
_CN_START = "零〇一壹二贰两俩三叁四肆五伍六陆七柒八捌九玖十拾"
# a numeral run; 百/千/万 right before 分 start a fraction word (百分之, 百分位), so they end the run;
# 多/余/几 may stand before a scale (一千多万, 二十几万, 十余万)
_CN_CONT = "零〇一壹二贰两俩三叁四肆五伍六陆七柒八捌九玖十拾"
_CN = "[%s](?:[%s]|[百佰千仟万亿兆](?!分)|[多余几](?=[十百千万亿]))*" % (_CN_START, _CN_CONT)
_BIG = "(?:[十百千]?[万亿]|万亿|兆|[千百])"


@lru_cache(maxsize=1)
def _number_re() -> re.Pattern:
    latin = sorted(scale_words(), key=len, reverse=True)
    latin_re = "|".join(re.escape(w) for w in latin)
    arabic = rf"(?:{_SPACED}|{_D})(?:[eE][-+]?\d+)?"
    # mixed: 10万4782.88 / 3万4000 / 5亿1万4千6百 / 1.5 亿 / 10多亿
    mixed = rf"{arabic}(?:\s{{0,2}}[余多]?{_BIG}(?:零?(?:{_D})|[{_CN_START}])?)*"
    dec = "点[零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖]+"
    cn = rf"{_CN}(?:{dec}(?:[万亿])?)?"
    den = "[%s][%s]*" % (_CN_START, re.escape(CN_CHARS))  # 一百分之, 一万分之: scale words belong to the denominator
    # (the lookahead is implied by the rest -- every character before 分之 is a numeral, a digit,
    # a separator or 又 -- and fails fast for the plain numbers, which never reach a 分之)
    frac = rf"(?=[\d,.又{re.escape(CN_CHARS)}]*+分之)(?:{den}|{_D})又?(?:{den}|{_D})?分之(?:{_CN}(?:{dec})?|{_D})"
    first = re.escape("负-." + CN_CHARS) + "0-9"
    return re.compile(
        rf"(?=[{first}])(?P<neg>负|(?<![0-9A-Za-z.%)\]])-)?(?:(?P<frac>{frac})|(?P<mixed>{mixed})(?:\s?(?P<latin>{latin_re})(?![A-Za-z]))?|(?P<cn>{cn}))"
    )


@lru_cache(maxsize=1)
def _trigger_re() -> re.Pattern:
    return re.compile(r"(?<![0-9])[0-9]|[.负\-]|[" + re.escape(_CN_START) + "]")


@lru_cache(maxsize=4)
def _trigger_re_units(cn_next: frozenset) -> re.Pattern:
    """Where a number can start, for callers that keep Chinese numerals only before a unit.

    One character class first (``re`` skips to candidates in C), then per kind: a digit that
    starts a digit run; a sign or point before a digit or numeral; a Chinese numeral whose run
    is followed (past one space) by a character of ``cn_next`` or 分, or that follows 分之.
    Positions this leaves out are exactly those :func:`find_numbers` would reject.
    """
    cn = re.escape(_CN_START)
    run = re.escape(CN_CHARS + "多余几点")
    nxt = re.escape("".join(sorted(set(cn_next) | {"分"})))
    return re.compile(
        rf"[0-9.负\-{cn}](?:(?<=[0-9])(?<![0-9].)|(?<=[.负\-])(?=[0-9.{cn}])"
        rf"|(?<=[{cn}])(?:(?<=分之.)|(?=[{run}]*+ ?[{nxt}])))"
    )


@dataclass(slots=True)
class Number:
    """A number found in text: ``text[start:end]``; ``value`` includes the scale word and sign."""

    start: int
    end: int
    value: Decimal
    base: Decimal  # value before the scale word
    scale: Decimal | None  # multiplier of a trailing scale word (万, 亿, k, bn ...), if any
    chinese: bool  # written (at least partly) in Chinese numerals
    approx_over: bool = False  # 10多亿, 十余万
    negative: bool = False


_HAS_CN = re.compile(f"[{CN_CHARS}]")
_BIG_LAST = frozenset("十百千万亿兆")
_BIG_TAIL = re.compile(rf"\s?([余多]?)({_BIG})$")
_PLAIN = re.compile(rf"{_SPACED}|{_D}")


def _split_scale(s: str) -> tuple[str, Decimal | None, bool]:
    """'5.3 亿' -> ('5.3', 1e8, False); '10多亿' -> ('10', 1e8, True); '3万4000' -> (whole, None, False)."""
    if s[-1:] not in _BIG_LAST:  # no scale word at the end (most numbers): skip the regexes
        return s, None, False
    m = _BIG_TAIL.search(s)
    if not m or m.start() == 0:
        return s, None, False
    head = s[: m.start()]
    if not _PLAIN.fullmatch(head.strip()):
        return s, None, False
    sc = parse_cn("一" + m.group(2), True)
    return head, sc, bool(m.group(1))


@lru_cache(maxsize=4)
def _scan_re(cn_next: frozenset | None) -> tuple[re.Pattern, tuple[int, ...]]:
    """The trigger and the numeral grammar in one regex, and the indexes of the grammar's groups.

    ``trigger(?<=(?=(?P<num>grammar)).)``: the trigger's first character set lets ``re`` skip
    to candidate positions in C; a lookbehind then steps back over that character and a
    lookahead matches the grammar from there. One ``search`` per number, instead of a Python
    step per candidate position plus a ``match``.
    """
    trig = _trigger_re() if cn_next is None else _trigger_re_units(cn_next)
    rx = re.compile("(?:" + trig.pattern + ")(?<=(?=(?:" + _simple_re() + "|(?P<num>" + _number_re().pattern + ")))(?s:.))")
    gi = rx.groupindex
    return rx, tuple(gi[k] for k in ("simple", "num", "neg", "frac", "mixed", "latin", "cn"))


def _simple_re() -> str:
    """A plain ASCII number (``12``, ``5.8``) that the grammar would read as just that: no
    character follows that could extend it -- a digit, a point or comma, an exponent, a Chinese
    numeral or scale word, 余/多, 又/分 (a fraction), the first letter of a Latin scale word --
    nor one space before such a character or another space (spaced thousands, ``5 亿``, ``5 k``:
    the grammar reads past one or two spaces only into these). The grammar is then skipped
    (``1 月 5 日``: a space before an ordinary character is common in the bench texts)."""
    firsts = "".join(sorted({w[0] for w in scale_words() if w}))
    stop = re.escape(".,eE又分余多" + CN_CHARS + firsts)
    return rf"(?P<simple>[0-9]+(?:\.[0-9]+)?)(?![\d{stop}]|\s[\d\s{stop}])"


def find_numbers(text: str, normed: str | None = None, cn_next: frozenset | None = None,
                 skip: bytearray | None = None) -> list[Number]:
    """Every numeral in ``text`` (Arabic, Chinese, mixed, fractions), left to right, non-overlapping.

    Offsets index ``text``; ``normed`` may pass ``norm(text)`` when the caller has it.
    No filtering of dates, ordinals or idioms: that is the figure layer's job, which may pass
    ``cn_next``: Chinese numerals are then kept only when the next non-space character is in it
    (a unit can follow) or a fraction word stands before them -- a fast path past 一个, 一些 --
    and ``skip``: a byte per character, non-zero where the caller discards any number touching
    it (dates, labels); such numbers are matched (the scan continues after them) but not built.
    """
    t = normed if normed is not None else norm(text)
    out: list[Number] = []
    rx, (g_simple, g_num, g_neg, g_frac, g_mixed, g_latin, g_cn) = _scan_re(cn_next)
    search = rx.search
    pos = 0
    while True:
        m = search(t, pos)
        if m is None:
            return out
        start, end = m.span(g_simple)
        if start >= 0:  # a plain number (see _simple_re): what the grammar's "mixed" branch gives
            pos = end
            if skip is not None and skip.find(1, start, end) >= 0:
                continue
            val = Decimal(t[start:end])  # (parse_arabic without its separators: the group has none)
            out.append(Number(start, end, val, val, None, False, False, False))
            continue
        start, end = m.span(g_num)
        pos = end  # the scan goes on after this numeral, kept or not
        # (the grammar never ends in a space; trimmed anyway, as the span is what callers see)
        while end > start and t[end - 1] == " ":
            end -= 1
        if skip is not None and skip.find(1, start, end) >= 0:
            continue
        neg, frac, mixed, latin, body = m.group(g_neg, g_frac, g_mixed, g_latin, g_cn)
        try:
            if frac:
                val = parse_cn(frac, True)
                out.append(Number(start, pos, -val if neg else val, val, None, True, negative=bool(neg)))
                continue
            if mixed:
                body = mixed
                if body[-1] not in _BIG_LAST:  # no scale word at the end (most numbers)
                    sc = None
                    base = parse_cn(body, True) if not body.isascii() and _HAS_CN.search(body) else parse_arabic(body)
                    val = base
                    over = False
                else:
                    head, sc, over = _split_scale(body)
                    base = parse_arabic(head) if sc is not None else parse_cn(body, True) if not body.isascii() and _HAS_CN.search(body) else parse_arabic(body)
                    val = base * sc if sc is not None else base
                if latin:
                    lat = scale_words()[latin]
                    val *= lat
                    sc = (sc or Decimal(1)) * lat
                over = over or "多" in body or "余" in body
                chinese = False  # starts with Arabic digits (a CJK scale word does not make it prose)
            else:
                if cn_next is not None:
                    nxt = t[pos:pos + 2].lstrip(" ")[:1]
                    if nxt not in cn_next and t[max(0, start - 2):start] != "分之":
                        continue
                # (a numeral run starts with a digit numeral, never with a scale word: the
                # first character decides, no generator over the run)
                if (not body or body[0] in CN_BIG) and (body in ("万", "亿", "兆") or all(ch in CN_BIG for ch in body)):
                    continue
                if len(body) == 1 and body in _CAPITALS and t[max(0, start - 2):start] != "分之":
                    continue
                val = parse_cn(body, True)
                base, sc, over, chinese = val, None, "多" in body or "余" in body or "几" in body, True
                tail = _BIG_TAIL.search(body)
                if tail and tail.start() > 0:
                    try:
                        head_v = parse_cn(body[: tail.start()], True)
                        sc = parse_cn("一" + tail.group(2), True)
                        if head_v * sc == val:
                            base = head_v
                        else:
                            sc = None
                    except ValueError:
                        sc = None
        except (ValueError, InvalidOperation, ArithmeticError):
            continue
        out.append(Number(start, end, -val if neg else val, base, sc, chinese, over, bool(neg)))
