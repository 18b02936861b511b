"""The binding stage's fast paths agree with their plain definitions on real text."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract._binding import _Doc
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
