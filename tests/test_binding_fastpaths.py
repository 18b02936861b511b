"""The binding stage's fast paths agree with their plain definitions on real text."""
from __future__ import annotations

import bisect
from pathlib import Path

import pytest

from extract._binding import _Doc, _first, _nearest, _nearest_before
from extract.clean import clean
from extract.dates import find_dates
from extract.entities import find_mentions

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "tests" / "data" / "pages").glob("*.txt")) + sorted((ROOT / "corpora" / "articles").glob("*.txt"))


@pytest.mark.parametrize("runon", [False, True], ids=["page", "runon"])
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_frame_is_local_clause_sentence(path, runon):
    t = clean(path.read_text(encoding="utf-8")).text
    if runon:  # clause and sentence marks blanked: clauses and sentences longer than the window caps
        t = t.translate({ord(c): " " for c in "。！？!?;；:：,，"})
    mentions, dates = find_mentions(t), find_dates(t, None)
    fast, plain = _Doc(t, mentions, dates), _Doc(t, mentions, dates)
    for i in range(0, len(t), 3):
        assert fast.frame(i) == (plain.local(i), plain.clause(i), plain.sentence(i)), i
        # asked again: the memoized answers
        assert fast.frame(i) == (plain.local(i), plain.clause(i), plain.sentence(i)), i


def _plain_nearest(items, lo, hi, fs, fe, ok, prefer_before=True):
    """_nearest's plain form: a tuple bisect and a predicate per item."""
    best, bd = None, None
    for it in items[bisect.bisect_left(items, (lo,)):]:
        s, e = it[0], it[1]
        if s >= hi:
            break
        if e > hi or (s < fe and fs < e) or not ok(it):
            continue
        d = (fs - e if e <= fs else s - fe) * 2 + (0 if (e <= fs) == prefer_before else 1)
        if bd is None or d < bd:
            best, bd = it, d
    return best


def _plain_first(items, lo, hi, ok):
    return next((it for it in items if lo <= it[0] < hi and it[1] <= hi and ok(it)), None)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_subject_lookups_by_starts_and_types(path):
    """_nearest, _nearest_before and _first given the subjects' int starts and a type set find what
    the plain forms (tuple bisect, predicate per item) find."""
    t = clean(path.read_text(encoding="utf-8")).text
    doc = _Doc(t, find_mentions(t), find_dates(t, None))
    subs, starts = doc.subjects, doc.subject_starts
    assert starts == [s[0] for s in subs]
    kinds = sorted({s[3] for s in subs})
    filters = [None, frozenset({"asset"})] + [frozenset(kinds[i:i + 2]) for i in range(0, len(kinds), 2)]
    for types in filters:
        ok = (lambda it: True) if types is None else (lambda it, ts=types: it[3] in ts)
        for fs in range(0, len(t), 7):
            fe = fs + 3
            for lo, hi in ((max(0, fs - 40), fs + 40), (fe, fs + 200), (max(0, fs - 300), fs)):
                for pb in (True, False):
                    assert _nearest(subs, lo, hi, fs, fe, types, pb, starts) == _plain_nearest(subs, lo, hi, fs, fe, ok, pb)
                # _nearest_before: the nearest item inside [lo, fs) ending before fs
                assert _nearest_before(subs, lo, fs, doc.subject_maxlen, types, starts=starts) == \
                    _plain_nearest(subs, lo, fs, fs, fs, ok)
                assert _first(subs, lo, hi, types, starts) == _plain_first(subs, lo, hi, ok)
