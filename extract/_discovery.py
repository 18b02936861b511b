"""Rules run after the gazetteer match: post-processing of gazetteer hits and discovery of new entities.

All cue lists come from ``corpora/entities/``. A mention here is a tuple
``(start, end, id, type)`` with offsets into the document text.

- unit suppression: 美元 in "5 亿美元" is a unit, not a mention of the dollar;
- context switch: 纳斯达克 next to price words is the index, not the exchange;
- tenor bonds: "10 年期美债收益率", "40年期JGB收益率" → ``US 10Y Treasury``, ``JGB 40Y``;
- discovery: @handles, Latin names and tickers, "<title> <name>" people, "<name><org suffix>" organisations;
- linking inside the document: a bare surname goes to the full name seen earlier, a generic term
  (套息交易) to the one specific child seen in the same document (日元套息交易).
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Iterable

from ._gazetteer import gazetteer, read_lines, read_tsv, to_simplified

__all__ = ["mentions_for_doc", "find_extra", "tenor_entity", "Mention4"]

Mention4 = tuple[int, int, str, str]  # (start, end, id, type)

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HANDLE = re.compile(r"(?<![A-Za-z0-9_.@])@[A-Za-z0-9_]{2,30}")
# the lookbehind follows the first capital (a leading lookbehind costs re its fast skip to [A-Z])
_LATIN_NAME = re.compile(r"[A-Z](?<![A-Za-z0-9@#/_.-][A-Z])[A-Za-z0-9]*(?:[&'.-][A-Za-z0-9]+)*(?: [A-Z][A-Za-z0-9]*(?:[&'.-][A-Za-z0-9]+)*){0,3}(?![A-Za-z0-9_])")
_LOWER_WORD = re.compile(r"[a-z]{2,}")
_SCALE_BEFORE = re.compile(r"[0-9０-９亿億万萬千百十兆kKmMbB%.][ \u00a0]?$")
_CLAUSE_END = re.compile(r"[，,；;。！？!?\n：:（）()]")
_NUM_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "五": 5, "七": 7, "十": 10, "二十": 20, "三十": 30, "四十": 40, "五十": 50}


@lru_cache(maxsize=1)
def _lex() -> dict:
    """All discovery lexicons, loaded once."""
    titles = sorted(read_lines("entities", "titles.tsv"), key=len, reverse=True)
    suffix_rows = [r + [""] * (3 - len(r)) for r in read_tsv("entities", "org_suffixes.tsv")]
    cjk_suffix = {s: t for s, t, _ in suffix_rows if re.match(rf"[{CJK}]", s)}
    latin_suffix = {s.lower(): t for s, t, _ in suffix_rows if not re.match(rf"[{CJK}]", s)}
    continuations = {s: tuple(c for c in cont.split("|") if c) for s, _, cont in suffix_rows}
    tenor_rows = read_tsv("entities", "tenor_bonds.tsv")
    tenor_cues: dict[str, str] = {}
    default_tpl = "US {n}Y Treasury"
    for cues, tpl, dflt in tenor_rows:
        for c in cues.split("|"):
            tenor_cues[c.lower()] = tpl
        if dflt == "1":
            default_tpl = tpl
    cue_alt = "|".join(sorted(map(re.escape, tenor_cues), key=len, reverse=True))
    ctx = {}
    for row in read_tsv("entities", "context_switch.tsv"):
        row = row + [""] * (5 - len(row))
        ctx[row[0].lower()] = (row[1], row[2], [c for c in row[3].split("|") if c], [c for c in row[4].split("|") if c])
    return {
        "titles": titles,
        "title_re": re.compile(
            "(?:" + "|".join(map(re.escape, titles)) + r")\s*"
            r"(?!表示|认为|指出|称|说|预计|预测|写道|强调|警告|也|则|曾|在|的|对|将|已|是|等|们)"
            rf"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){{1,2}}|[{CJK}]{{1,4}}·[{CJK}]{{1,6}}|[{CJK}]{{2,3}})"
            r"(?=\s*(?:表示|认为|指出|称|说|预计|预测|写道|强调|警告|在|也|则|曾|，|,|。|：|:))"
        ),
        "cjk_suffix": cjk_suffix,
        "continuations": continuations,
        "cjk_suffix_re": re.compile("|".join(sorted(map(re.escape, cjk_suffix), key=len, reverse=True))),
        "latin_suffix": latin_suffix,
        "generic": set(read_lines("entities", "generic_modifiers.txt")),
        "stop": {w.lower() for w in read_lines("entities", "latin_stopwords.txt")},
        "unit_assets": set(read_lines("entities", "unit_assets.txt")),
        "tenor_cues": tenor_cues,
        "tenor_default": default_tpl,
        "tenor_cue_re": re.compile(cue_alt, re.I),
        "tenor_re": re.compile(
            rf"(?P<n>\d{{1,2}}|二十|三十|四十|五十|十|两|二|三|五|七)\s*年期\s*"
            rf"(?P<c>{cue_alt})?\s*"
            r"(?P<k>国债|公债|政府债券|政府债|债券|债|JGB|JGBs|Treasury|Treasuries)?\s*"
            r"(?P<y>收益率|殖利率|利率)?",
            re.I,
        ),
        "ctx": ctx,
    }


def tenor_entity(name: str) -> tuple[str, str] | None:
    """(id, type) when ``name`` is a tenor-bond id such as ``JGB 40Y`` or ``US 10Y Treasury``."""
    lex = _lex()
    for tpl in set(lex["tenor_cues"].values()) | {lex["tenor_default"]}:
        pat = "^" + re.escape(tpl).replace(r"\{n\}", r"(\d{1,2})") + "$"
        if re.match(pat, name.strip(), re.I):
            return tpl.replace("{n}", re.match(pat, name.strip(), re.I).group(1)), "INDICATOR"
    return None


def _line_bounds(text: str, i: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, i) + 1
    b = text.find("\n", i)
    return a, (len(text) if b < 0 else b)


def _clause(text: str, s: int, e: int) -> str:
    a = s
    while a > 0 and not _CLAUSE_END.match(text[a - 1]) and s - a < 60:
        a -= 1
    b = e
    while b < len(text) and not _CLAUSE_END.match(text[b]) and b - e < 60:
        b += 1
    return text[a:b]


def _tenor_mentions(text: str) -> list[Mention4]:
    if "年期" not in text:  # every tenor bond names 年期; the pattern itself has no fast prefix
        return []
    lex = _lex()
    out = []
    for m in lex["tenor_re"].finditer(text):
        if not (m.group("k") or m.group("y") or m.group("c")):
            continue  # "10 年期" alone is a tenor, not a bond
        n = m.group("n")
        n = int(n) if n.isdigit() else _NUM_CN[n]
        cue = m.group("c")
        if cue is None:
            # issuer named just before ("美国 10 年期", "日本30年期"), else the nearest cue earlier on the line
            a, _ = _line_bounds(text, m.start())
            prev = list(lex["tenor_cue_re"].finditer(text, a, m.start()))
            cue = prev[-1].group() if prev else None
        tpl = lex["tenor_cues"].get(cue.lower(), lex["tenor_default"]) if cue else lex["tenor_default"]
        end = m.end()
        while end > m.start() and text[end - 1].isspace():
            end -= 1
        out.append((m.start(), end, tpl.replace("{n}", str(n)), "INDICATOR" if m.group("y") else "ASSET"))
    return out


class _Taken:
    """Character occupancy of a text: which offsets already belong to a mention (O(span) checks, not O(mentions))."""

    def __init__(self, n: int, spans: Iterable[tuple[int, int]] = ()):
        self.occ = bytearray(n + 1)
        for a, b in spans:
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        self.occ[a:b] = b"\x01" * max(0, b - a)

    def append(self, span: tuple[int, int]) -> None:
        self.add(*span)

    def hits(self, a: int, b: int) -> bool:
        return any(self.occ[a:b])


def _overlaps(s: int, e: int, spans) -> bool:
    if isinstance(spans, _Taken):
        return spans.hits(s, e)
    return any(s < b and a < e for a, b in spans)


def _latin_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention4]:
    lex = _lex()
    stop = lex["stop"]
    out = []
    for m in _LATIN_NAME.finditer(text):
        s, e, name = m.start(), m.end(), m.group()
        if _overlaps(s, e, taken):
            continue
        words = name.split(" ")
        while words and words[0].lower() in stop:
            s += len(words[0]) + 1
            words = words[1:]
        while words and words[-1].lower() in stop:
            e -= len(words[-1]) + 1
            words = words[:-1]
        if not words:
            continue
        name = " ".join(words)
        if len(name) < 2 or name.isdigit():
            continue
        # inside English prose ("... and Prime Services"): not a name we can type safely
        before = text[max(0, s - 12):s]
        after = text[e:e + 12]
        if _LOWER_WORD.search(before.split(" ")[-2] if before.endswith(" ") and len(before.split(" ")) > 1 else "") or (
            after.startswith(" ") and _LOWER_WORD.match(after[1:])
        ):
            if not name.isupper():
                continue
        last = words[-1].lower()
        if len(words) > 1 and last in lex["latin_suffix"]:
            typ = lex["latin_suffix"][last]
        elif 2 <= len(words) <= 3 and all(re.fullmatch(r"[A-Z][a-z]+", w) for w in words):
            typ = "PERSON"
        else:
            typ = "ORG"
        out.append((s, e, name, typ))
    return out


def _title_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention4]:
    out = []
    for m in _lex()["title_re"].finditer(text):
        s, e = m.span("name")
        if not _overlaps(s, e, taken):
            out.append((s, e, to_simplified(m.group("name")), "PERSON"))
    return out


_BOUNDARY_FLAGS = {"a", "ad", "an", "d", "m", "mq", "q", "r", "p", "c", "u", "uj", "ul", "uz", "ud", "f", "t", "s", "v", "vd", "vn", "y", "e", "o", "z", "zg", "b"}


def _name_before(window: str, lex: dict) -> str | None:
    """The proper name that ends ``window`` (2-6 chars), or None when the words before the suffix are generic.

    Tokens are walked back from the end until a function word, a generic modifier
    (对冲, 养老, 多策略 …) or a common word of a non-noun class; single characters
    are kept because jieba splits unknown names (高瓴) into them.
    """
    import jieba  # only on the few short windows that end in an org suffix

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict ..." chatter on the user's stderr
    import jieba.posseg as pseg

    tags = pseg.dt.word_tag_tab  # jieba's dictionary POS tags; unknown words have none
    # no HMM: unknown names come out as single characters, which the walk below keeps (HMM costs ~50x more)
    toks = jieba.lcut(window, HMM=False)
    name = ""
    for w in reversed(toks):
        flag = tags.get(w, "x")
        if not re.fullmatch(rf"[{CJK}]+", w) or w in lex["generic"]:
            break
        if any(g in w + name for g in lex["generic"] if len(g) > 1):
            return None  # 多+策略: a generic modifier split by the segmenter
        if len(w) > 1 and flag in _BOUNDARY_FLAGS:
            break
        if len(w) == 1 and flag in {"uj", "ul", "p", "c", "r", "m", "q", "d", "f", "v", "u"}:
            break
        if len(name) + len(w) > 6:
            return None
        name = w + name
    if len(name) < 2 or name in lex["generic"]:
        return None
    return name


def _org_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention4]:
    lex = _lex()
    out = []
    for m in lex["cjk_suffix_re"].finditer(text):
        s = m.start()
        if _overlaps(s, m.end(), taken):
            continue
        if text.startswith(lex["continuations"].get(m.group(), ()) or ("\0",), m.end()):
            continue  # 资本开支, 银行股: the suffix starts a common word
        window = text[max(0, s - 12):s]
        window = _CLAUSE_END.split(window)[-1]
        if not window.strip() or window[-1] in "的了在和与及或是为对被把将从向等之其该某各这那":
            continue  # 总部位于香港的基金: a function word before the suffix, no name
        if window[-2:] in lex["generic"] or window[-3:] in lex["generic"]:
            continue  # 对冲基金, 多策略基金: generic
        latin = re.search(r"([A-Z][A-Za-z0-9&.-]*(?: [A-Z][A-Za-z0-9&.-]*){0,2}) ?$", window)
        if latin:
            if latin.group(1).lower() in lex["stop"]:
                continue
            start = s - len(latin.group(0))
        else:
            name = _name_before(window, lex)
            if not name:
                continue
            start = s - len(name)
        if _overlaps(start, m.end(), taken):
            continue
        name = to_simplified(text[start:m.end()].strip())
        out.append((start, m.end(), name, lex["cjk_suffix"][m.group()]))
    return out


def find_extra(text: str, taken: list[tuple[int, int]]) -> list[Mention4]:
    """Entities the gazetteer does not know, outside the ``taken`` spans: handles, Latin names, titled people, orgs."""
    out: list[Mention4] = []
    spans = _Taken(len(text), taken)
    for m in _HANDLE.finditer(text) if "@" in text else ():
        if not _overlaps(m.start(), m.end(), spans):
            out.append((m.start(), m.end(), m.group(), "PERSON"))
            spans.append(m.span())
    for finder in (_title_mentions, _org_mentions, _latin_mentions):
        for t in finder(text, spans):
            if not _overlaps(t[0], t[1], spans):
                out.append(t)
                spans.append((t[0], t[1]))
    return out


def _postprocess_gazetteer(text: str, ents: list[Mention4]) -> list[Mention4]:
    lex = _lex()
    out = []
    for s, e, cid, typ in ents:
        if cid in lex["unit_assets"] and _SCALE_BEFORE.search(text[max(0, s - 2):s]):
            continue  # "5 亿美元": a unit
        sw = lex["ctx"].get(text[s:e].lower())
        if sw:
            clause = _clause(text, s, e)
            alt_id, alt_type, cues, blocks = sw
            if any(c in clause for c in cues) and not any(b in clause for b in blocks):
                cid, typ = alt_id, alt_type
        out.append((s, e, cid, typ))
    return out


def _link_in_document(ments: list[Mention4]) -> list[Mention4]:
    gz = gazetteer()
    ids = {m[2] for m in ments}
    # a generic term goes to its one specific child mentioned in the same document
    relink = {}
    for generic, specific in gz.narrows.items():
        present = [k for k in specific if k in ids]
        if generic in ids and len(present) == 1:
            relink[generic] = present[0]
    # a bare surname goes to the person named in full in the same document
    surnames: dict[str, tuple[str, str]] = {}
    for s, e, cid, typ in ments:
        if typ == "PERSON" and " " in cid:
            surnames.setdefault(cid.split(" ")[-1], (cid, typ))
    out = []
    for s, e, cid, typ in ments:
        if cid in relink:
            cid = relink[cid]
            typ = gz.entries[cid].type
        elif cid in surnames and cid not in gz.entries:
            cid, typ = surnames[cid]
        out.append((s, e, cid, typ))
    return out


def mentions_for_doc(doc) -> list[Mention4]:
    """All mentions of a processed spaCy Doc: gazetteer hits (post-processed), tenor bonds, discovered entities."""
    text = doc.user_data.get("narrex.text")
    if text is None:  # a Doc from another tokenizer: its text is the real text
        text = doc.text
    offs = doc.user_data.get("narrex.offsets")
    matches = doc.user_data.get("narrex.gazetteer")
    if offs is None or matches is None:
        gaz = [(ent.start_char, ent.end_char, ent.ent_id_, ent.label_) for ent in doc.ents]
    else:
        gaz = [(offs[a][0], offs[b - 1][1], cid, label) for a, b, label, cid in matches]
    gaz = _postprocess_gazetteer(text, gaz)
    tenor = _tenor_mentions(text)
    if tenor:  # a tenor bond wins over the gazetteer words inside it
        tk = _Taken(len(text), [(t[0], t[1]) for t in tenor])
        gaz = [g for g in gaz if not tk.hits(g[0], g[1])]
    base = sorted(gaz + tenor)
    extra = find_extra(text, [(m[0], m[1]) for m in base])
    return _link_in_document(sorted(base + extra))
