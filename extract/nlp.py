"""The spaCy pipeline used for entity matching: blank ``zh`` with a gazetteer-aware tokenizer and rule components.

Why a custom tokenizer: spaCy's ``zh`` tokenizer either segments every character
(``char``: ~20k tokens per article, slow to build) or runs jieba's HMM over the
whole text (as slow as ``jieba.lcut``). Narrex must run at several times jieba's
throughput, so the registered ``narrex.gazetteer_tokenizer.v1`` does one regex
pass: every gazetteer word (and every Chinese piece of a multi-word alias) is
one token, so 比特币 and 芝商所 stay whole; Latin words, digit runs and
symbols that occur in aliases are their own tokens; all other text becomes a
placeholder token (see :class:`GazetteerTokenizer`). The registered
``narrex_gazetteer`` component matches the gazetteer as token-sequence patterns
(``LOWER``, so Latin aliases are case-insensitive; ``ORTH`` for case-sensitive
tickers such as ``MOVE``) looked up by their first token, as a PhraseMatcher would
match them (``tests/test_entities_pipeline.py`` compares the two), and the registered
``narrex_discovery`` component adds what the gazetteer does not know (see
:mod:`extract._discovery`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from ._discovery import start_cues
from ._gazetteer import gazetteer
from ._script import _HAVE_NUMPY
from ._trie import char_trie, trie_body

__all__ = ["get_nlp", "GazetteerTokenizer", "CJK", "GAP"]

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
GAP = "\u2026"  # the placeholder token standing for text between gazetteer pieces
_PIECE = re.compile(rf"[A-Za-z]+|[0-9]+|[{CJK}]+|[^\s]", re.S)
_CJK_RUN = re.compile(rf"[{CJK}]+")
_SYMBOLS = "&/\\-.·+'’_@#%$"


def _alias_pieces() -> tuple[list[str], set[str]]:
    """Tokenizer vocabulary from the gazetteer: (Chinese words, other pieces lowercased).

    Chinese words are the pure-Chinese aliases plus the Chinese pieces of mixed
    aliases ("美国现货 ETF" → 美国 | 现货, split by forward maximum matching on the
    pure aliases so that 美国 still stands alone elsewhere). Other pieces are the
    Latin words, digit runs and symbols that occur in aliases (etf, s, &, p, 500).
    """
    gz = gazetteer()
    pure: set[str] = set()
    mixed_runs: set[str] = set()
    other: set[str] = set()
    for e in gz.entries.values():
        for form, _cs in gz.surface_forms(e):
            runs = _CJK_RUN.findall(form)
            if len(runs) == 1 and runs[0] == form:
                pure.add(form)
                continue
            mixed_runs.update(runs)
            other.update(p.lower() for p in _PIECE.findall(form) if not _CJK_RUN.fullmatch(p))
    words = set(pure)
    maxlen = max((len(w) for w in pure), default=1)
    for run in mixed_runs:
        i, piece = 0, ""
        while i < len(run):
            hit = next((run[i:i + n] for n in range(min(maxlen, len(run) - i), 1, -1) if run[i:i + n] in pure), None)
            if hit:
                if piece:
                    words.add(piece)
                    piece = ""
                words.add(hit)
                i += len(hit)
            else:
                piece += run[i]
                i += 1
        if piece:
            words.add(piece)
    return sorted(words, key=lambda w: (-len(w), w)), other


_F_CJK, _F_SINGLE, _F_LETTER, _F_DIGIT, _F_SYMBOL = 1, 2, 4, 8, 16
_F_UPPER, _F_NAME_CHAR = 32, 64  # for discovery: an ASCII capital; a character no Latin name starts after
_F_RUN = _F_LETTER | _F_DIGIT
_PAIR_MUL, _PAIR_MASK = 40503, (1 << 16) - 1  # 64 KB tables: in cache, and few collisions (each costs a loop step)
_P_WORD, _P_PREFIX = 1, 2  # a character pair is a word / the start of a longer word
_P_TITLE, _P_SUFFIX = 4, 8  # for discovery: a character pair is a title / a Chinese org suffix
_P_TITLE3, _P_SUFFIX3 = 16, 32  # ... starts a longer title / org suffix (its first three characters decide)
_P_THIRD = _P_PREFIX | _P_TITLE3 | _P_SUFFIX3  # the pairs whose third character is looked at
_T_WORD, _T_TITLE, _T_SUFFIX = 1, 2, 4  # the first three characters of a word / title / org suffix (hashed triples)


def _mark(pairs, triples, w: str, two: int, longer: int, third: int) -> None:
    """Set ``w``'s bits in the hashed tables: ``two`` on its pair when it has two characters, else ``longer``
    on its pair and ``third`` on its first triple (the hashes are the uint32 arithmetic of ``_pieces_np``)."""
    h2 = (ord(w[0]) * _PAIR_MUL & 0xFFFFFFFF) ^ ord(w[1])
    if len(w) == 2:
        pairs[h2 & _PAIR_MASK] |= two
    else:
        pairs[h2 & _PAIR_MASK] |= longer
        triples[((h2 * _PAIR_MUL & 0xFFFFFFFF) ^ ord(w[2])) & _PAIR_MASK] |= third


def _candidate_tables(words: list[str], others: set[str]):
    """(flags per code point, flags per hashed character pair, hashed first triples, discovery cues marked) for ``_pieces_np``.

    A piece can start only at a one-character word, a symbol token, the start of
    an ASCII letter or digit run, or the first character of a longer Chinese word
    followed by a character that makes a known pair -- and a known triple when the
    pair is only the start of longer words (市场 before 市场情绪): hash collisions
    only add candidates, which the exact lookup then rejects.
    """
    import numpy as np

    flags = np.zeros(0x110000, dtype=np.uint8)
    pairs = np.zeros(_PAIR_MASK + 1, dtype=np.uint8)
    triples = np.zeros(_PAIR_MASK + 1, dtype=np.uint8)
    for w in words:
        if len(w) == 1:
            flags[ord(w)] |= _F_SINGLE
            continue
        flags[ord(w[0])] |= _F_CJK
        _mark(pairs, triples, w, _P_WORD, _P_PREFIX, _T_WORD)
    for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        flags[ord(c)] |= _F_LETTER
    for c in "0123456789":
        flags[ord(c)] |= _F_DIGIT
    for c in _SYMBOLS:
        if c in others:
            flags[ord(c)] |= _F_SYMBOL
    # discovery's cues ride along (the scan reads them for free): where its regexes may start
    titles, suffixes = start_cues()
    if any(len(w) < 2 for w in titles + suffixes):
        return flags, pairs, triples, False  # a one-character cue: its start is not a known pair
    # (a longer cue by its first three characters: 交易 starts no org suffix unless 交易所 follows)
    for bit, bit3, tbit, cues in ((_P_TITLE, _P_TITLE3, _T_TITLE, titles), (_P_SUFFIX, _P_SUFFIX3, _T_SUFFIX, suffixes)):
        for w in cues:
            _mark(pairs, triples, w, bit, bit3, tbit)
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        flags[ord(c)] |= _F_UPPER
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@#/_.-":  # _LATIN_NAME's lookbehind
        flags[ord(c)] |= _F_NAME_CHAR
    return flags, pairs, triples, True


_RUN_MUL = 0x9E3779B97F4A7C15  # odd: invertible modulo 2**64
_RUN_INV = pow(_RUN_MUL, -1, 1 << 64)
_M64 = (1 << 64) - 1


def _run_hash(low: str) -> int:
    """Hash of a lowercase ASCII letter or digit run, as :func:`_run_hashes` computes it (the code points, each times
    the multiplier to the power of its index, summed modulo 2**64)."""
    return sum(ord(c) * pow(_RUN_MUL, i, 1 << 64) for i, c in enumerate(low)) & _M64


_powers_memo: list = []


def _powers(m: int):
    """(multiplier**i, inverse**i for i < m) modulo 2**64, as uint64 arrays (grown by doubling, shared by all texts)."""
    import numpy as np

    if not _powers_memo or len(_powers_memo[0]) < m:
        size = max(1024, 2 * m)
        pw = np.full(size, _RUN_MUL, dtype=np.uint64)
        inv = np.full(size, _RUN_INV, dtype=np.uint64)
        pw[0] = inv[0] = 1
        np.multiply.accumulate(pw, out=pw)  # wraps modulo 2**64
        np.multiply.accumulate(inv, out=inv)
        _powers_memo[:] = [pw, inv]
    return _powers_memo[0], _powers_memo[1]


def _run_hashes(a, run, heads, tails):
    """:func:`_run_hash` of each ASCII letter or digit run ``a[heads[k]:tails[k]]`` lowercased, without a string per run.

    The run characters are packed (a run is contiguous in ``a``, so the k-th starts where the runs before it end),
    lowercased (``| 0x20`` maps A-Z to a-z and leaves a-z and 0-9 alone), weighted by powers of the multiplier and
    summed cumulatively; a run's hash is then the difference of two sums times the inverse power of its start.
    """
    import numpy as np

    chars = a[run != 0]
    m = len(chars)
    pw, inv = _powers(m + 1)
    acc = np.empty(m + 1, dtype=np.uint64)
    acc[0] = 0
    np.add.accumulate((chars | 0x20).astype(np.uint64) * pw[:m], out=acc[1:])  # (np.cumsum: the same plus wrappers)
    lens = tails - heads
    ends = np.add.accumulate(lens)
    begins = ends - lens
    return (acc.take(ends) - acc.take(begins)) * inv.take(begins)


def _token_pattern(words: list[str], others: set[str]) -> str:
    """One regex whose matches are the tokenizer's pieces, as a flat alternation keyed by the first character.

    - Chinese words: the longest word at a position (a character trie);
    - Latin words and digit runs: a maximal ASCII letter (digit) run whose lowercase is an alias piece,
      in any case ([Ee][Tt][Ff], not re.I: that would also match the Kelvin sign and the long s);
    - symbols that occur in aliases: one character each.
    The classes share no character, so one left-to-right scan finds the same pieces as one scan per
    class. Every alternative starts with a plain literal, so ``re`` keeps its fast skip to the
    characters that can start a piece (a nested group or a class first would lose it).
    """
    alts = [re.escape(ch) + trie_body(sub, re.escape) for ch, sub in sorted(char_trie(words).items())]
    for cls, chars in (("A-Za-z", str.isalpha), ("0-9", str.isdigit)):
        runs = sorted(p for p in others if p.isascii() and chars(p))
        emit = (lambda c: f"[{c.upper()}{c}]" if c.isalpha() else c)
        for ch, sub in sorted(char_trie(runs).items()):
            # the lookbehind (after the first char, to keep the fast skip) and lookahead make the run maximal
            rest = rf"(?<![{cls}].)" + trie_body(sub, emit) + rf"(?![{cls}])"
            alts += [re.escape(c) + rest for c in sorted({ch, ch.upper()})]
    alts += [re.escape(c) for c in sorted(c for c in _SYMBOLS if c in others)]  # only symbols that occur in aliases
    return "(" + "|".join(alts) + ")"


class _Everything:
    """A set holding every string, and a map from every string to itself, the set (after any piece, every next piece and gap stays a token)."""

    def __contains__(self, item: object) -> bool:
        return True

    def get(self, key: object) -> "_Everything":
        return self


_EVERYTHING = _Everything()


class GazetteerTokenizer:
    """Skeleton tokenizer: only gazetteer pieces become tokens; the text between them is one placeholder token.

    Why a skeleton: building a spaCy Doc costs about a microsecond per token and a
    vocabulary entry per new string, so a token per character (or per unknown
    chunk) would make matching slower than jieba and grow the vocabulary without
    bound over a large archive. Here the tokens are the gazetteer's Chinese words,
    the Latin words, digit runs and symbols that occur in aliases (in their own
    case, for the ORTH matcher), and ``GAP`` for everything else (a newline or any
    other text between two pieces). A single space between two pieces is trailing
    whitespace, so "比特币 ETF" and "比特币ETF" both match. ``doc.text`` is therefore
    a skeleton; ``doc.user_data["narrex.text"]`` holds the input and
    ``doc.user_data["narrex.offsets"]`` the (start, end) of every token in it.

    The pieces are what ``re.finditer`` of :func:`_token_pattern` finds. Trying
    that regex at every character that may start a piece is most of the cost, so
    with numpy the candidate positions are narrowed first (a lookup table per
    character and one per character pair) and the regex is tried only there.
    """

    def __init__(self, vocab, words: list[str], others: set[str]):
        self.vocab = vocab
        self.others = others
        pattern = _token_pattern(words, others)
        rx = re.compile(pattern)
        self._split = rx.split  # the plain path: gap, piece, gap, piece, ..., gap in one C call
        self._tables = _candidate_tables(words, others) if _HAVE_NUMPY else None
        if self._tables is not None:  # hashes of the ASCII letter and digit runs that are pieces, sorted (see _pieces_np)
            import numpy as np

            runs = {p for p in others if p.isascii() and (p.isalpha() or p.isdigit())}
            self._run_keys = np.array(sorted({_run_hash(p) for p in runs}) or [0], dtype=np.uint64)
        # the numpy path looks Chinese words up directly: lengths of the 3+ character words by their first
        # three characters (longest first), then the word sets
        self._wordset = set(words)
        self._singles = {w for w in words if len(w) == 1}
        lens: dict[str, set[int]] = {}
        for w in words:
            if len(w) > 2:
                lens.setdefault(w[:3], set()).add(len(w))
        self._tri_lens = {p: tuple(sorted(ls, reverse=True)) for p, ls in lens.items()}
        # while the patterns are cut: every gap and every piece is a token
        self._gap_after: dict | _Everything = _EVERYTHING
        self._starters: set[str] | _Everything = _EVERYTHING
        self._gap_after, self._starters = self._pattern_pieces()

    def _pattern_pieces(self):
        """({lowercased piece some pattern continues after: the next pieces after which a gap must stay a token},
        lowercased first pieces of the patterns).

        A GAP token matters only to the matcher, where it keeps two pieces apart (or matches
        the gap inside "Société Générale"). A gap between pieces x and y can only break a
        match that has x then y (or x then a gap) as neighbours, so it is left out of the
        Doc otherwise (nearly every gap) without changing a match. Likewise a piece that
        starts no pattern and follows the piece before in none can be in no match: it is
        left out as gap text (about a sixth of the pieces: "事件", "/", "ETF" alone). The last gap of
        a text always stays (the offsets then end at the end of the text).
        """
        follow: dict[str, set[str] | _Everything] = {}
        starters: set[str] = set()
        for cs in (False, True):
            for pat in _patterns(case_sensitive=cs):
                seq = [w.lower() for w in self._pieces_split(pat["pattern"])[0]]
                if seq and seq[0] == GAP:
                    return _EVERYTHING, _EVERYTHING  # a pattern starting with a gap: every gap must stay
                starters.update(seq[:1])
                for x, y in zip(seq, seq[1:]):
                    nxt = follow.setdefault(x, set())
                    if y == GAP:  # a pattern matches a gap after x: every gap after x stays
                        follow[x] = _EVERYTHING
                    elif nxt is not _EVERYTHING:
                        nxt.add(y)
        return follow, starters

    def __call__(self, text: str) -> Doc:
        if self._tables is not None and len(text) >= 64:
            words, spaces, offsets, lows, starts = self._pieces_np(text)
        else:
            (words, spaces, offsets, lows), starts = self._pieces_split(text), None
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["narrex.text"] = text
        doc.user_data["narrex.offsets"] = offsets
        # for the matcher: the token strings and their lowercase (computed here anyway; cheaper than reading the Doc)
        doc.user_data["narrex.words"] = words
        doc.user_data["narrex.lower"] = lows
        if starts is not None:  # for discovery: where a title, an org suffix, a Latin name may start
            doc.user_data["narrex.starts"] = starts
        return doc

    def _pieces_split(self, text: str) -> tuple[list[str], list[bool], list[tuple[int, int]], list[str]]:
        parts = self._split(text)
        words: list[str] = []
        spaces: list[bool] = []
        offsets: list[tuple[int, int]] = []
        lows: list[str] = []
        at = 0  # offset of parts[i]
        pos = 0  # end of the last token
        gap_after, starters = self._gap_after, self._starters
        keep = gap_after.get(None)  # pieces after which a gap stays (None: the piece before continues no pattern)
        for i in range(0, len(parts) - 1, 2):
            s = at + len(parts[i])
            tok = parts[i + 1]
            at = e = s + len(tok)
            low = tok.lower()
            if low not in starters and (keep is None or low not in keep):
                continue  # in no match: gap text
            if s > pos:
                if s - pos == 1 and text[pos] == " " and words:  # one space between two pieces: trailing whitespace
                    spaces[-1] = True
                elif keep is not None and low in keep:  # a gap that breaks a match of the piece before and this one
                    words.append(GAP)
                    spaces.append(False)
                    offsets.append((pos, s))
                    lows.append(GAP)
            keep = gap_after.get(low)
            words.append(tok)
            spaces.append(False)
            offsets.append((s, e))
            lows.append(low)
            pos = e
        if pos < len(text):
            words.append(GAP)
            spaces.append(False)
            offsets.append((pos, len(text)))
            lows.append(GAP)
        return words, spaces, offsets, lows

    def _pieces_np(self, text: str) -> tuple[list[str], list[bool], list[tuple[int, int]], list[str], tuple | None]:
        import numpy as np

        flags, pairs, triples, with_starts = self._tables
        a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        n = len(a)
        f = flags.take(a)
        # ASCII letter and digit runs: boundaries where the class changes; a run is a piece when its lowercase is one
        run = f & _F_RUN
        edge = np.empty(n + 1, dtype=bool)
        edge[0] = True
        edge[n] = True
        np.not_equal(run[1:], run[:-1], out=edge[1:n])
        bounds = edge.nonzero()[0]  # (np.flatnonzero is the same plus two Python-level wrappers)
        is_run = run[bounds[:-1]] != 0
        heads, tails = bounds[:-1][is_run], bounds[1:][is_run]
        # candidates: one-character words and symbols by their flags, the ASCII runs that are pieces, and the
        # Chinese words below (full-length passes are most of the cost: each flag is read where it is needed
        # and the positions of a class are found by one nonzero, the rest derived from small arrays)
        cand = (f & (_F_SINGLE | _F_SYMBOL)) != 0
        if len(heads):
            # keep the runs whose lowercase is an alias piece, by hash (a string per run cost ~3k instructions):
            # a collision only adds a candidate, which the loop below rejects
            hashes = _run_hashes(a, run, heads, tails)
            keys = self._run_keys
            keep = keys.take(keys.searchsorted(hashes), mode="clip") == hashes
            kept_heads, kept_tails = heads[keep], tails[keep]
            cand[kept_heads] = True
        starts = None
        if n > 1:
            # a Chinese word of two or more characters: its first character and first pair must fit, and
            # when the pair is only the start of longer words, its first three characters too
            h2 = (a[:-1] * _PAIR_MUL) ^ a[1:]
            pv = pairs.take(h2 & _PAIR_MASK)
            ok = (pv & _P_WORD) != 0
            # one nonzero finds the (few) pairs that start longer words and those that start discovery cues;
            # the triple hash only there (none at the last pair: clipped, then masked)
            hot = ((pv & (_P_THIRD | _P_TITLE | _P_SUFFIX)) != 0).nonzero()[0]
            kind = pv.take(hot)
            tv = triples.take(((h2.take(hot) * _PAIR_MUL) ^ a.take(hot + 2, mode="clip")) & _PAIR_MASK)
            tv[hot >= n - 2] = 0
            ok[hot] |= ((kind & _P_PREFIX) != 0) & ((tv & _T_WORD) != 0)
            cand[:-1] |= ((f[:-1] & _F_CJK) != 0) & ok
            if with_starts:  # for discovery (tuple of sorted lists: title, org suffix, Latin name)
                # a Latin name starts at a capital after no name character: always the head of an ASCII run
                up = heads[(f.take(heads) & _F_UPPER) != 0]
                up = up[(f.take(up - 1) & _F_NAME_CHAR == 0) | (up == 0)]  # (take wraps -1 to the last: or'ed out)
                title = ((kind & _P_TITLE) != 0) | (((kind & _P_TITLE3) != 0) & ((tv & _T_TITLE) != 0))
                suffix = ((kind & _P_SUFFIX) != 0) | (((kind & _P_SUFFIX3) != 0) & ((tv & _T_SUFFIX) != 0))
                starts = (hot[title].tolist(), hot[suffix].tolist(), up.tolist())
        at = cand.nonzero()[0]
        # end of the piece at each candidate: a symbol is one character, an ASCII run ends at its tail,
        # 0 marks a Chinese candidate (its word is looked up below)
        ends = np.zeros(len(at), dtype=np.int64)
        sym = (f.take(at) & _F_SYMBOL) != 0
        ends[sym] = at[sym] + 1
        if len(heads):
            ends[at.searchsorted(kept_heads)] = kept_tails
        tri_lens, wordset, singles = self._tri_lens, self._wordset, self._singles
        gap_after, starters, others = self._gap_after, self._starters, self.others
        keep = gap_after.get(None)  # pieces after which a gap stays (None: the piece before continues no pattern)
        words: list[str] = []
        spaces: list[bool] = []
        offsets: list[tuple[int, int]] = []
        lows: list[str] = []
        add_word, add_space, add_offsets, add_low = words.append, spaces.append, offsets.append, lows.append
        pos = 0  # end of the last token
        scan = 0  # end of the last piece (a token or left out)
        for s, e in zip(at.tolist(), ends.tolist()):
            if s < scan:
                continue  # inside the last piece (the scan resumes after it)
            if e:  # an ASCII run checked above, or a symbol
                tok = text[s:e]
                low = tok.lower()
                if low not in others:
                    continue  # a run whose hash collides with a piece's
            else:  # the longest Chinese word here: words of 3+ characters by their first three, then 2, then 1
                t3 = text[s:s + 3]
                for k in tri_lens.get(t3, ()):
                    tok = text[s:s + k] if k > 3 else t3
                    if tok in wordset:
                        break
                else:
                    tok = t3[:2]
                    if tok not in wordset:
                        tok = t3[:1]
                        if tok not in singles:
                            continue
                e = s + len(tok)
                low = tok  # Chinese: its own lowercase
            scan = e
            if low not in starters and (keep is None or low not in keep):
                continue  # in no match: gap text
            if s > pos:
                if s - pos == 1 and text[pos] == " " and words:  # one space between two pieces
                    spaces[-1] = True
                elif keep is not None and low in keep:  # a gap that breaks a match of the piece before and this one
                    add_word(GAP)
                    add_space(False)
                    add_offsets((pos, s))
                    add_low(GAP)
            keep = gap_after.get(low)
            pos = e
            add_word(tok)
            add_space(False)
            add_offsets((s, e))
            add_low(low)
        if pos < len(text):
            words.append(GAP)
            spaces.append(False)
            offsets.append((pos, len(text)))
            lows.append(GAP)
        return words, spaces, offsets, lows, starts

    def pipe(self, texts, batch_size: int = 1000):
        for t in texts:
            yield self(t)

    # spaCy serialization hooks (the tokenizer is rebuilt from the gazetteer, nothing to store)
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "GazetteerTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "GazetteerTokenizer":
        return self


@registry.tokenizers("narrex.gazetteer_tokenizer.v1")
def create_gazetteer_tokenizer():
    """spaCy registry entry: a factory building :class:`GazetteerTokenizer` for an ``nlp`` object."""

    def make(nlp: Language) -> GazetteerTokenizer:
        words, others = _alias_pieces()
        return GazetteerTokenizer(nlp.vocab, words, others)

    return make


class _Bucket:
    """The patterns whose first token lowercases to one string, beyond the common lone one-token LOWER pattern."""

    __slots__ = ("singles", "longer", "orth", "nexts", "ones")

    def __init__(self) -> None:
        self.singles: list[tuple[str, str]] = []  # (label, id) of the one-token LOWER patterns
        self.longer: dict[str, list] = {}  # second token -> [(lowercase tokens, length, (label, id))]
        self.orth: dict[str, list] = {}  # first token -> [(tokens, length, (label, id))] of the ORTH patterns
        # set by seal(): what find() gives when the next token continues no longer pattern (most calls)
        self.nexts: frozenset[str] = frozenset()  # lowercase second tokens of the longer patterns
        self.ones: dict[str, list[tuple[str, str]]] = {}  # token -> (label, id) of its one-token matches (else singles)

    def seal(self) -> None:
        """Fills ``nexts`` and ``ones`` once the patterns are in."""
        nexts = set(self.longer)
        for first, orth in self.orth.items():
            nexts.update(seq[1].lower() for seq, n, _ in orth if n > 1)
            self.ones[first] = self.singles + [lc for _, n, lc in orth if n == 1]
        self.nexts = frozenset(nexts)

    def find(self, i: int, lows: list[str], words: list[str], out: list) -> int:
        """Append (i, end, label, id) for every pattern of the bucket matching at token ``i``; returns the furthest end (0: none)."""
        far = 0
        for lab, cid in self.singles:
            out.append((i, i + 1, lab, cid))
            far = i + 1
        if self.longer and i + 1 < len(lows):
            for seq, n, (lab, cid) in self.longer.get(lows[i + 1], ()):
                if lows[i:i + n] == seq:
                    out.append((i, i + n, lab, cid))
                    far = max(far, i + n)
        for seq, n, (lab, cid) in self.orth.get(words[i], ()) if self.orth else ():
            if n == 1 or words[i:i + n] == seq:
                out.append((i, i + n, lab, cid))
                far = max(far, i + n)
        return far


@Language.factory("narrex_gazetteer", default_config={"set_ents": True})
class GazetteerMatcher:
    """Rule component: the gazetteer as token-sequence patterns (LOWER for aliases, ORTH for case-sensitive tickers).

    Every alias is tokenized like the text (``nlp.make_doc``) and matched as a
    sequence of ``LOWER`` values (``ORTH`` for case-sensitive tickers such as
    ``MOVE``), as spaCy's PhraseMatcher does, but from one dict keyed by the
    lowercase first token (longer patterns then by their second token): a Doc of
    narrex's skeleton tokenizer is a few hundred tokens, and one dict lookup per
    token is cheaper than the PhraseMatcher's per-call overhead and match objects.
    The token strings and their lowercase come from ``doc.user_data["narrex.words"]``
    and ``["narrex.lower"]`` when the tokenizer left them there (no pass over the Doc;
    the tokenizer lowercases each piece anyway). All matches at all lengths are found;
    the longest (in tokens) win, then the leftmost, and for one span the first
    registered pattern (LOWER before ORTH).

    Puts the longest non-overlapping matches in ``doc.user_data["narrex.gazetteer"]``
    as (start token, end token, type, canonical id) and, when ``set_ents`` (the
    default), also sets ``doc.ents`` with the type as label and the id as ``ent_id_``.
    (spaCy's ``entity_ruler`` does the same but filters overlaps in a quadratic
    loop, too slow here.) :func:`get_nlp` turns ``set_ents`` off: narrex reads the
    tuples, and building a Span per match was a tenth of the entity stage.
    """

    def __init__(self, nlp: Language, name: str, set_ents: bool = True):
        self.set_ents = set_ents
        # lowercase first token -> (label, id) when that is its one pattern (most tokens), else a _Bucket
        self._table: dict[str, tuple[str, str] | _Bucket] = {}
        buckets: dict[str, _Bucket] = {}
        for cs in (False, True):
            for pat in _patterns(case_sensitive=cs):
                lc = (pat["label"], pat["id"])
                seq = [t.orth_ if cs else t.lower_ for t in nlp.make_doc(pat["pattern"])]
                if not seq:
                    continue
                b = buckets.setdefault(seq[0].lower(), _Bucket())
                if cs:
                    orth = b.orth.setdefault(seq[0], [])
                    if (seq, len(seq), lc) not in orth:
                        orth.append((seq, len(seq), lc))
                elif len(seq) == 1:
                    if lc not in b.singles:
                        b.singles.append(lc)
                else:
                    longer = b.longer.setdefault(seq[1], [])
                    if (seq, len(seq), lc) not in longer:
                        longer.append((seq, len(seq), lc))
        for first, b in buckets.items():
            for orth in b.orth.values():
                orth.sort(key=lambda p: p[1] > 1)  # one-token patterns first (a stable sort), as in the LOWER case
            b.seal()
            lone = len(b.singles) == 1 and not b.longer and not b.orth
            self._table[first] = b.singles[0] if lone else b

    def __call__(self, doc: Doc) -> Doc:
        words, lows = doc.user_data.get("narrex.words"), doc.user_data.get("narrex.lower")
        if words is None or lows is None:  # a Doc from another tokenizer
            words = [t.orth_ for t in doc]
            lows = list(map(str.lower, words))
        table = self._table
        buckets = list(map(table.get, lows))  # the patterns starting with each token (None for most)
        n_tok = len(lows)
        matches: list[tuple[int, int, str, str]] = []
        # a match overlaps an earlier one iff it starts before the furthest end so far (far): ``over`` lists
        # those matches. Only a bucket makes a match longer than a token, or several at one token, so only
        # buckets move ``far`` beyond the next token; a lone one-token match just checks it.
        over: list[int] = []
        far = 0
        for i in compress(range(len(lows)), buckets):
            b = buckets[i]
            if b.__class__ is tuple:  # one one-token pattern (most hits)
                if i < far:
                    over.append(len(matches))
                matches.append((i, i + 1, *b))
            else:
                k = len(matches)
                if i + 1 < n_tok and lows[i + 1] in b.nexts:  # a longer pattern may continue
                    end = b.find(i, lows, words, matches)
                else:  # the one-token patterns of this token (find's answer, without its loops)
                    ones = b.ones.get(words[i], b.singles)
                    for lab, cid in ones:
                        matches.append((i, i + 1, lab, cid))
                    end = i + 1 if ones else 0
                over.extend(range(k if i < far else k + 1, len(matches)))  # all but its first overlap the first
                far = max(far, end)
        if over:
            # runs of overlapping matches (clusters) are resolved on their own, every other match stands
            clusters = []
            for j in over:  # consecutive overlapping matches extend the current cluster
                if clusters and clusters[-1][1] == j:
                    clusters[-1][1] = j + 1
                else:
                    clusters.append([j - 1, j + 1])
            for a, b in reversed(clusters):
                kept: list[tuple[int, int, str, str]] = []
                taken: set[int] = set()
                for m in sorted(matches[a:b], key=lambda m: (m[0] - m[1], m[0])):  # longest first, then leftmost
                    if taken.isdisjoint(range(m[0], m[1])):
                        taken.update(range(m[0], m[1]))
                        kept.append(m)
                kept.sort(key=lambda m: m[0])
                matches[a:b] = kept
        if self.set_ents:
            # "unmodified": no pass over existing annotation (the ents setter reads doc.ents back first)
            doc.set_ents([Span(doc, a, b, label=label, span_id=cid) for a, b, label, cid in matches], default="unmodified")
        doc.user_data["narrex.gazetteer"] = matches  # sorted by start, disjoint (cheaper to read back than doc.ents)
        return doc


@Language.component("narrex_discovery")
def _discovery_component(doc: Doc) -> Doc:
    """Adds ``doc.user_data["narrex_mentions"]``: gazetteer matches post-processed plus discovered entities."""
    from ._discovery import mentions_for_doc

    doc.user_data["narrex_mentions"] = mentions_for_doc(doc)
    return doc


def _patterns(case_sensitive: bool) -> list[dict]:
    """Phrase patterns of the gazetteer: the case-insensitive aliases, or the case-sensitive ones (tickers)."""
    gz = gazetteer()
    return [
        {"label": e.type, "pattern": form, "id": e.id}
        for e in gz.entries.values()
        for form, cs in gz.surface_forms(e)
        if cs == case_sensitive
    ]


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The narrex ``zh`` pipeline (built once): gazetteer tokenizer → narrex_gazetteer (token-sequence patterns) → narrex_discovery.

    Mentions are in ``doc.user_data["narrex_mentions"]``; ``doc.ents`` is left empty (see :class:`GazetteerMatcher`).
    """
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "narrex.gazetteer_tokenizer.v1"}}})
    nlp.add_pipe("narrex_gazetteer", config={"set_ents": False})  # narrex_discovery reads the match tuples
    nlp.add_pipe("narrex_discovery")
    return nlp
