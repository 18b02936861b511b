"""The boilerplate analysis skips regex calls on lines whose first character proves they cannot match;
here each precheck is compared with the regex it stands in for, on the lines of real pages (and lines
built from the word lists, which do match), and the digit-run pass with its plain per-line loop.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from conftest import seed_names, seed_text
from extract import _boilerplate as B

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def _keys() -> list[str]:
    paths = (sorted((DATA / "pages").glob("*.txt")) + sorted((DATA / "heldout").glob("*.txt"))
             + sorted((ROOT / "corpora" / "articles").glob("*.txt")))
    texts = [p.read_text(encoding="utf-8") for p in paths] + [seed_text(n) for n in seed_names()]
    keys = [k.strip(B._WS) for t in texts for k in B.fold_lines(t.split("\n"))]
    rng = random.Random(3)
    vocab = sorted(B._share_vocab() | B._ui_words())
    seps = [" ", "|", " / ", "：", "·", "\u2003", "【", "】", ">"]
    for _ in range(3000):  # share bars, menus and labelled fields, some led by a separator or a space
        lead = rng.choice(["", "", "|", "/ ", "，", "\u2003", "【"])
        keys.append(lead + "".join(rng.choice(vocab) + rng.choice(seps) for _ in range(rng.randint(1, 4))))
        keys.append(rng.choice(["", " ", "\u2003", "【"]) + rng.choice(["来源", "作者", "责任编辑", "记者"]) + "：张三")
    return [k for k in keys if k]


def test_line_head_prechecks_only_skip_lines_the_regexes_reject():
    heads = B._token_heads()
    keys = _keys()
    assert len(keys) > 5000
    skipped = 0
    for k in keys:
        h = k[0]
        assert bool(B._WORD.search(k)) == (h.isalnum() or bool(B._WORD.search(k))), k
        if not (h in heads or h.isspace()):  # the share-bar check is skipped
            skipped += 1
            m = B._SHARE_FIRST.match(k)
            assert not (m and m.group(1) in B._share_vocab()), k
        if not (h in heads or not h.isalnum()):  # the interface-words check is skipped
            first = B._UI_FIRST.match(k)
            assert first is not None and first.group(1) not in B._ui_words() and B._WORD.search(first.group(1)), k
        if B._META_FIELD.match(k):
            assert B._META_FIELD_HEAD.match(h), k
        if B._DIGIT_ONLY.match(k):
            assert B._DIGIT_HEAD.match(h), k
    assert skipped > 500  # (the prechecks do skip most real lines)


def _digit_runs_plain(keys, nb, drops):
    """The per-line loop ``_digit_runs`` replaces."""
    run, digit_only = [], []

    def flush():
        digits = [j for j in run if j not in drops]
        if len(run) >= 3 and len(digits) >= 2:
            for j in digits:
                drops[j] = B.Drop("chrome", f"digit-only line in a run of {len(run)} (counter or countdown widget)")
        run.clear()

    for i in nb:
        if B._DIGIT_ONLY.match(keys[i]):
            digit_only.append(i)
            run.append(i)
        elif i in drops and drops[i].reason == "symbol-only line":
            run.append(i)
        elif run:
            flush()
    flush()
    return digit_only


def test_digit_runs_match_the_plain_loop_on_mutated_pages():
    keys = _keys()
    rng = random.Random(9)
    inserts = ["12", "3 4", "2024-01-02", "::", "--", "/", "★★", "···", "评论", "09:30", "１２"]
    for start in range(0, 6000, 60):
        page = keys[start:start + 60]
        for _ in range(rng.randint(0, 12)):  # digit and symbol lines, alone or in runs, and blank lines
            page.insert(rng.randint(0, len(page)), rng.choice(inserts + [""]))
        nb = [i for i, k in enumerate(page) if k]
        drops = {i: B.Drop("chrome", "symbol-only line") for i in nb if not B._WORD.search(page[i])}
        drops.update({i: B.Drop("ad", "x") for i in nb if rng.random() < 0.05 and i not in drops})
        plain = dict(drops)
        assert B._digit_runs(page, nb, drops) == _digit_runs_plain(page, nb, plain)
        assert list(drops.items()) == list(plain.items())


class _Everything:
    def __contains__(self, ch: str) -> bool:
        return True


def test_analyze_gives_the_same_verdicts_with_the_prechecks_off():
    keys = _keys()
    rng = random.Random(4)
    pages = [keys[s:s + 80] for s in range(0, len(keys), 80)]
    for page in pages:  # lines moved in from other pages, in runs, so that bylines and bars meet the zones
        for _ in range(rng.randint(0, 6)):
            at = rng.randint(0, len(page))
            page[at:at] = rng.choice(pages)[:rng.randint(1, 4)]
    mp = pytest.MonkeyPatch()
    try:
        fast = [B.analyze(p) for p in pages]
        mp.setattr(B, "_token_heads", lambda: _Everything())
        mp.setattr(B, "_META_FIELD_HEAD", re.compile(".", re.S))
        mp.setattr(B, "_DIGIT_HEAD", re.compile(".", re.S))
        plain = [B.analyze(p) for p in pages]
    finally:
        mp.undo()
    for page, a, b in zip(pages, fast, plain):
        assert list(a.drops.items()) == list(b.drops.items())
        # the symbol-only verdict (its precheck is str.isalnum on the first character): every line
        # without a word character is dropped, as symbol-only unless a phrase pattern came first
        symbol = {i for i, d in a.drops.items() if d.reason == "symbol-only line"}
        assert symbol == {i for i, k in enumerate(a.keys) if k and not B._WORD.search(k)
                          and not (i in a.drops and "(pattern" in a.drops[i].reason)}
        assert (a.byline, a.published, a.title_line) == (b.byline, b.published, b.title_line)
    assert sum(len(a.drops) for a in fast) > 1000


def test_number_punctuation_regex_matches_its_plain_form():
    from extract import _script as S

    rng = random.Random(2)
    texts = [k for k in _keys()]
    alphabet = "0１２3．，：／～％＋－a，。 "
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    hits = 0
    for t in texts:
        got = [m.span() for m in S._NUM_PUNCT.finditer(t)]
        assert got == [m.span() for m in S._NUM_PUNCT_PLAIN.finditer(t)], t
        hits += len(got)
    assert hits > 1000
