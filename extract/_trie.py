"""Character tries compiled to regexes: the longest of many words at a position.

A flat alternation of ~1000 words makes ``re`` try every alternative at every character;
the trie form tests one branch per character (about 5x faster). Shared by the cleaner
(OpenCC phrases, boilerplate needles), the entity tokenizer and the claim cue lists.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

__all__ = ["char_trie", "trie_body", "trie_pattern", "key_scanner", "char_class"]


def char_trie(words: Iterable[str]) -> dict:
    """A nested dict per character; the key ``""`` marks where a word ends."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True
    return root


def trie_body(node: dict, emit: Callable[[str], str] = re.escape) -> str:
    """Regex for the words below ``node``, longer continuations before the end of a shorter word.

    ``emit`` writes one character (``re.escape``, or e.g. a ``[Aa]`` class for case-insensitive runs).
    """
    alts = []
    for ch in sorted(k for k in node if k):
        child, lit = node[ch], emit(ch)
        while len(child) == 1 and "" not in child:  # a chain: one literal run, no recursion
            (c2, child), = child.items()
            lit += emit(c2)
        alts.append(lit + trie_body(child, emit))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if "" in node:  # a word may end here: the longer continuation is optional (greedy, so longest wins)
        return ("(?:" + body + ")?") if len(alts) == 1 else body + "?"
    return body


def trie_pattern(words: Iterable[str], emit: Callable[[str], str] = re.escape) -> str:
    """A regex matching the longest of ``words`` (non-empty strings) at a position."""
    return trie_body(char_trie(words), emit)


def char_class(chars: Iterable[str]) -> str:
    """The body of a regex character class holding ``chars`` (escaped, sorted)."""
    return "".join(re.escape(c) for c in sorted(chars))


def key_scanner(keys: Iterable[str]) -> re.Pattern:
    """A regex whose ``finditer`` yields, at every position where one of ``keys`` starts, the longest
    key there as group 1 (one character consumed per match, so matches overlap).

    The regex engine skips in C to the keys' first characters; a look-ahead for a key's second
    character (or a one-character key) gates the trie, so most positions cost two set tests.
    """
    keys = list(keys)
    seconds = {k[1] for k in keys if len(k) > 1}
    singles = {k for k in keys if len(k) == 1}
    gate = ([f"(?=[{char_class(seconds)}])"] if seconds else []) + ([f"(?<=[{char_class(singles)}])"] if singles else [])
    firsts = char_class({k[0] for k in keys})
    return re.compile(f"[{firsts}](?:{'|'.join(gate)})(?<=(?=({trie_pattern(keys)})).)", re.S)
