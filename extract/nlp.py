"""The spaCy pipeline used for entity matching: blank ``zh`` with a gazetteer-aware tokenizer and rule components.

Why a custom tokenizer: spaCy's ``zh`` tokenizer either segments every character
(``char``: ~20k tokens per article, slow to build) or runs jieba's HMM over the
whole text (as slow as ``jieba.lcut``). Narrex must run at several times jieba's
throughput, so the registered ``narrex.gazetteer_tokenizer.v1`` does one regex
pass: every gazetteer word (and every Chinese piece of a multi-word alias) is
one token, so 比特币 and 芝商所 stay whole; Latin words, digit runs and
symbols that occur in aliases are their own tokens; all other text becomes a
placeholder token (see :class:`GazetteerTokenizer`). The registered
``narrex_gazetteer`` component matches the gazetteer with two PhraseMatchers
(``LOWER``, so Latin aliases are case-insensitive; ``ORTH`` for case-sensitive
tickers such as ``MOVE``), and the registered ``narrex_discovery`` component adds what the gazetteer does not know (see
:mod:`extract._discovery`).
"""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from ._gazetteer import gazetteer, trie_pattern

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
    """

    def __init__(self, vocab, words: list[str], others: set[str]):
        self.vocab = vocab
        self.others = others
        # two passes: one regex for the Chinese words, one for Latin/digits/symbols (joined, re loses its fast path)
        self._word_re = re.compile(trie_pattern(words)) if words else None
        symbols = "".join(sorted(c for c in _SYMBOLS if c in others))  # only symbols that occur in aliases
        self._other_re = re.compile(rf"[A-Za-z]+|[0-9]+" + (f"|[{re.escape(symbols)}]" if symbols else ""))

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        offsets: list[tuple[int, int]] = []
        others = self.others
        pos = 0  # end of the last token or gap emitted
        hits = [(m.start(), m.end(), m.group()) for m in self._other_re.finditer(text) if m.group().lower() in others]
        if self._word_re is not None:
            hits.extend((m.start(), m.end(), m.group()) for m in self._word_re.finditer(text))
            hits.sort()
        for s, e, tok in hits:  # anything between two hits is a gap
            if s > pos:
                if s - pos == 1 and text[pos] == " " and words and words[-1] != GAP:
                    spaces[-1] = True
                else:
                    words.append(GAP)
                    spaces.append(False)
                    offsets.append((pos, s))
            words.append(tok)
            spaces.append(False)
            offsets.append((s, e))
            pos = e
        if pos < len(text):
            words.append(GAP)
            spaces.append(False)
            offsets.append((pos, len(text)))
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["narrex.text"] = text
        doc.user_data["narrex.offsets"] = offsets
        return doc

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


@Language.factory("narrex_gazetteer", default_config={"set_ents": True})
class GazetteerMatcher:
    """Rule component: the gazetteer as two PhraseMatchers (LOWER for aliases, ORTH for case-sensitive tickers).

    Puts the longest non-overlapping matches in ``doc.user_data["narrex.gazetteer"]``
    as (start token, end token, type, canonical id) and, when ``set_ents`` (the
    default), also sets ``doc.ents`` with the type as label and the id as ``ent_id_``.
    (spaCy's ``entity_ruler`` does the same but filters overlaps in a quadratic
    loop, too slow here.) :func:`get_nlp` turns ``set_ents`` off: narrex reads the
    tuples, and building a Span per match was a tenth of the entity stage.
    """

    def __init__(self, nlp: Language, name: str, set_ents: bool = True):
        from spacy.matcher import PhraseMatcher

        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        groups: dict[tuple[bool, str], list] = {}
        for pat in _patterns(case_sensitive=False):
            groups.setdefault((False, pat["label"] + "\t" + pat["id"]), []).append(pat["pattern"])
        for pat in _patterns(case_sensitive=True):
            groups.setdefault((True, pat["label"] + "\t" + pat["id"]), []).append(pat["pattern"])
        for (cs, key), forms in groups.items():
            docs = [nlp.make_doc(f) for f in forms]
            (self.orth if cs else self.lower).add(key, docs)
        self.strings = nlp.vocab.strings
        self.set_ents = set_ents
        self._keys: dict[int, tuple[str, str]] = {}  # match key -> (label, id), split once

    def __call__(self, doc: Doc) -> Doc:
        matches = self.lower(doc) + self.orth(doc)
        matches.sort(key=lambda m: (m[1] - m[2], m[1]))  # longest first, then leftmost
        taken = bytearray(len(doc))
        spans = []
        keys = self._keys
        for key, start, end in matches:
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            lc = keys.get(key)
            if lc is None:
                lc = keys[key] = tuple(self.strings[key].split("\t", 1))
            spans.append((start, end, *lc))
        spans.sort()
        if self.set_ents:
            # "unmodified": no pass over existing annotation (the ents setter reads doc.ents back first)
            doc.set_ents([Span(doc, a, b, label=label, span_id=cid) for a, b, label, cid in spans], default="unmodified")
        doc.user_data["narrex.gazetteer"] = spans  # the same matches as plain tuples (cheaper to read back than doc.ents)
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
    """The narrex ``zh`` pipeline (built once): gazetteer tokenizer → narrex_gazetteer (PhraseMatchers) → narrex_discovery.

    Mentions are in ``doc.user_data["narrex_mentions"]``; ``doc.ents`` is left empty (see :class:`GazetteerMatcher`).
    """
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "narrex.gazetteer_tokenizer.v1"}}})
    nlp.add_pipe("narrex_gazetteer", config={"set_ents": False})  # narrex_discovery reads the match tuples
    nlp.add_pipe("narrex_discovery")
    return nlp
