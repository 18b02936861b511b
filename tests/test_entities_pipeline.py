"""The fast paths of the entity pipeline agree with their plain definitions.

- the tokenizer's numpy candidate scan gives the same tokens as one regex split of the text;
- the first-token pattern matcher (longer patterns indexed by their second token) gives the same
  matches as spaCy's PhraseMatcher (LOWER + ORTH, longest first, then leftmost);
- tenor bonds found around each 年期 are the matches ``finditer`` finds;
- the discovery regexes with their lookbehind moved after the first character find what the plain ones find.
"""
from __future__ import annotations

import random

import pytest

from extract._discovery import _HANDLE, _lex, _tenor_matches
from extract._gazetteer import gazetteer, to_traditional
from extract.nlp import GAP, _patterns, get_nlp

_TEXTS = [
    "据彭博报道，贝莱德旗下 IBIT 周四净流出 3.7 亿美元，芝商所比特币期货未平仓合约下降。",
    "美国现货比特币 ETF 与美国现货 ETF、比特币ETF、比特币  ETF 以及 SPDR S&P 500 ETF 和 spdr s&p 500 etf。",
    "Société Générale 与 Soci的t，g。n？rale；日銀、BoJ、BOJ 和 boj，MOVE 指数与 move。",
    "10 年期美债收益率升至 4.5%，日本30年期国债收益率、40年期JGB收益率，二十年期，10年期20年期。",
    "纳斯达克指数下跌，纳斯达克上市规则放宽；Nasdaq 收跌。ARK 21Shares Bitcoin ETF 与 21 Shares。",
    "",
    " ",
    "…比特币…",
    "K\u212aİ ETF İETF ETFs ETF",
]


def _corpus_texts() -> list[str]:
    from bench.corpus import source_articles

    texts = [t for _, t in source_articles()][:6]
    rng = random.Random(3)
    out = list(_TEXTS)
    for t in texts:
        out += [t, to_traditional(t), t.upper(), t.lower(), t.replace(" ", "")]
        for _ in range(20):
            a = rng.randrange(len(t))
            out.append(t[a:a + rng.choice((3, 40, 300))])
    gz = gazetteer()
    forms = [f for e in gz.entries.values() for f, _ in gz.surface_forms(e)]
    for _ in range(200):
        out.append(rng.choice(["", " ", "的", "\n"]).join(rng.choice(forms) for _ in range(rng.randint(1, 5))))
    return out


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _corpus_texts()


def test_numpy_scan_gives_the_same_tokens_as_the_regex_split(texts):
    tok = get_nlp().tokenizer
    if tok._tables is None:
        pytest.skip("numpy missing: only the split path runs")
    for t in texts:
        assert tok._pieces_np(t)[:4] == tok._pieces_split(t), t[:80]
        words, _, _, lows, _ = tok._pieces_np(t)
        assert lows == [w.lower() for w in words], t[:80]  # the matcher's LOWER values


def test_pattern_matcher_agrees_with_spacy_phrasematcher(texts):
    from spacy.matcher import PhraseMatcher

    nlp = get_nlp()
    lower, orth = PhraseMatcher(nlp.vocab, attr="LOWER"), PhraseMatcher(nlp.vocab, attr="ORTH")
    for cs, pm in ((False, lower), (True, orth)):
        groups: dict[str, list] = {}
        for p in _patterns(case_sensitive=cs):
            groups.setdefault(p["label"] + "\t" + p["id"], []).append(nlp.make_doc(p["pattern"]))
        for key, docs in groups.items():
            pm.add(key, docs)
    ours = nlp.get_pipe("narrex_gazetteer")
    for t in texts:
        doc = nlp.make_doc(t)
        ms = sorted(lower(doc) + orth(doc), key=lambda m: (m[1] - m[2], m[1]))
        taken, want = set(), []
        for key, a, b in ms:
            if taken.isdisjoint(range(a, b)):
                taken.update(range(a, b))
                want.append((a, b, *nlp.vocab.strings[key].split("\t", 1)))
        assert ours(doc).user_data["narrex.gazetteer"] == sorted(want), t[:80]
        # a Doc without the tokenizer's word list (another tokenizer's Doc): the token strings are read from the Doc
        plain = nlp.make_doc(t)
        del plain.user_data["narrex.words"], plain.user_data["narrex.lower"]
        assert ours(plain).user_data["narrex.gazetteer"] == sorted(want), t[:80]


