"""The fast paths of cleaning and offset mapping agree with their plain definitions.

The boilerplate needle scan and OpenCC phrase matching run one regex (``_trie.key_scanner``) instead of a
Python loop; the pipeline maps offsets through closures instead of ``CleanDoc.span_to_raw``. Each is
checked here against a brute-force reference on random input built from the real keys.
"""
from __future__ import annotations

import random

import pytest

from extract._boilerplate import _bucket_for_len, _rules, fold
from extract._script import _converter
from extract._trie import key_scanner as _key_scanner
from extract.clean import CleanDoc, clean
from extract.pipeline import _to_raw
from extract.records import Mention, Span


def _longest_at_each_position(text: str, keys: set[str]) -> list[tuple[int, str]]:
    out = []
    for i in range(len(text)):
        found = [k for k in keys if text.startswith(k, i)]
        if found:
            out.append((i, max(found, key=len)))
    return out


def test_key_scanner_finds_the_longest_key_at_every_position():
    rng = random.Random(7)
    keys = {"注册", "注册送", "用户名", "x", "ab", "abc", "b", "立即注册", "©"}
    rx = _key_scanner(keys)
    pieces = sorted(keys) + sorted(set("".join(keys))) + ["的", " ", "z"]  # keys, their characters, others
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        got = [(m.start(), m.group(1)) for m in rx.finditer(text)]
        assert got == _longest_at_each_position(text, keys), text


def test_bucket_candidates_are_the_admitted_rules_holding_a_needle():
    rng = random.Random(11)
    rules = _rules()
    needles = sorted({n for r in rules for n in (r.needles or ())})
    for _ in range(3000):
        k = "".join(rng.choice(needles + ["的", "a", " ", "1", "。"]) for _ in range(rng.randint(1, 14)))
        k = fold(k)
        n = len(k)
        want = [r for r in rules if (not r.max_len or r.max_len >= n)
                and (r.needles is None or any(x in k for x in r.needles))]
        assert _bucket_for_len(n).candidates(k) == want, k


def _fmm_reference(stage, text: str) -> str:
    """Forward maximum matching over the stage's phrases, characters mapped elsewhere."""
    out, i = [], 0
    longest = max(map(len, stage.phrases))
    while i < len(text):
        for n in range(min(longest, len(text) - i), 0, -1):
            val = stage.phrases.get(text[i:i + n])
            if val is not None:
                out.append(val)
                i += n
                break
        else:
            out.append(stage.chars.get(ord(text[i]), text[i]))
            i += 1
    return "".join(out)


def test_phrase_stages_do_forward_maximum_matching():
    rng = random.Random(5)
    for config in ("t2s", "tw2sp"):
        for stage in _converter(config).stages:
            if not stage.phrases:
                continue
            keys = sorted(stage.phrases)
            for _ in range(200):
                text = "".join(rng.choice(keys) if rng.random() < 0.6 else rng.choice(keys)[:1] + "的"
                               for _ in range(rng.randint(0, 12)))
                assert stage.apply(text)[0] == _fmm_reference(stage, text), text


def test_to_raw_agrees_with_span_to_raw_on_every_span():
    doc = clean("标题行在这里很长很长\n\n  正文第一段，比特币上涨 5%。 \n\u200b正文第二段\n")
    n = len(doc.text)
    cases = [(s, e) for s in range(-1, n + 2) for e in range(-1, n + 2)]
    for s, e in cases:
        a, b = CleanDoc.span_to_raw(doc, s, e)
        got = Span(text="", start=s, end=e)
        _to_raw(doc, (got, None), "text")
        assert (got.start, got.end, got.text) == (a, b, doc.raw[a:b])
        m = Mention(surface="", start=s, end=e, entity="X", type="ASSET")
        (r,) = _to_raw(doc, [m], "surface")
        assert r is m  # updated in place
        assert (r.start, r.end, r.surface, r.entity) == (a, b, doc.raw[a:b], "X")
    with pytest.raises(ValueError):
        _to_raw(doc, [], "name")


def _real_texts() -> list[str]:
    from pathlib import Path

    from conftest import seed_names, seed_text

    pages = sorted((Path(__file__).parent / "data" / "pages").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in pages] + [seed_text(n) for n in seed_names()]


