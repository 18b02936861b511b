"""Walking causal claims: chains of claims where one claim's effect is the next one's cause.

Two claims chain when the effect of one and the cause of the other share enough
wording (character bigrams of the Simplified text: three or more, covering half
of the shorter side) or share an entity plus some wording (two bigrams, a fifth
of the shorter side). A lone generic word (波动性, 抛售) does not chain.

``ClaimIndex`` keeps the bigram sets and an inverted index per side, so a hop
looks only at claims sharing wording with the tip instead of every claim; bigrams
found in a large share of all claims (the 比特 of 比特币 in a bitcoin corpus) are
left out of the matching, as stop words are.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Optional

from .model import normalize_name
from .views import CausalChain, ClaimView

__all__ = ["ClaimIndex", "bigrams", "Query"]

_STRIP = re.compile(r"[\W_]+")
SIDES = ("cause", "effect")


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the normalized (Simplified, case-folded) text, punctuation removed."""
    return _grams(normalize_name(text or ""))


def _grams(norm: str) -> frozenset[str]:
    """``bigrams`` of a text already through ``normalize_name``."""
    s = _STRIP.sub("", norm)
    if len(s) < 2:
        return frozenset({s} if s else ())
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


class Query:
    """The start of a walk: an entity (with its aliases) or a phrase."""

    def __init__(self, entity: Optional[str] = None, aliases: Iterable[str] = (), phrase: str = "") -> None:
        self.entity = entity
        self.aliases = {normalize_name(a) for a in aliases if a and len(normalize_name(a)) >= 2}
        self.phrase = normalize_name(phrase) if phrase else ""
        self.grams = bigrams(phrase) if phrase else frozenset()

    def matches(self, text: str, ents: Iterable[str]) -> bool:
        """Does one side of a claim (its text and entities) name what the query asks about?"""
        return self._matches(normalize_name(text or ""), ents)

    def _matches(self, norm: str, ents: Iterable[str], grams: Optional[frozenset[str]] = None) -> bool:
        """``matches`` on the side's normalized text (and its bigrams, when the caller has them)."""
        if self.entity is not None and self.entity in ents:
            return True
        if any(a in norm for a in self.aliases):
            return True
        if self.phrase:
            if self.phrase in norm:
                return True
            if not self.grams:
                return False
            # most of the phrase must be there: 比特币清算 is not covered by a bare 比特币
            grams = _grams(norm) if grams is None else grams
            return len(grams & self.grams) / len(self.grams) >= 0.6
        return False


class ClaimIndex:
    """Claim views with per-side bigrams, entities and inverted indexes, built once per graph state."""

    def __init__(self, views: list[ClaimView]) -> None:
        self.views = views
        # normalized once per graph state: a query compares every claim side (OpenCC per text otherwise)
        self.norms = {s: [normalize_name(v.text(s) or "") for v in views] for s in SIDES}
        self.grams = {s: list(map(_grams, self.norms[s])) for s in SIDES}
        self.ents = {s: [frozenset(getattr(v, f"{s}_entities")) for v in views] for s in SIDES}
        n = len(views)
        self.postings: dict[str, dict[str, list[int]]] = {}
        for s in SIDES:
            post: dict[str, list[int]] = {}
            for i, gs in enumerate(self.grams[s]):
                for g in gs:
                    post.setdefault(g, []).append(i)
            self.postings[s] = post
        df: Counter = Counter()
        for s in SIDES:
            for g, p in self.postings[s].items():
                df[g] += len(p)
        # a stop bigram: in more than 5 % of all claim sides, counted only once the corpus is big enough
        limit = max(50, int(0.05 * 2 * n))
        self.stop = frozenset(g for g, c in df.items() if c > limit)

    def _informative(self, gs: frozenset[str]) -> frozenset[str]:
        return gs - self.stop if self.stop else gs

    def next_hops(self, i: int, from_side: str, to_side: str) -> list[int]:
        """Claims whose ``to_side`` continues claim ``i``'s ``from_side`` (see the module docstring)."""
        tg = self._informative(self.grams[from_side][i])
        if not tg:
            return []
        te = self.ents[from_side][i]
        counts: Counter = Counter()
        post = self.postings[to_side]
        for g in tg:
            for j in post.get(g, ()):
                counts[j] += 1
        out = []
        for j, shared in counts.items():
            if j == i or shared < 2:
                continue
            cg = self._informative(self.grams[to_side][j])
            sim = shared / max(1, min(len(tg), len(cg)))
            if (shared >= 3 and sim >= 0.5) or (te & self.ents[to_side][j] and sim >= 0.2):
                out.append(j)
        out.sort()
        return out

    def walk(self, query: Query, side: str, depth: int, allowed: list[bool], max_chains: int) -> list[CausalChain]:
        """Chains ending (side="effect") or starting (side="cause") at the query, up to ``depth`` claims."""
        other = "cause" if side == "effect" else "effect"
        norms, grams, ents = self.norms[side], self.grams[side], self.ents[side]
        frontier = [[i] for i in range(len(self.views)) if allowed[i] and query._matches(norms[i], ents[i], grams[i])]
        chains = list(frontier[:max_chains])
        for _ in range(max(0, depth - 1)):
            if len(chains) >= max_chains:
                break
            nxt = []
            for path in frontier:
                for j in self.next_hops(path[-1], other, side):
                    if allowed[j] and j not in path:
                        nxt.append(path + [j])
                        if len(chains) + len(nxt) >= max_chains:
                            break
                if len(chains) + len(nxt) >= max_chains:
                    break
            chains.extend(nxt)
            frontier = nxt
            if not frontier:
                break
        out = []
        for p in chains[:max_chains]:
            steps = [self.views[i] for i in p]
            out.append(CausalChain(list(reversed(steps)) if side == "effect" else steps))
        return out