def test_gap_token_never_comes_from_text():
    # the placeholder character itself in the text: it is gap text, never mistaken for a piece
    text = "a…b 比特币…ETF"
    doc = get_nlp().make_doc(text)
    offsets = doc.user_data["narrex.offsets"]
    assert [t.text for t in doc if t.text != GAP] == ["a", "比特币", "ETF"]
    for tok, (a, b) in zip(doc, offsets):
        if tok.text != GAP:
            assert text[a:b] == tok.text
    # tokens in text order, disjoint; the last gap stays
    assert all(a < b <= c for (a, b), (c, _) in zip(offsets, offsets[1:]))
    assert offsets[0][0] == 0 and offsets[-1][1] == len(text)
    # with every gap and piece a token, gaps and pieces tile the text
    from extract.nlp import _EVERYTHING

    tok = get_nlp().tokenizer
    kept = tok._gap_after, tok._starters
    tok._gap_after, tok._starters = _EVERYTHING, _EVERYTHING
    try:
        offsets = tok(text).user_data["narrex.offsets"]
    finally:
        tok._gap_after, tok._starters = kept
    assert [a for a, _ in offsets[1:]] == [b for _, b in offsets[:-1]]
    assert offsets[0][0] == 0 and offsets[-1][1] == len(text)


@pytest.mark.parametrize("text", _TEXTS + ["年期", "1年期", "１２年期国债", "123年期", " 5 \n 年期债 年期 10年期收益率", "七年期七年期美债"])
def test_tenor_matches_are_finditer_matches(text):
    rx = _lex()["tenor_re"]
    assert [m.span() for m in _tenor_matches(text, rx)] == [m.span() for m in rx.finditer(text)]


def _full_doc(tok, t: str):
    """The plain Doc, built here from the regex split: every piece a token, every gap a GAP token (but one space
    between two pieces, which is trailing whitespace)."""
    from spacy.tokens import Doc

    parts = tok._split(t)
    words, spaces, offsets = [], [], []
    pos = 0
    for i, p in enumerate(parts):
        if p and i % 2 == 0 and p == " " and 0 < i < len(parts) - 1:
            spaces[-1] = True
        elif p:
            words.append(p if i % 2 else GAP)
            spaces.append(False)
            offsets.append((pos, pos + len(p)))
        pos += len(p)
    doc = Doc(tok.vocab, words=words, spaces=spaces)
    doc.user_data.update({"narrex.words": words, "narrex.lower": [w.lower() for w in words], "narrex.offsets": offsets})
    return doc


def test_leaving_out_gaps_and_pieces_that_are_in_no_match_changes_no_match(texts):
    """The Doc keeps a gap token only between pieces that are neighbours in some pattern (or before a gap in one),
    and a piece only when it starts a pattern or follows the piece before in one; the matches (as text
    spans) are those of a Doc with every gap and piece a token."""
    from extract.nlp import _EVERYTHING

    nlp = get_nlp()
    tok, gz = nlp.tokenizer, nlp.get_pipe("narrex_gazetteer")
    assert tok._gap_after is not _EVERYTHING and "etf" in tok._gap_after["比特币"]  # 比特币 ETF
    assert tok._starters is not _EVERYTHING and "etf" not in tok._starters and "比特币" in tok._starters

    def spans(doc):
        doc = gz(doc)
        offs = doc.user_data["narrex.offsets"]
        return [(offs[a][0], offs[b - 1][1], label, cid) for a, b, label, cid in doc.user_data["narrex.gazetteer"]]

    extra = ["比特币…ETF", "比特币（ETF）", "Soci…t…G…n…rale", "S&P…500", "ETF比特币。ETF", "事件 比特币 ETF ETF 比特币ETF"]
    left_out = 0
    for t in texts + extra + _real_texts()[:30]:
        doc, full = tok(t), _full_doc(tok, t)
        left_out += len(full) - len(doc)
        assert spans(doc) == spans(full), t[:80]
    assert left_out > 1000