def test_offsets_are_the_kept_chars_raw_positions_on_real_pages():
    """clean() builds offsets as runs expanded at the end; here they are rebuilt char by char from the segments."""
    from extract.clean import _INVISIBLE

    texts = _real_texts()
    texts += ["\n".join(l[:5] + "\u200b" + l[5:] if i % 3 == 0 else "  " + l for i, l in enumerate(t.split("\n"))) for t in texts[:6]]
    checked = 0
    for raw in texts:
        doc = clean(raw)
        ref = []
        for segs in doc.segments:
            for a, b in segs:
                ref.extend(j for j in range(a, b) if not _INVISIBLE.match(doc.raw[j]))
            ref.append(segs[-1][1])  # the "\n" after the line
        ref = ref[:-1]
        if len(ref) != len(doc.text):  # a length-changing phrase conversion: covered by test_clean.py
            continue
        assert list(doc.offsets) == ref
        checked += 1
    assert checked >= len(texts) - 3


def test_offset_runs_expand_alike_with_and_without_numpy(monkeypatch):
    import importlib

    C = importlib.import_module("extract.clean")  # (the package's ``clean`` attribute is the function)
    runs = []
    real = C._expand_runs
    monkeypatch.setattr(C, "_expand_runs", lambda at, ln: runs.append((list(at), list(ln))) or real(at, ln))
    for raw in _real_texts():
        clean(raw)
    runs.append(([], []))
    for at, ln in runs:
        want = [a + j for a, n in zip(at, ln) for j in range(n)]
        assert list(real(at, ln)) == want
        have = C._HAVE_NUMPY
        monkeypatch.setattr(C, "_HAVE_NUMPY", False)
        assert list(real(at, ln)) == want
        monkeypatch.setattr(C, "_HAVE_NUMPY", have)


def test_trad_and_full_width_flags_match_their_plain_definitions():
    """``trad_and_full_width`` (one numpy pass) against ``has_traditional`` and the full-width regex,
    on the real pages and articles and on copies with a Traditional, full-width or astral character
    put in (also at the very ends, and at the edges of the full-width range)."""
    from pathlib import Path

    from extract._script import _HAS_FW, has_traditional, trad_and_full_width

    root = Path(__file__).parent
    paths = sorted((root / "data" / "pages").glob("*.txt")) + sorted((root.parent / "corpora" / "articles").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert len(texts) > 20
    rng = random.Random(5)
    extra = ["後", "於", "說", "１", "Ａ", "％", "\uff01", "\uff5e", "\uff00", "\uff5f", "\U0001F4C8", "\u3000", "a"]
    seen = set()
    for t in texts:
        for v in [t, t[:300]] + [t[:(i := rng.randrange(len(t) + 1))] + c + t[i:] for c in extra] + [extra[0] + t, t + extra[3]]:
            want = (has_traditional(v), _HAS_FW.search(v) is not None)
            assert trad_and_full_width(v) == want
            seen.add(want)
    assert len(seen) == 4  # every combination occurred


def _real_lines() -> list[str]:
    from pathlib import Path

    root = Path(__file__).parent
    paths = (sorted((root / "data" / "pages").glob("*.txt")) + sorted((root / "data" / "heldout").glob("*.txt"))
             + sorted((root.parent / "corpora" / "articles").glob("*.txt")))
    return [fold(line) for p in paths for line in p.read_text(encoding="utf-8").split("\n")]


def test_ends_sentence_is_the_sentence_end_regex():
    """The boilerplate rules test a line's last visible character instead of searching ``_SENT_END``."""
    from extract._boilerplate import _SENT_END, _ends_sentence

    lines = _real_lines()
    tails = ["", " ", "\u3000", "\t \u2028", "\x1c", "。", "。 ", "; \u00a0", "？\u2003", "a", "。a "]
    n = 0
    for k in lines:
        for t in tails:
            v = k + t
            assert _ends_sentence(v) == bool(_SENT_END.search(v)), v
            n += _ends_sentence(v)
    assert n > 1000 and len(lines) > 500


def test_url_precheck_holds_for_every_url_match():
    """Every line ``_URL`` matches passes the literal precheck that spares the regex (on real lines and
    on them with URLs, bare domains and upper-case variants put in)."""
    from extract._boilerplate import _URL, _may_hold_url, fold

    rng = random.Random(3)
    urls = ["https://t.me/abc", "http://localhost", "http://x.y", "www.foo", "WWW.Example.org", "WWW.foo", "Www.x", "abc.COM", "a-b.cn/x?y=1", "k.\u212aO",
            "x.io", "yahoo.me", "3.5%", "foo.hk", "ftp://z", "a.tw", "b.gG"]
    hits = 0
    for k in _real_lines():
        for v in (k, k + " " + rng.choice(urls), rng.choice(urls) + k):
            v = fold(v)  # analyze reads folded lines
            if _URL.search(v):
                hits += 1
                assert _may_hold_url(v), v
    assert hits > 500
