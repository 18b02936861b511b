"""Entity mentions and linking.

``find_mentions`` runs the narrex spaCy pipeline (:mod:`extract.nlp`: gazetteer
tokenizer, ``entity_ruler`` fed from ``corpora/entities/gazetteer.tsv``, and the
``narrex_discovery`` rules) and returns one Mention per entity occurrence, each
linked to a canonical id. ``lookup`` resolves an id, name or alias in any script
or language (貝萊德 = 贝莱德 = BlackRock) to its Entity; entities discovered in
articles (not in the gazetteer) get an id derived from their normalized name and
are remembered for ``lookup`` in this process.
"""
from __future__ import annotations

from functools import lru_cache

from ._gazetteer import gazetteer, norm, to_simplified, to_traditional
from .records import Entity, Mention

__all__ = ["find_mentions", "lookup"]

_MAX_DISCOVERED = 200_000
_discovered: dict[str, Entity] = {}  # norm(id or surface) -> Entity, for entities found outside the gazetteer


def _remember(cid: str, typ: str, surface: str) -> None:
    key = norm(cid)
    ent = _discovered.get(key)
    if ent is None:
        if len(_discovered) >= _MAX_DISCOVERED:
            return
        ent = Entity(id=cid, name=cid, type=typ, aliases=[cid])
        _discovered[key] = ent
    if surface not in ent.aliases:
        ent.aliases.append(surface)
        _discovered.setdefault(norm(surface), ent)


def find_mentions(text: str) -> list[Mention]:
    """Entity mentions in ``text`` (offsets index ``text``), each linked to a canonical id.

    Returns Mentions sorted by start offset, non-overlapping; ``entity`` is the
    canonical id (gazetteer id, tenor-bond id such as ``JGB 40Y``, or an id derived
    from the name of a newly discovered entity), ``type`` its entity type.
    """
    if not text or not text.strip():
        return []
    from .nlp import get_nlp

    doc = get_nlp()(text)
    known = gazetteer().entries
    ments = doc.user_data.get("narrex_mentions", [])
    for s, e, cid, typ in [m for m in ments if m[2] not in known]:
        _remember(cid, typ, text[s:e])  # discovered entities, for lookup()
    return [Mention(text[s:e], s, e, cid, typ) for s, e, cid, typ in ments]


@lru_cache(maxsize=None)  # one per gazetteer id (a few hundred); every article looks its entities up
def _gazetteer_entity(cid: str) -> tuple[str, str, tuple[str, ...]]:
    """(id, type, aliases in every script) of a gazetteer entry."""
    e = gazetteer().entries[cid]
    aliases: list[str] = []
    for a in e.aliases:
        for f in (a, to_simplified(a), to_traditional(a)):
            if f not in aliases:
                aliases.append(f)
    return e.id, e.type, tuple(aliases)


def lookup(name: str) -> Entity | None:
    """The canonical entity for an id, name or alias in any script/case, or None when unknown.

    Returns an Entity whose ``aliases`` list the names in every script (as in the
    gazetteer, plus Simplified and Traditional forms).
    """
    if not name or not str(name).strip():
        return None
    name = str(name)
    e = gazetteer().get(name)
    if e is not None:
        cid, typ, aliases = _gazetteer_entity(e.id)
        return Entity(id=cid, name=cid, type=typ, aliases=list(aliases))  # a fresh list: callers may extend it
    found = _discovered.get(norm(name))
    if found is not None:
        return Entity(id=found.id, name=found.name, type=found.type, aliases=list(found.aliases))
    from ._discovery import tenor_entity

    t = tenor_entity(name)
    if t is not None:
        return Entity(id=t[0], name=t[0], type=t[1], aliases=[t[0]])
    return None
