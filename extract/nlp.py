"""The spaCy pipeline used for entity matching: blank ``zh`` with a gazetteer-aware tokenizer and rule components.

Why a custom tokenizer: spaCy's ``zh`` tokenizer either segments every character
(``char``: ~20k tokens per article, slow to build) or runs jieba's HMM over the
whole text (as slow as ``jieba.lcut``). Narrex must run at several times jieba's
throughput, so the registered ``narrex.gazetteer_tokenizer.v1`` does one regex
pass: every gazetteer word (and every Chinese piece of a multi-word alias) is
one token, so 比特币 and 芝商所 stay whole; Latin words, digit runs and
punctuation are their own tokens; the Chinese text between gazetteer words stays
in one chunk. The built-in ``entity_ruler`` then matches the gazetteer as phrase
patterns (``LOWER``, so Latin aliases are case-insensitive) or token patterns
(``ORTH``, for case-sensitive tickers such as ``MOVE``), and the registered
``narrex_discovery`` component adds what the gazetteer does not know (see
:mod:`extract._discovery`).
"""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from ._gazetteer import gazetteer

__all__ = ["get_nlp", "GazetteerTokenizer", "CJK"]

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_GAP = re.compile(rf"[A-Za-z]+|[0-9]+| +|\s|[{CJK}]+|.", re.S)
_CJK_RUN = re.compile(rf"[{CJK}]+")


def _segmenter_words() -> list[str]:
    """Chinese words the tokenizer keeps whole: pure-Chinese aliases, and the pieces of mixed aliases.

    A Chinese run inside a mixed alias ("美国现货 ETF") is split by forward maximum
    matching on the pure aliases (美国 | 现货) so that 美国 still stands alone elsewhere.
    """
    gz = gazetteer()
    pure: set[str] = set()
    mixed_runs: set[str] = set()
    for e in gz.entries.values():
        for form, _cs in gz.surface_forms(e):
            runs = _CJK_RUN.findall(form)
            if len(runs) == 1 and runs[0] == form:
                pure.add(form)
            else:
                mixed_runs.update(runs)
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
    return sorted(words, key=lambda w: (-len(w), w))


class GazetteerTokenizer:
    """Regex tokenizer: gazetteer words whole, Latin/digit runs, punctuation, Chinese chunks between."""

    def __init__(self, vocab, words: list[str]):
        self.vocab = vocab
        self.words = words
        self._word_re = re.compile("|".join(map(re.escape, words))) if words else None

    def _pieces(self, text: str):
        pos = 0
        if self._word_re is not None:
            for m in self._word_re.finditer(text):
                if m.start() > pos:
                    yield from _GAP.findall(text, pos, m.start())
                yield m.group()
                pos = m.end()
        if pos < len(text):
            yield from _GAP.findall(text, pos)

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for w in self._pieces(text):
            if w[0] == " ":
                # one space after a token is that token's trailing whitespace (spaCy's convention)
                if words and not spaces[-1] and not words[-1].isspace():
                    spaces[-1] = True
                    w = w[1:]
                if not w:
                    continue
            words.append(w)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

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
        return GazetteerTokenizer(nlp.vocab, _segmenter_words())

    return make


@Language.component("narrex_discovery")
def _discovery_component(doc: Doc) -> Doc:
    """Adds ``doc.user_data["narrex_mentions"]``: gazetteer matches post-processed plus discovered entities."""
    from ._discovery import mentions_for_doc

    doc.user_data["narrex_mentions"] = mentions_for_doc(doc)
    return doc


def _patterns() -> list[dict]:
    gz = gazetteer()
    pats: list[dict] = []
    for e in gz.entries.values():
        for form, cs in gz.surface_forms(e):
            if cs:
                toks = [{"ORTH": t} for t in _GAP.findall(form) if not t.isspace()]
                pats.append({"label": e.type, "pattern": toks, "id": e.id})
            else:
                pats.append({"label": e.type, "pattern": form, "id": e.id})
    return pats


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The narrex ``zh`` pipeline (built once): gazetteer tokenizer → entity_ruler → narrex_discovery."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "narrex.gazetteer_tokenizer.v1"}}})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "validate": False, "overwrite_ents": True})
    ruler.add_patterns(_patterns())
    nlp.add_pipe("narrex_discovery")
    return nlp