def _real_texts() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    return [p.read_text(encoding="utf-8") for p in sorted((root / "tests/data/pages").glob("*.txt"))] + [
        p.read_text(encoding="utf-8") for p in sorted((root / "corpora/articles").glob("*.txt"))
    ]


def test_handle_pattern_is_the_plain_lookbehind_pattern(texts):
    import re

    plain = re.compile(r"(?<![A-Za-z0-9_.@])@[A-Za-z0-9_]{2,30}")
    odd = ["@ab", "x@ab", "@@ab", ".@ab @cd", "a @ab", "邮件a@bc.com 与 @trader_01，@x，@" + "y" * 40, "\n@ab"]
    real = _real_texts()
    assert sum("@" in t for t in real) >= 3  # the real pages do name handles
    for t in texts + odd + real:
        assert [m.span() for m in _HANDLE.finditer(t)] == [m.span() for m in plain.finditer(t)], t[:80]


def test_run_hashes_are_the_hash_of_each_run_lowercased(texts):
    import numpy as np

    from extract.nlp import _F_RUN, _run_hash, _run_hashes

    tok = get_nlp().tokenizer
    if tok._tables is None:
        pytest.skip("numpy missing: only the split path runs")
    flags = tok._tables[0]
    seen = 0
    for t in texts + ["Abc9xyZ 2024年 ETF etf ETFs s&p 500"]:
        a = np.frombuffer(t.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        run = flags.take(a) & _F_RUN
        spans = [m.span() for m in __import__("re").finditer(r"[A-Za-z]+|[0-9]+", t)]  # the maximal runs
        heads = np.array([s for s, _ in spans], dtype=np.int64)
        tails = np.array([e for _, e in spans], dtype=np.int64)
        got = _run_hashes(a, run, heads, tails).tolist() if spans else []
        assert got == [_run_hash(t[s:e].lower()) for s, e in spans], t[:80]
        seen += len(spans)
    assert seen > 1000


def test_a_run_hash_collision_adds_no_token(texts, monkeypatch):
    import numpy as np

    from extract.nlp import _run_hash

    tok = get_nlp().tokenizer
    if tok._tables is None:
        pytest.skip("numpy missing: only the split path runs")
    # pretend common non-piece runs collide with a piece's hash: the loop must still reject them
    fake = {_run_hash(w) for w in ("qzx", "and", "2024", "bitcoin", "abc") if w not in tok.others}
    assert _run_hash("qzx") in fake
    keys = np.array(sorted(set(tok._run_keys.tolist()) | fake), dtype=np.uint64)
    monkeypatch.setattr(tok, "_run_keys", keys)
    # (after "Soci" every piece is a token: a colliding run there would show)
    for t in texts + ["the 2024 Bitcoin abc ETF", "Société qzx Générale abc 2024"]:
        assert tok._pieces_np(t)[:4] == tok._pieces_split(t), t[:80]


def test_matcher_shortcut_gives_what_bucket_find_gives(texts, monkeypatch):
    from extract.nlp import _Bucket

    nlp = get_nlp()
    matcher = nlp.get_pipe("narrex_gazetteer")
    docs = [nlp.make_doc(t) for t in texts]
    fast = [matcher(d).user_data["narrex.gazetteer"] for d in docs]
    # every bucket through find(): the plain path
    every = type("Every", (), {"__contains__": lambda self, x: True})()
    for b in {id(b): b for b in matcher._table.values() if isinstance(b, _Bucket)}.values():
        monkeypatch.setattr(b, "nexts", every)
    plain = [matcher(d).user_data["narrex.gazetteer"] for d in docs]
    assert fast == plain
    assert sum(map(len, fast)) > 1000
