"""Script detection and Traditional -> Simplified conversion with an offset map.

The conversion uses OpenCC's own configurations and dictionaries (shipped with
``opencc-python-reimplemented``): ``t2s`` and, for Taiwan phrasing, ``tw2sp``.
Each configuration is a chain of dictionary groups; every group is applied as
forward maximum matching (what OpenCC's mmseg segmentation does), which lets us
record, for each output character, the input character it came from. The
package's own ``OpenCC.convert`` is not used on the hot path: it is ~20x slower
and returns no alignment.

Also here: the 1:1 normalization of full-width digits, Latin letters and the
punctuation inside numbers (``１２，３４５．６`` -> ``12,345.6``).
"""
from __future__ import annotations

import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path

import corpora

from ._trie import key_scanner, trie_pattern

__all__ = ["detect_script", "has_traditional", "trad_and_full_width", "script_counts", "is_taiwan", "convert", "normalize_width", "t2s_chars"]


def _opencc_dir() -> Path:
    import opencc  # only to locate its data files

    return Path(opencc.__file__).parent


@lru_cache(maxsize=None)
def _load_dict(name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    with open(_opencc_dir() / "dictionary" / name, encoding="utf-8") as f:
        for line in f:
            key, _, val = line.rstrip("\n").partition("\t")
            if key and val:
                out[key] = val.split(" ")[0]  # several candidates: OpenCC takes the first
    return out


class CharMap:
    """A 1:1 character mapping applied fast: a numpy lookup table over the BMP for long texts
    (``str.translate`` with a dict costs a dict lookup per character), ``str.translate`` otherwise."""

    def __init__(self, mapping: dict[int, str]):
        self.mapping = {k: v for k, v in mapping.items() if len(v) == 1}
        self._table = None

    def _np_table(self):
        if self._table is None:
            import numpy as np

            table = np.arange(0x10000, dtype=np.uint32)
            for k, v in self.mapping.items():
                if k < 0x10000:
                    table[k] = ord(v)
            self._table = table
        return self._table

    def __call__(self, text: str) -> str:
        if len(text) < 256 or not _HAVE_NUMPY:
            return text.translate(self.mapping)
        import numpy as np

        a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if a.max() < 0x10000:  # the usual case: no astral characters, one lookup
            return self._np_table()[a].tobytes().decode("utf-32-le", "surrogatepass")
        out = np.where(a < 0x10000, self._np_table()[np.minimum(a, 0xFFFF)], a)
        return out.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


# numpy is a declared dependency (imported lazily); the pure-Python path stays correct without it
_HAVE_NUMPY = importlib.util.find_spec("numpy") is not None


class _Stage:
    """One dictionary group of an OpenCC chain, applied by forward maximum matching."""

    def __init__(self, dict_names: list[str], extra: dict[str, str] | None = None):
        chars: dict[int, str] = {}
        phrases: dict[str, str] = {}
        sources = [_load_dict(name) for name in dict_names] + ([extra] if extra else [])
        for d in sources:  # earlier dicts of a group win on equal keys
            for k, v in d.items():
                if len(k) == 1 and len(v) == 1:
                    chars.setdefault(ord(k), v)
                else:
                    phrases.setdefault(k, v)
        self.chars = {k: v for k, v in chars.items() if chr(k) != v}
        self.charmap = CharMap(self.chars)
        self.phrases = phrases
        self._rx = key_scanner(phrases) if phrases else None

    def apply(self, text: str) -> tuple[str, list[int] | None]:
        """Convert ``text``; returns (converted, map) where map[j] is the input index of output j, or None if 1:1."""
        if self._rx is None:
            return self.charmap(text), None
        conv = self.charmap(text)  # 1:1, so positions in ``conv`` are positions in ``text``
        pieces: list[str] = []
        spans: list[tuple[int, int, int]] = []  # (input start, input end, output length) of length-changing matches
        pos = 0
        phrases = self.phrases
        for m in self._rx.finditer(text):  # the longest key at each position where one starts
            i = m.start()
            if i < pos:  # inside the previous match (forward maximum matching)
                continue
            key = m.group(1)
            n = len(key)
            val = phrases[key]
            pieces.append(conv[pos:i])
            pieces.append(val)  # phrase values are final: not char-mapped again
            if len(val) != n:
                spans.append((i, i + n, len(val)))
            pos = i + n
        pieces.append(conv[pos:])
        out = "".join(pieces)
        if not spans:
            return out, None
        return out, _build_map(len(text), spans)


def _build_map(in_len: int, spans: list[tuple[int, int, int]]) -> list[int]:
    """Output->input index map from the length-changing matches ``(in_start, in_end, out_len)``; all else is 1:1.

    Inside a match whose length changed, output chars are spread evenly over its input chars.
    """
    mp: list[int] = []
    src = 0
    for a, b, n_out in spans:
        mp.extend(range(src, a))
        # spread evenly, first to first and last to last, so a span over the output covers the whole input
        last_in, last_out = b - a - 1, n_out - 1
        if last_out == 0:
            mp.append(a)
        else:
            mp.extend(a + (j * last_in + last_out // 2) // last_out for j in range(n_out))
        src = b
    mp.extend(range(src, in_len))
    return mp


class _Converter:
    def __init__(self, config: str):
        with open(_opencc_dir() / "config" / f"{config}.json", encoding="utf-8") as f:
            cfg = json.load(f)
        self.stages = [_Stage(_dict_files(step["dict"])) for step in cfg["conversion_chain"]]
        self.stages.append(_Stage([], extra=_extra_pairs()))  # corpora/clean/t2s_extra.tsv

    def convert(self, text: str) -> tuple[str, list[int] | None]:
        mp: list[int] | None = None
        for st in self.stages:
            text, m = st.apply(text)
            if m is not None:
                mp = m if mp is None else [mp[j] for j in m]
        return text, mp


@lru_cache(maxsize=1)
def _extra_pairs() -> dict[str, str]:
    """Our own phrase pairs applied after OpenCC (corpora/clean/t2s_extra.tsv); all keep their length."""
    out: dict[str, str] = {}
    with open(corpora.path("clean", "t2s_extra.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            k, _, v = line.rstrip("\n").partition("\t")
            if k and v:
                out[k] = v
    return out


def _dict_files(d: dict) -> list[str]:
    if d.get("type") == "group":
        out: list[str] = []
        for sub in d.get("dicts", []):
            out.extend(_dict_files(sub))
        return out
    return [d["file"]]


@lru_cache(maxsize=None)
def _converter(config: str) -> _Converter:
    return _Converter(config)


@lru_cache(maxsize=1)
def _script_sets() -> tuple[frozenset[str], frozenset[str]]:
    ts = _load_dict("TSCharacters.txt")
    st = _load_dict("STCharacters.txt")
    trad = frozenset(k for k, v in ts.items() if v != k)
    simp = frozenset(k for k, v in st.items() if v != k) - trad
    return trad, simp


@lru_cache(maxsize=1)
def _delete_tables() -> tuple[dict[int, None], dict[int, None]]:
    trad, simp = _script_sets()
    return dict.fromkeys(map(ord, trad)), dict.fromkeys(map(ord, simp))


@lru_cache(maxsize=1)
def _trad_in_gb2312() -> tuple[str, ...]:
    out = []
    for c in sorted(_script_sets()[0]):
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            continue
        out.append(c)  # 後, 於, 乾 ...: Traditional-only for OpenCC, yet inside GB2312
    return tuple(out)


def has_traditional(text: str) -> bool:
    """True when ``text`` holds at least one Traditional-only character.

    Fast path: text that encodes in GB2312 (a Simplified-only charset, C codec) can hold only the
    ~15 Traditional characters GB2312 also has; everything else needs the set lookup.
    """
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        if len(text) >= 256 and _HAVE_NUMPY:  # a table lookup per char instead of a str object per char
            import numpy as np

            a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            if int(a.max()) < 0x10000:
                return bool((_script_flags()[a] == 1).any())
        return not _script_sets()[0].isdisjoint(text)
    return any(c in text for c in _trad_in_gb2312())


@lru_cache(maxsize=1)
def _script_flags():
    import numpy as np

    trad, simp = _script_sets()
    flags = np.zeros(0x10000, dtype=np.int8)  # 1 = Traditional-only, 2 = Simplified-only
    for c in trad:
        if ord(c) < 0x10000:
            flags[ord(c)] = 1
    for c in simp:
        if ord(c) < 0x10000:
            flags[ord(c)] = 2
    return flags


def script_counts(text: str) -> tuple[int, int]:
    """(Traditional-only, Simplified-only) character counts of ``text``."""
    if _HAVE_NUMPY:
        import numpy as np

        a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        f = _script_flags()[np.minimum(a, 0xFFFF)]
        f[a > 0xFFFF] = 0
        return int(np.count_nonzero(f == 1)), int(np.count_nonzero(f == 2))
    dt, ds = _delete_tables()
    n = len(text)
    return n - len(text.translate(dt)), n - len(text.translate(ds))


def detect_script(text: str, traditional: bool | None = None) -> str:
    """Return "traditional", "simplified" or "mixed" for ``text`` (text without CJK counts as simplified).

    ``traditional`` is ``has_traditional(text)`` when the caller already knows it.
    """
    if not (has_traditional(text) if traditional is None else traditional):
        return "simplified"
    t, s = script_counts(text)
    if t == 0:
        return "simplified"
    share = t / (t + s)
    if share >= 0.9:
        return "traditional"
    if share <= 0.1:
        return "simplified"
    return "mixed"


@lru_cache(maxsize=1)
def _taiwan_re() -> re.Pattern:
    words = []
    with open(corpora.path("clean", "taiwan_markers.txt"), encoding="utf-8") as f:
        for line in f:
            w = line.split("#", 1)[0].strip()
            if w:
                words.append(w)
    return re.compile(trie_pattern(words))  # the longest marker at a position


def is_taiwan(text: str, min_hits: int = 2) -> bool:
    """True when ``text`` uses Taiwan phrasing (軟體, 網路, 資料庫 ...) at least ``min_hits`` times."""
    n = 0
    for _ in _taiwan_re().finditer(text):
        n += 1
        if n >= min_hits:
            return True
    return False


def convert(text: str, taiwan: bool | None = None) -> tuple[str, list[int] | None]:
    """Traditional -> Simplified with OpenCC dictionaries (``tw2sp`` for Taiwan phrasing, else ``t2s``).

    Returns (converted text, map) where ``map[j]`` is the index in ``text`` of converted char ``j``,
    or None when the conversion kept every length (then the map is the identity).
    """
    if taiwan is None:
        taiwan = is_taiwan(text)
    return _converter("tw2sp" if taiwan else "t2s").convert(text)


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    conv = _converter("t2s")
    table: dict[int, str] = {}
    for st in conv.stages:
        table.update({k: v for k, v in st.chars.items() if k not in table})
    return table


@lru_cache(maxsize=1)
def _t2s_map() -> CharMap:
    return CharMap(_t2s_table())


def t2s_chars(text: str) -> str:
    """Character-level (1:1, phrase-free) t2s, for cheap pattern matching on any script."""
    return _t2s_map()(text)


# --- full-width normalization (1:1 in length) -------------------------------------------
_FW = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_FW.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FW.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_D = r"[0-9０-９]"
# every alternative starts with its character (the digit before it checked by a look-behind over
# both), so re skips in C to those characters: a leading look-behind costs a regex step per position,
# and Chinese text is full of "，"
_NUM_PUNCT = re.compile(
    rf"．(?<={_D}．)(?={_D})"  # decimal point
    rf"|，(?<={_D}，)(?={_D}{{3}}(?![0-9０-９]))"  # thousands separator
    rf"|：(?<={_D}：)(?={_D})|／(?<={_D}／)(?={_D})|～(?<={_D}～)(?={_D})"  # times, ratios, ranges
    rf"|％(?<={_D}％)"  # percent sign after a number
    rf"|＋(?={_D})|－(?={_D})"  # signs before a number
)
# the plain form of _NUM_PUNCT (a look-behind first), kept for the tests
_NUM_PUNCT_PLAIN = re.compile(
    rf"(?<={_D})[．](?={_D})|(?<={_D})[，](?={_D}{{3}}(?![0-9０-９]))|(?<={_D})[：／～](?={_D})|(?<={_D})[％]|[＋－](?={_D})"
)
_NUM_MAP = {"．": ".", "，": ",", "：": ":", "／": "/", "～": "~", "％": "%", "＋": "+", "－": "-"}
_HAS_FW = re.compile("[\uff01-\uff5e]")


def trad_and_full_width(text: str) -> tuple[bool, bool]:
    """(``has_traditional(text)``, whether ``normalize_width`` can change ``text``) from one numpy
    pass for a long text (the two separate scans cost a GB2312 encode and a regex step per char)."""
    if len(text) < 256 or not _HAVE_NUMPY:
        return has_traditional(text), _HAS_FW.search(text) is not None
    import numpy as np

    a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    fw = bool(((a - 0xFF01) < 0x5E).any())  # U+FF01..U+FF5E (uint32: smaller code points wrap around)
    if int(a.max()) >= 0x10000:  # astral characters: the flags table covers the BMP only
        return has_traditional(text), fw
    return bool((_script_flags()[a] == 1).any()), fw


def normalize_width(text: str) -> str:
    """Full-width digits/letters to ASCII and number punctuation to ASCII; same length, prose punctuation untouched."""
    if not _HAS_FW.search(text):
        return text
    text = _NUM_PUNCT.sub(lambda m: _NUM_MAP[m.group()], text)
    return text.translate(_FW)
